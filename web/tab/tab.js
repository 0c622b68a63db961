// The Teams tab: initialises @microsoft/teams-js, follows the Teams theme, gets the SSO token
// and shows the dashboard of the staff member (a director's school, an agent's figures) from
// /api/tab/. In a plain browser it says how to open it in Teams; outside production,
// ?as=<aad_object_id> shows it as that staff member without Teams.
/* global TabRender */
(function () {
  'use strict';

  const { el, figures, historyBlock, sortableTable, stateColumns, dtf, nf, CASE_STATES, CASE_KINDS } = TabRender;
  const statusEl = document.getElementById('status');
  const content = document.getElementById('content');
  const as = new URLSearchParams(location.search).get('as');
  let token = null;
  /** Redraws the current view (charts take their colours from the theme). */
  let redraw = null;

  const OUTSIDE_TEAMS =
    "Ce tableau de bord s'ouvre dans Microsoft Teams : ouvrez l'application « Assistance EduConnect » dans Teams, puis l'onglet « Tableau de bord ».";

  function status(text, error) {
    statusEl.textContent = text;
    statusEl.classList.toggle('status--error', Boolean(error));
  }

  function applyTheme(theme) {
    const name = theme === 'dark' ? 'dark' : theme === 'contrast' ? 'contrast' : 'default';
    document.body.classList.remove('theme-default', 'theme-dark', 'theme-contrast');
    document.body.classList.add(`theme-${name}`);
    document.body.dataset.theme = name;
    if (redraw) redraw().catch(fail);
  }

  class ApiError extends Error {
    constructor(status, message, retry) {
      super(message);
      this.status = status;
      this.retry = retry;
    }
  }

  async function call(path, options) {
    const url = new URL(path, location.origin);
    if (as) url.searchParams.set('as', as);
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options && options.body) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(url, {
        method: (options && options.method) || 'GET',
        headers,
        body: options && options.body ? JSON.stringify(options.body) : undefined,
      });
    } catch {
      throw new ApiError(0, 'Le service ne répond pas. Nouvel essai dans quelques secondes…', true);
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, body.error || 'Une erreur est survenue.', res.status >= 500 || body.retry === true);
    return body;
  }

  /** Runs `load`, retrying with growing delays while the service is unavailable. */
  async function withRetry(load) {
    for (let delay = 3000; ; delay = Math.min(delay * 2, 30000)) {
      try {
        return await load();
      } catch (err) {
        if (!(err instanceof ApiError) || !err.retry) throw err;
        status(err.message, true);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  function fail(err) {
    status(err instanceof Error ? err.message : String(err), true);
  }

  // ---------- directors ----------

  function casesSection(dashboard, reload) {
    const open = dashboard.cases;
    const section = el('section', { 'aria-labelledby': 'cases-title' }, el('h2', { id: 'cases-title' }, `Demandes des parents en cours (${open.length})`));
    if (open.length === 0) section.append(el('p', {}, 'Aucune demande en cours pour cet établissement.'));
    for (const c of open) {
      const id = `case-${c.reference}`;
      const select = el(
        'select',
        { id: `${id}-state`, name: 'state' },
        Object.entries(CASE_STATES)
          .filter(([k]) => k !== c.state)
          .map(([k, label]) => el('option', { value: k }, label)),
      );
      const note = el('input', { id: `${id}-note`, name: 'note', type: 'text', maxlength: '1000' });
      const form = el(
        'form',
        {
          onsubmit: (e) => {
            e.preventDefault();
            call(`/api/tab/cases/${encodeURIComponent(c.reference)}/state`, { method: 'POST', body: { state: select.value, note: note.value } })
              .then(() => {
                status(`La demande ${c.reference} est maintenant « ${CASE_STATES[select.value]} ».`);
                return reload();
              })
              .catch(fail);
          },
        },
        el('div', {}, el('label', { for: select.id }, 'Nouvel état'), select),
        el('div', {}, el('label', { for: note.id }, 'Message au parent (facultatif)'), note),
        el('button', { type: 'submit' }, 'Enregistrer'),
      );
      section.append(
        el(
          'article',
          { class: 'case', 'aria-labelledby': `${id}-title` },
          el('h3', { id: `${id}-title` }, `${c.reference} · ${CASE_KINDS[c.kind] || c.kind}`),
          el('p', {}, c.summary),
          el('p', { class: 'muted' }, `${CASE_STATES[c.state] || c.state}, depuis le ${dtf.format(new Date(c.createdAt))}`),
          form,
        ),
      );
    }
    return section;
  }

  function batchesSection(batches) {
    const section = el('section', { 'aria-labelledby': 'batches-title' }, el('h2', { id: 'batches-title' }, 'Notifications par e-mail récentes'));
    if (batches.length === 0) {
      section.append(el('p', {}, 'Aucun envoi par e-mail ces 30 derniers jours.'));
      return section;
    }
    const rows = batches.map((b) => ({ startedAt: b.startedAt, total: b.total, sent: b.sent, pending: b.pending, failed: b.failed }));
    const num = (v) => nf.format(v);
    section.append(
      sortableTable(
        'Notifications par e-mail des 30 derniers jours',
        [
          { key: 'startedAt', label: 'Envoyée le', format: (v) => dtf.format(new Date(v)) },
          { key: 'total', label: 'E-mails', num: true, format: num },
          { key: 'sent', label: 'Envoyés', num: true, format: num },
          { key: 'pending', label: 'En attente', num: true, format: num },
          { key: 'failed', label: 'En échec', num: true, format: num },
        ],
        rows,
      ),
    );
    return section;
  }

  function exportSection(uai) {
    const result = el('p', { role: 'status', 'aria-live': 'polite' });
    const button = (format, label) =>
      el(
        'button',
        {
          type: 'button',
          onclick: () => {
            result.textContent = 'Préparation du fichier…';
            call(`/api/tab/schools/${encodeURIComponent(uai)}/list`, { method: 'POST', body: { format } })
              .then((file) =>
                result.replaceChildren(
                  el('a', { href: file.url, download: file.fileName }, `Télécharger ${file.fileName}`),
                  ' (lien à usage unique, valable ' +
                    file.validMinutes +
                    ' minutes ; le fichier contient des mots de passe provisoires : ne le transférez pas)',
                ),
              )
              .catch((err) => (result.textContent = err.message));
          },
        },
        label,
      );
    return el(
      'section',
      { 'aria-labelledby': 'export-title' },
      el('h2', { id: 'export-title' }, 'Liste des comptes'),
      el('div', { class: 'toolbar' }, button('pdf', 'Liste en PDF'), button('csv', 'Liste en CSV (tableur)')),
      result,
    );
  }

  async function showSchool(target, uai) {
    status('Chargement des chiffres de l’établissement…');
    const d = await withRetry(() => call(`/api/tab/schools/${encodeURIComponent(uai)}`));
    const reload = () => showSchool(target, uai);
    redraw = reload;
    target.replaceChildren(
      el('h2', {}, `${d.stats.name} (${d.stats.uai})`),
      ...figures(d.stats.summary, d.stats.computedAt, d.stats.pastActivationDeadline),
      el('h2', {}, 'Activation depuis la rentrée'),
      historyBlock(d.history, 'school'),
      el('h2', {}, 'Classes'),
      sortableTable(
        'Comptes par classe et par état (cliquez un titre de colonne pour trier)',
        stateColumns({ key: 'className', label: 'Classe' }),
        d.stats.classes,
      ),
      casesSection(d, reload),
      batchesSection(d.batches),
      exportSection(d.stats.uai),
    );
    status('');
  }

  function directorView(me) {
    const target = el('div');
    if (me.schools.length === 0) {
      content.replaceChildren(el('p', {}, "Aucun établissement n'est rattaché à votre compte dans l'annuaire."));
      return;
    }
    if (me.schools.length > 1) {
      const select = el(
        'select',
        { id: 'school', onchange: () => showSchool(target, select.value).catch(fail) },
        me.schools.map((s) => el('option', { value: s.uai }, `${s.name} (${s.uai})`)),
      );
      content.replaceChildren(el('div', { class: 'toolbar' }, el('div', {}, el('label', { for: 'school' }, 'Établissement'), select)), target);
    } else content.replaceChildren(target);
    return showSchool(target, me.schools[0].uai);
  }

  // ---------- agents and administrators ----------

  async function showFigures(target, academy) {
    status('Chargement des chiffres…');
    const d = await withRetry(() => call(`/api/tab/figures${academy ? `?academy=${encodeURIComponent(academy)}` : ''}`));
    redraw = () => showFigures(target, academy);
    const rows = d.stats.schools.map((s) => ({ ...s, school: `${s.name} (${s.uai})` }));
    target.replaceChildren(
      ...figures(d.stats.summary, d.stats.computedAt),
      el('h3', {}, 'Activation depuis la rentrée'),
      historyBlock(d.history, 'aggregate'),
      el('h3', {}, 'Établissements'),
      sortableTable(
        'Comptes par établissement et par état (cliquez un titre de colonne pour trier)',
        stateColumns({ key: 'school', label: 'Établissement' }),
        rows,
      ),
    );
    status('');
  }

  async function agentView(me) {
    const sections = [];
    if (window.TabQueue) sections.push(window.TabQueue.section({ call, el, dtf, status, fail }));
    const target = el('div');
    const select = el(
      'select',
      { id: 'scope', onchange: () => showFigures(target, select.value).catch(fail) },
      el('option', { value: '' }, 'France entière'),
      me.academies.map((a) => el('option', { value: a }, `Académie de ${a}`)),
    );
    sections.push(
      el(
        'section',
        { 'aria-labelledby': 'figures-title' },
        el('h2', { id: 'figures-title' }, 'Chiffres des académies'),
        el('div', { class: 'toolbar' }, el('div', {}, el('label', { for: 'scope' }, 'Périmètre'), select)),
        target,
      ),
    );
    content.replaceChildren(...sections);
    return showFigures(target, '');
  }

  async function start() {
    const me = await withRetry(() => call('/api/tab/me'));
    document.getElementById('title').textContent = me.role === 'director' ? 'Tableau de bord de votre établissement' : "Tableau de bord de l'assistance";
    return me.role === 'director' ? directorView(me) : agentView(me);
  }

  /** teams-js is loaded only when framed: a plain browser never talks to Microsoft's servers. */
  function loadTeamsJs() {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/tab/vendor/teams.js';
      script.onload = () => resolve(window.microsoftTeams);
      script.onerror = () => reject(new Error('teams-js'));
      document.head.append(script);
    });
  }

  async function inTeams() {
    const teams = await loadTeamsJs();
    await Promise.race([teams.app.initialize(), new Promise((_r, reject) => setTimeout(() => reject(new Error('timeout')), 8000))]);
    const context = await teams.app.getContext();
    applyTheme(context.app && context.app.theme);
    teams.app.registerOnThemeChangeHandler(applyTheme);
    teams.app.notifySuccess();
    token = await teams.authentication.getAuthToken();
  }

  async function boot() {
    if (as) return start();
    const framed = window.parent !== window || Boolean(window.opener);
    if (!framed) {
      status(OUTSIDE_TEAMS, true);
      return undefined;
    }
    try {
      await inTeams();
    } catch (err) {
      status(err && err.message === 'timeout' ? OUTSIDE_TEAMS : 'Teams n’a pas pu confirmer votre identité. Fermez puis rouvrez l’onglet.', true);
      return undefined;
    }
    return start();
  }

  boot().catch(fail);
})();
