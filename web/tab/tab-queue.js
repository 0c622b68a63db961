// The agents' queue in the tab: parents waiting for a person, requests claimed, written requests
// to call back, with waiting times, refreshed every 20 seconds; "Prendre en charge" claims a
// waiting request (the conversation itself goes on in its thread of the agents' Teams channel).
// Administrators also see the daily counts and satisfaction.
(function () {
  'use strict';

  const STATES = { WAITING: 'En attente', CLAIMED: 'Pris en charge', CALLBACK: 'À rappeler' };

  function minutes(n) {
    if (n < 1) return "moins d'une minute";
    if (n < 60) return `${n} min`;
    return `${Math.floor(n / 60)} h ${String(n % 60).padStart(2, '0')}`;
  }

  function section({ call, el, status, fail }) {
    const result = el('p', { role: 'status', 'aria-live': 'polite' });
    const body = el('div');
    const root = el('section', { 'aria-labelledby': 'queue-title' }, el('h2', { id: 'queue-title' }, "File d'attente des parents"), result, body);

    async function refresh() {
      const q = await call('/api/tab/queue');
      const rows = q.entries.map((e) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, e.question),
          el('td', {}, STATES[e.state] || e.state, e.agentName ? ` (${e.agentName})` : '', e.contact ? ` · ${e.contact}` : ''),
          el('td', { class: 'num' }, minutes(e.waitingMinutes)),
          el(
            'td',
            {},
            e.state === 'WAITING'
              ? el(
                  'button',
                  {
                    type: 'button',
                    'aria-label': `Prendre en charge : ${e.question}`,
                    onclick: () =>
                      call(`/api/tab/queue/${e.id}/claim`, { method: 'POST', body: {} })
                        .then((r) => {
                          result.textContent = r.message;
                          return refresh();
                        })
                        .catch(fail),
                  },
                  'Prendre en charge',
                )
              : '',
          ),
        ),
      );
      const table = q.entries.length
        ? el(
            'div',
            { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': "File d'attente" },
            el(
              'table',
              {},
              el('caption', {}, `Demandes en cours (${q.entries.length})`),
              el(
                'thead',
                {},
                el(
                  'tr',
                  {},
                  el('th', { scope: 'col' }, 'Demande'),
                  el('th', { scope: 'col' }, 'État'),
                  el('th', { scope: 'col', class: 'num' }, 'Attente'),
                  el('th', { scope: 'col' }, 'Action'),
                ),
              ),
              el('tbody', {}, rows),
            ),
          )
        : el('p', {}, "Personne n'attend pour le moment.");
      const parts = [table];
      if (q.days) {
        parts.push(
          el(
            'div',
            { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Activité des derniers jours' },
            el(
              'table',
              {},
              el('caption', {}, 'Activité des derniers jours'),
              el(
                'thead',
                {},
                el(
                  'tr',
                  {},
                  ['Jour', 'Demandes', 'Prises en charge', 'À rappeler', 'Abandons', 'Satisfaction (sur 5)'].map((h, i) =>
                    el('th', { scope: 'col', class: i ? 'num' : null }, h),
                  ),
                ),
              ),
              el(
                'tbody',
                {},
                q.days.map((d) =>
                  el(
                    'tr',
                    {},
                    el('th', { scope: 'row' }, d.day),
                    el('td', { class: 'num' }, d.requests),
                    el('td', { class: 'num' }, d.claimed),
                    el('td', { class: 'num' }, d.callbacks),
                    el('td', { class: 'num' }, d.abandoned),
                    el('td', { class: 'num' }, d.satisfaction === undefined ? '—' : `${d.satisfaction.toFixed(1).replace('.', ',')} (${d.ratings} avis)`),
                  ),
                ),
              ),
            ),
          ),
        );
      }
      body.replaceChildren(...parts);
    }

    refresh().catch((err) => status(err.message, true));
    const timer = setInterval(() => {
      if (!document.body.contains(root)) clearInterval(timer);
      else refresh().catch(() => undefined);
    }, 20000);
    return root;
  }

  window.TabQueue = { section };
})();
