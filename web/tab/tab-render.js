// Rendering of the tab's sections from the /api/tab/ answers: plain DOM (text only, never HTML
// from data), a uPlot chart with an accessible table beside it, sortable tables.
/* global uPlot */
(function () {
  'use strict';

  const nf = new Intl.NumberFormat('fr-FR');
  const pf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
  const df = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' });
  const dtf = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

  const STATES = [
    ['notNotified', 'Non notifiés'],
    ['notified', 'Notifiés et non activés'],
    ['activating', "En cours d'activation"],
    ['activated', 'Activés'],
  ];
  const CASE_STATES = { OPEN: 'Ouverte', WAITING_REGISTER: 'En attente du registre', RESOLVED: 'Résolue', CLOSED: 'Close' };
  const CASE_KINDS = {
    WRONG_BIRTH_DATE: 'Date de naissance refusée',
    MOBILE_NOT_RECOGNISED: 'Mobile non reconnu',
    REGROUP: 'Regroupement de comptes',
    OTHER: 'Autre demande',
  };

  /** el('p', {class: 'x'}, 'text', child…) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  const day = (iso) => df.format(new Date(`${iso}T12:00:00Z`));
  const pct = (n) => `${pf.format(n)} %`;

  function figures(summary, computedAt, pastDeadline) {
    const items = [
      ['Comptes', nf.format(summary.accounts)],
      ...STATES.map(([k, label]) => [label, nf.format(summary[k])]),
      ['Comptes activés', pct(summary.activatedPct)],
      ['Élèves avec un responsable activé', pct(summary.pupilsWithActivatedPct)],
    ];
    if (typeof pastDeadline === 'number') items.push(['Non activés 3 mois après la notification', nf.format(pastDeadline)]);
    return [
      el(
        'ul',
        { class: 'figures' },
        items.map(([label, value]) => el('li', {}, el('strong', {}, value), label)),
      ),
      el('p', { class: 'muted' }, `Chiffres calculés le ${dtf.format(new Date(computedAt))}.`),
    ];
  }

  function cssVar(name) {
    return getComputedStyle(document.body).getPropertyValue(name).trim() || '#4f52b2';
  }

  /** The activation curve as a chart and, beside it, the same figures as a table. */
  function historyBlock(points, idPrefix) {
    const title = 'Activation depuis la rentrée';
    const hasDeadline = points.some((p) => typeof p.pastDeadline === 'number');
    const table = el(
      'table',
      { id: `${idPrefix}-history-table` },
      el('caption', {}, `${title} (tableau)`),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, 'Jour'),
          el('th', { scope: 'col', class: 'num' }, 'Comptes activés'),
          el('th', { scope: 'col', class: 'num' }, 'Élèves avec un responsable activé'),
          hasDeadline ? el('th', { scope: 'col', class: 'num' }, 'Non activés 3 mois après la notification') : null,
        ),
      ),
      el(
        'tbody',
        {},
        points.map((p) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, day(p.day)),
            el('td', { class: 'num' }, pct(p.activatedPct)),
            el('td', { class: 'num' }, pct(p.pupilsWithActivatedPct)),
            hasDeadline ? el('td', { class: 'num' }, p.pastDeadline === null ? '—' : nf.format(p.pastDeadline)) : null,
          ),
        ),
      ),
    );
    const last = points[points.length - 1];
    const description = last
      ? `${title} : du ${day(points[0].day)} au ${day(last.day)}, les comptes activés passent de ${pct(points[0].activatedPct)} à ${pct(last.activatedPct)}. Le tableau à côté donne chaque jour.`
      : `${title} : pas encore de données.`;
    const chart = el('div', { class: 'chart', role: 'img', 'aria-label': description });
    const block = el(
      'div',
      { class: 'chart-block' },
      el('figure', { style: 'margin:0' }, el('figcaption', { class: 'visually-hidden' }, title), chart),
      el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${title} (tableau)` }, table),
    );
    requestAnimationFrame(() => drawChart(chart, points));
    return block;
  }

  function drawChart(container, points) {
    if (typeof uPlot !== 'function' || points.length === 0) {
      container.append(el('p', { class: 'muted' }, 'Pas encore de données pour la courbe.'));
      return;
    }
    const xs = points.map((p) => Date.parse(`${p.day}T12:00:00Z`) / 1000);
    // The x axis spans the school year so far (1 September to the last day), even with one point.
    const first = new Date(xs[0] * 1000);
    const september = Date.UTC(first.getUTCMonth() >= 8 ? first.getUTCFullYear() : first.getUTCFullYear() - 1, 8, 1) / 1000;
    const xRange = [Math.min(september, xs[0]), Math.max(xs[xs.length - 1], september + 30 * 86400)];
    const width = Math.max(260, container.clientWidth || 600);
    const axis = { stroke: cssVar('--text'), grid: { stroke: cssVar('--border'), width: 0.5 }, ticks: { stroke: cssVar('--border') } };
    const plot = new uPlot(
      {
        width,
        height: 240,
        scales: { x: { time: true, range: () => xRange }, y: { range: [0, 100] } },
        legend: { live: false },
        axes: [axis, { ...axis, values: (_u, ticks) => ticks.map((t) => `${t} %`) }],
        series: [
          { label: 'Jour' },
          { label: 'Comptes activés', stroke: cssVar('--line1'), width: 2, value: (_u, v) => (v === null ? '' : pct(v)) },
          { label: 'Élèves avec un responsable activé', stroke: cssVar('--line2'), width: 2, dash: [6, 4], value: (_u, v) => (v === null ? '' : pct(v)) },
        ],
      },
      [xs, points.map((p) => p.activatedPct), points.map((p) => p.pupilsWithActivatedPct)],
      container,
    );
    plot.root.setAttribute('aria-hidden', 'true');
  }

  /** A table whose column headers sort it (buttons, aria-sort), keyboard friendly. */
  function sortableTable(caption, columns, rows) {
    const tbody = el('tbody');
    let sortKey = columns[0].key;
    let dir = 1;
    const heads = columns.map((c) =>
      el(
        'th',
        { scope: 'col', class: c.num ? 'num' : null, 'aria-sort': c.key === sortKey ? 'ascending' : 'none' },
        el('button', { type: 'button', class: 'sort', onclick: () => sortBy(c.key) }, c.label),
      ),
    );
    function fill() {
      const sorted = [...rows].sort((a, b) => {
        const x = a[sortKey];
        const y = b[sortKey];
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'fr', { numeric: true })) * dir;
      });
      tbody.replaceChildren(
        ...sorted.map((r) =>
          el(
            'tr',
            {},
            columns.map((c, i) =>
              el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: c.num ? 'num' : null }, c.format ? c.format(r[c.key]) : r[c.key]),
            ),
          ),
        ),
      );
      columns.forEach((c, i) => heads[i].setAttribute('aria-sort', c.key === sortKey ? (dir === 1 ? 'ascending' : 'descending') : 'none'));
    }
    function sortBy(key) {
      dir = key === sortKey ? -dir : 1;
      sortKey = key;
      fill();
    }
    fill();
    return el(
      'div',
      { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
      el('table', {}, el('caption', {}, caption), el('thead', {}, el('tr', {}, heads)), tbody),
    );
  }

  function stateColumns(first) {
    return [
      first,
      ...STATES.map(([key, label]) => ({ key, label, num: true, format: (v) => nf.format(v) })),
      { key: 'accounts', label: 'Total', num: true, format: (v) => nf.format(v) },
      { key: 'activatedPct', label: 'Activés (%)', num: true, format: pct },
    ];
  }

  window.TabRender = { el, dtf, nf, figures, historyBlock, sortableTable, stateColumns, CASE_STATES, CASE_KINDS };
})();
