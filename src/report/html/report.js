// fissure report: the page's interactivity. Reads the JSON blob, never the network; builds
// every element with createElement and text nodes, so no string from the analysed code is
// ever parsed as markup.
'use strict';
(function () {
  const data = JSON.parse(document.getElementById('fissure-data').textContent);
  const LIST_CAP = 200;

  function el(tag, cls, ...kids) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    for (const k of kids) {
      if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
    }
    return e;
  }
  const at = (file, line) => el('code', 'at', file + ':' + line);
  const pct = (x) => Math.round(x * 100) + '%';

  // A list that shows at most LIST_CAP rows, then says how many more there are.
  function capped(tag, rows, render) {
    const list = el(tag, 'rows');
    rows.slice(0, LIST_CAP).forEach((r) => list.append(render(r)));
    if (rows.length > LIST_CAP) list.append(el('li', 'more', '… and ' + (rows.length - LIST_CAP) + ' more'));
    return list;
  }

  // ---- domain map ----
  const panel = document.getElementById('domain-panel');
  const outOf = data.domains.map(() => []);
  const into = data.domains.map(() => []);
  data.crossings.forEach((c) => { outOf[c.from].push(c); into[c.to].push(c); });

  function crossingRow(c, other) {
    return el('li', null, at(c.file, c.line), ' ', el('span', 'item', c.from_item), ' → ',
      el('span', 'item', c.to_item), ' ', el('span', 'tag', c.kind),
      ' ', el('span', 'other', data.domains[other].name));
  }

  function showDomain(d, focusModule) {
    const dom = data.domains[d];
    document.querySelectorAll('#map-svg .domain').forEach((g) => {
      g.classList.toggle('selected', Number(g.dataset.domain) === d);
    });
    document.querySelectorAll('#map-svg .link').forEach((g) => {
      const touches = Number(g.dataset.from) === d || Number(g.dataset.to) === d;
      g.classList.toggle('faded', !touches);
      g.classList.toggle('touching', touches);
    });
    const facts = [dom.modules.length + ' modules', dom.lines + ' lines', dom.items + ' items'];
    if (!dom.kernel && dom.items > 0) facts.push('confidence ' + pct(dom.confidence));
    if (!dom.kernel) facts.push(dom.declared ? 'declared in the spec' : 'suggested');
    const modules = el('table', 'modules', el('tr', null, el('th', null, 'module'), el('th', null, 'lines'),
      el('th', null, dom.kernel ? 'why shared' : 'confidence'), el('th', null, 'file')));
    dom.modules.forEach((i) => {
      const m = data.modules[i];
      const row = el('tr', i === focusModule ? 'hit' : null, el('td', null, el('code', null, m.path)),
        el('td', 'num', m.lines), dom.kernel ? el('td', 'why', m.why || '') : el('td', 'num', pct(m.confidence)), el('td', null, el('code', null, m.file)));
      row.dataset.module = i;
      modules.append(row);
    });
    // A domain without top types or tables (the shared kernel) skips their lines: a bare
    // `null` would be appended as the text "null".
    panel.replaceChildren(...[
      el('h3', null, dom.name),
      el('p', 'facts', facts.join(' · ')),
      dom.top_types.length ? el('p', null, 'Top types: ', el('code', null, dom.top_types.join(', '))) : null,
      dom.tables.length ? el('p', null, 'Tables owned: ', el('code', null, dom.tables.join(', '))) : null,
      el('h4', null, 'Modules (' + dom.modules.length + ')'), modules,
      el('h4', null, 'References crossing out (' + outOf[d].length + ')'),
      capped('ul', outOf[d], (c) => crossingRow(c, c.to)),
      el('h4', null, 'References crossing in (' + into[d].length + ')'),
      capped('ul', into[d], (c) => crossingRow(c, c.from))].filter(Boolean));
    panel.classList.add('open');
    const hit = panel.querySelector('tr.hit');
    if (hit) hit.scrollIntoView({ block: 'nearest' });
  }

  document.querySelectorAll('#map-svg .domain').forEach((g) => {
    const open = () => showDomain(Number(g.dataset.domain));
    g.addEventListener('click', open);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
  });
  panel.append(el('p', 'hint', 'Click a domain to list its modules and the references crossing in and out.'));
  // `page.html#domain=orders` opens with that domain selected: a link to share.
  const linked = decodeURIComponent(location.hash).match(/^#domain=(.+)$/);
  const linkedIndex = linked ? data.domains.findIndex((d) => d.name === linked[1]) : -1;
  if (linkedIndex >= 0) showDomain(linkedIndex);

  // ---- matrix ----
  const msvg = document.getElementById('matrix-svg');
  const tip = document.getElementById('matrix-tip');
  const cellSize = Number(msvg.dataset.cell);
  const left = Number(msvg.dataset.left);
  const top = Number(msvg.dataset.top);
  const count = Number(msvg.dataset.count);
  const cellAt = new Map();
  data.cells.forEach((c) => cellAt.set(c.from * count + c.to, c));

  msvg.addEventListener('mousemove', (ev) => {
    const box = msvg.getBoundingClientRect();
    const scale = box.width / msvg.viewBox.baseVal.width;
    const col = Math.floor(((ev.clientX - box.left) / scale - left) / cellSize);
    const row = Math.floor(((ev.clientY - box.top) / scale - top) / cellSize);
    const c = cellAt.get(row * count + col);
    if (col < 0 || row < 0 || col >= count || row >= count || !c) { tip.hidden = true; return; }
    const from = data.modules[row], to = data.modules[col];
    tip.replaceChildren(
      el('div', 'tip-head', el('code', null, from.path), ' → ', el('code', null, to.path)),
      el('div', null, c.weight + ' (' + c.kinds + ')', c.cross ? ' · crosses domains' : c.shared ? ' · to or from the shared kernel' : '', c.cycle ? ' · in a cycle' : ''),
      el('ul', null, ...c.examples.map(([file, line, fromItem, toItem, kind]) =>
        el('li', null, at(file, line), ' ', fromItem, ' → ', toItem, ' ', el('span', 'tag', kind)))));
    tip.hidden = false;
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8) + 'px';
    tip.style.top = Math.min(ev.clientY + 14, window.innerHeight - tip.offsetHeight - 8) + 'px';
  });
  msvg.addEventListener('mouseleave', () => { tip.hidden = true; });

  // ---- events ----
  function table(head, rows) {
    const t = el('table', 'grid', el('tr', null, ...head.map((h) => el('th', null, h))));
    rows.forEach((r) => t.append(el('tr', null, ...r.map((c) => el('td', null, c)))));
    return t;
  }
  const sites = (list) => capped('ul', list, (s) => el('li', null, at(s.file, s.line)));
  const names = (list) => list.length ? list.join(', ') : '—';
  const eventsBody = document.getElementById('events-body');
  if (data.declared_events.length) {
    eventsBody.append(el('h3', null, 'Declared in the spec (' + data.declared_events.length + ')'),
      table(['event', 'owner', 'subscribers', 'fields', 'call sites it replaces'], data.declared_events.map((e) => [
        el('code', null, e.name), e.owner, names(e.subscribers), names(e.fields), sites(e.replaces)])));
  }
  eventsBody.append(el('h3', null, 'Candidates (' + data.events.length + ')'),
    el('p', 'hint', 'Calls from one domain into a state-changing function of another: each would become an event its owner publishes.'),
    data.events.length ? table(['event', 'owner', 'replaces calls to', 'subscribers', 'fields', 'call sites'], data.events.map((e) => [
      el('code', null, e.name), e.owner, el('code', null, e.callee), names(e.subscribers), names(e.fields), sites(e.call_sites)]))
      : el('p', null, 'None.'));

  // ---- findings ----
  const findingsBody = document.getElementById('findings-body');
  function snippet(f) {
    const pre = el('pre', 'snippet');
    f.snippet.forEach(([n, text]) => pre.append(el('span', n === f.line ? 'line hit' : 'line', el('span', 'ln', n), text), '\n'));
    return pre;
  }
  function findingRow(f) {
    return el('li', 'finding ' + f.severity,
      el('div', null, el('span', 'sev', f.severity), ' ', el('code', 'rule', f.code), ' ', f.message, f.new ? '' : ' (in baseline)'),
      f.file ? el('div', null, at(f.file, f.line + ':' + f.column)) : null,
      f.snippet.length ? snippet(f) : null,
      f.also_at.length ? el('div', 'also', 'also at: ', ...f.also_at.map((s) => at(s.file, s.line))) : null,
      f.help ? el('div', 'help', 'help: ' + f.help) : null);
  }
  function select(id, label, values) {
    const s = el('select', null, el('option', null, 'all'));
    s.id = id;
    s.options[0].value = '';
    values.forEach((v) => { const o = el('option', null, v); o.value = v; s.append(o); });
    return el('label', null, label + ' ', s);
  }
  if (!data.findings) {
    findingsBody.append(el('p', 'hint', 'Run with --spec fissure.yaml to see check\'s findings.'));
  } else {
    const all = data.findings;
    const rules = [...new Set(all.map((f) => f.code))].sort();
    const doms = [...new Set(all.flatMap((f) => [f.from_domain, f.to_domain]).filter((d) => d))].sort();
    const countLine = el('p', 'count');
    countLine.id = 'findings-count';
    const list = el('div');
    list.id = 'findings-list';
    findingsBody.append(el('div', 'filters', select('filter-rule', 'rule', rules), ' ', select('filter-domain', 'domain', doms)), countLine, list);
    const render = () => {
      const rule = document.getElementById('filter-rule').value;
      const dom = document.getElementById('filter-domain').value;
      const shown = all.filter((f) => (!rule || f.code === rule) && (!dom || f.from_domain === dom || f.to_domain === dom));
      const groups = new Map();
      shown.forEach((f) => {
        const key = (f.from_domain || '—') + ' → ' + (f.to_domain || '—');
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(f);
      });
      countLine.textContent = shown.length + ' of ' + all.length + ' findings';
      list.replaceChildren(...[...groups.keys()].sort().map((k) =>
        el('section', 'pair', el('h3', null, k + ' (' + groups.get(k).length + ')'), capped('ol', groups.get(k), findingRow))));
    };
    findingsBody.querySelectorAll('select').forEach((s) => s.addEventListener('change', render));
    render();
  }

  // ---- search ----
  const input = document.getElementById('search');
  const results = document.getElementById('search-results');
  const files = new Map();
  data.modules.forEach((m, i) => { if (!files.has(m.file)) files.set(m.file, i); });
  function find(q) {
    const hits = [];
    const add = (kind, text, module) => { if (hits.length < 40 && text.toLowerCase().includes(q)) hits.push({ kind, text, module }); };
    data.modules.forEach((m, i) => add('module', m.path, i));
    files.forEach((i, f) => add('file', f, i));
    data.items.forEach((it) => add(it.kind, it.path, it.module));
    return hits;
  }
  function go(hit) {
    showDomain(data.modules[hit.module].domain, hit.module);
    document.getElementById('map').scrollIntoView();
  }
  input.addEventListener('input', () => {
    const q = input.value.trim().toLowerCase();
    const hits = q.length < 2 ? [] : find(q);
    results.replaceChildren(...hits.map((h) => {
      const li = el('li', null, el('span', 'tag', h.kind), ' ', el('code', null, h.text), ' ',
        el('span', 'other', data.domains[data.modules[h.module].domain].name));
      li.tabIndex = 0;
      li.addEventListener('click', () => go(h));
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(h); });
      return li;
    }));
    if (q.length >= 2 && !hits.length) results.append(el('li', 'more', 'nothing found'));
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { const first = results.querySelector('li[tabindex]'); if (first) first.click(); }
    if (e.key === 'Escape') { input.value = ''; results.replaceChildren(); }
  });

  // When the page became usable, for the benchmark (scripts/report_bench.py).
  document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
  document.documentElement.dataset.ready = '1';
})();
