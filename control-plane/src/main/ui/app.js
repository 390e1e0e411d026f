// meshwarden review UI: plain JavaScript and SVG, no framework, no CDN. Everything shown comes
// from the REST API documented in /api/v1/openapi.yaml. Positions come from the server (stable);
// this script only packs whole namespace boxes in a fixed order and draws.
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';
const EXTERNAL = '_external';
const TILE_W = 210, TILE_H = 74, GAP = 28, ROW_WIDTH = 2200, AUTO_EXPAND = 150;
// Edge kinds, most urgent first; each has a text alternative and a line style, not colour alone.
const KINDS = [
  {id: 'denied', label: 'denied in enforce', mark: '✕', shown: true},
  {id: 'would-break', label: 'observed, current policy denies (would break)', mark: '!', shown: true},
  {id: 'would-deny', label: 'observed, the proposal would deny', mark: '?', shown: true},
  {id: 'observed-allowed', label: 'observed and allowed', mark: '', shown: true},
  {id: 'allowed-unobserved', label: 'allowed, never observed', mark: '', shown: false},
];
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

const state = {
  overview: null,
  groups: new Map(),      // group id -> {nodes, edges} for expanded groups
  expanded: new Set(),
  findings: [],
  findingsBySubject: new Map(),
  selected: null,         // workload display id
  selectedGroup: null,
  focus: null,            // {id, nodes:Set, edges:[]}
  shown: new Set(KINDS.filter(k => k.shown).map(k => k.id)),
  modes: new Map(),       // namespace -> mode (when the modes API exists)
  wouldDeny: new Map(),   // namespace -> Set of "source\ntarget" the dry-run would deny
  drift: new Map(),       // namespace -> Set of "source\ntarget" the enforced policy denies
  view: {x: 0, y: 0, k: 1},
  placed: new Map(),      // group id -> {x, y, w, h, collapsed}
  nodePos: new Map(),     // node id -> {x, y, w, h}
  nodeInfo: new Map(),    // node id -> node
  ready: false,
  lastVersions: '',
  renders: 0,
};

const $ = id => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const svg = (tag, attrs = {}) => {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

async function api(path, options) {
  const r = await fetch(path, options);
  const text = await r.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = text; }
  if (!r.ok) {
    const err = body && body.error ? body.error : {code: 'http_' + r.status, message: text};
    throw new ApiError(r.status, err.code, err.message);
  }
  return body;
}

// --- ids ----------------------------------------------------------------------------------------

function parseId(id) {
  const m = /^([^/]+)\/(.+)\[([A-Za-z]+)\]$/.exec(id);
  return m ? {namespace: m[1], name: m[2], kind: m[3]} : null;
}
// The graph names workloads ns/name[Kind]; some reports name them ns/Kind/name: read both.
function subjectToId(subject) {
  if (/^[a-z0-9-]+\/[^ /]+\[[A-Za-z]+\]$/.test(subject)) return subject;
  const m = /^([a-z0-9-]+)\/([A-Z][A-Za-z]+)\/([^ ]+)$/.exec(subject);
  return m ? `${m[1]}/${m[3]}[${m[2]}]` : null;
}
function normId(x) {
  if (!x) return x;
  const id = subjectToId(x);
  if (id) return id;
  if (x.startsWith('external:')) return x.slice(9) + '[External]';
  return x;
}
function subjectNamespace(subject) {
  const id = subjectToId(subject);
  if (id) return parseId(id).namespace;
  const m = /^(?:[A-Za-z]+ )?([a-z0-9-]+)\/[^ ]+$/.exec(subject);
  if (m) return m[1];
  return /^[a-z0-9-]+$/.test(subject) ? subject : null;
}
function groupLabel(g) { return g === EXTERNAL ? 'external peers' : g; }

// --- loading ------------------------------------------------------------------------------------

async function loadAll() {
  const overview = await api('/api/v1/graph/overview');
  const first = state.overview === null;
  state.overview = overview;
  if (first) {
    const total = overview.nodes;
    if (total <= AUTO_EXPAND) overview.groups.forEach(g => state.expanded.add(g.id));
    fillNamespaceFilter();
  }
  await Promise.all([...state.expanded].map(loadGroup));
  render();
  setStatus();
  loadFindings().then(() => { render(); renderTree(); }).catch(e => console.warn('findings', e));
  loadModes().then(render).catch(() => {});
}

async function loadGroup(id) {
  const path = id === EXTERNAL ? '/api/v1/graph/external'
    : `/api/v1/namespaces/${encodeURIComponent(id)}/graph` + (state.shown.has('allowed-unobserved') ? '?unobserved=true' : '');
  try {
    state.groups.set(id, await api(path));
  } catch (e) {
    if (e.status === 404) { state.groups.delete(id); state.expanded.delete(id); } else throw e;
  }
}

async function loadFindings() {
  const report = await api('/api/v1/findings');
  state.findings = report.findings || [];
  state.findingsBySubject = new Map();
  for (const f of state.findings) {
    const key = subjectToId(f.subject) || f.subject;
    if (!state.findingsBySubject.has(key)) state.findingsBySubject.set(key, []);
    state.findingsBySubject.get(key).push(f);
  }
}

// Modes come with the live dry-run of each namespace (and its proposal, once proposals exist);
// the dry-run's would-deny flows and the enforced policy's denials (drift) mark edges.
async function loadModes() {
  if (!state.overview) return;
  const namespaces = state.overview.groups.filter(g => g.kind === 'namespace').map(g => g.id);
  await Promise.all(namespaces.map(async ns => {
    try {
      const r = await api(`/api/v1/namespaces/${encodeURIComponent(ns)}/dryrun`);
      if (r && r.mode) state.modes.set(ns, r.mode);
      state.wouldDeny.set(ns, flowPairs(r.wouldDeny));
      state.drift.set(ns, flowPairs(r.drift));
    } catch (e) { /* not available: every namespace observed */ }
  }));
}

function flowPairs(layer) {
  const set = new Set();
  if (!layer || !layer.byDestination) return set;
  for (const d of layer.byDestination) for (const r of d.rules || []) for (const f of r.flows || []) set.add(normId(f.peer) + '\n' + normId(d.destination));
  return set;
}

function workloadFindings(id, selectedBy) {
  const out = [...(state.findingsBySubject.get(id) || [])];
  const p = parseId(id);
  if (p) out.push(...(state.findingsBySubject.get(p.namespace) || []));
  for (const s of selectedBy || []) out.push(...(state.findingsBySubject.get(s.subject) || []));
  return out;
}
function worstSeverity(findings) {
  let worst = -1;
  for (const f of findings) worst = Math.max(worst, SEVERITIES.indexOf(f.severity));
  return worst < 0 ? null : SEVERITIES[worst];
}

// --- layout: pack whole groups in a fixed order ---------------------------------------------------

function groupOrder() {
  const gs = [...state.overview.groups];
  gs.sort((a, b) => (a.id === EXTERNAL ? -1 : b.id === EXTERNAL ? 1 : a.id.localeCompare(b.id)));
  return gs;
}

function visibleGroup(g) {
  const ns = $('filter-ns').value;
  if (ns && g.id !== ns) return false;
  const mode = $('filter-mode').value;
  if (mode && g.kind === 'namespace' && (state.modes.get(g.id) || 'observe') !== mode) return false;
  if (mode && g.kind !== 'namespace') return false;
  return true;
}

function pack() {
  state.placed.clear();
  state.nodePos.clear();
  state.nodeInfo.clear();
  let x = 0, y = 0, rowH = 0;
  for (const g of groupOrder()) {
    if (!visibleGroup(g)) continue;
    const open = state.expanded.has(g.id) && state.groups.has(g.id);
    const w = open ? g.width : TILE_W, h = open ? g.height : TILE_H;
    if (x > 0 && x + w > ROW_WIDTH) { x = 0; y += rowH + GAP; rowH = 0; }
    state.placed.set(g.id, {x, y, w, h, collapsed: !open, group: g});
    if (open) {
      for (const n of state.groups.get(g.id).nodes) {
        if (n.group !== g.id) continue;
        state.nodePos.set(n.id, {x: x + n.x, y: y + n.y, w: state.overview.cell.width - 40, h: state.overview.cell.height - 16});
        state.nodeInfo.set(n.id, n);
      }
    }
    x += w + GAP;
    rowH = Math.max(rowH, h);
  }
}

// Where an edge end is drawn: the node when its group is open, else its group's tile.
function anchor(nodeId, group) {
  const p = state.nodePos.get(nodeId);
  if (p) return {x: p.x + p.w / 2, y: p.y + p.h / 2, key: nodeId};
  const g = state.placed.get(group);
  if (!g) return null;
  return {x: g.x + g.w / 2, y: g.y + g.h / 2, key: 'group:' + group};
}

function groupOf(nodeId) {
  if (state.nodeInfo.has(nodeId)) return state.nodeInfo.get(nodeId).group;
  for (const d of state.groups.values()) for (const n of d.nodes) if (n.id === nodeId) return n.group;
  const p = parseId(nodeId);
  return p ? p.namespace : EXTERNAL;
}

// --- drawing ------------------------------------------------------------------------------------

function edgeKind(e) {
  if (e.kind === 'observed-allowed' || e.kind === 'would-break') {
    const dst = parseId(e.target);
    const ns = dst && dst.namespace;
    const key = e.source + '\n' + e.target;
    if (ns && state.drift.has(ns) && state.drift.get(ns).has(key)) return 'denied';
    if (e.kind === 'observed-allowed' && ns && state.wouldDeny.has(ns) && state.wouldDeny.get(ns).has(key)) return 'would-deny';
  }
  return e.kind;
}
function kindInfo(id) { return KINDS.find(k => k.id === id); }

function render() {
  if (!state.overview) return;
  pack();
  // A redraw must not take the keyboard focus away from the node or group title that has it.
  const act = document.activeElement;
  const keep = act && act.closest && act.closest('#graph') ? (act.dataset.id ? 'node:' + act.dataset.id : act.dataset.titleOf ? 'title:' + act.dataset.titleOf : null) : null;
  const gLayer = $('groups'), eLayer = $('edges'), nLayer = $('nodes');
  gLayer.replaceChildren(); eLayer.replaceChildren(); nLayer.replaceChildren();
  const findingFilter = $('filter-finding').value;
  const focus = state.focus;
  for (const [id, p] of state.placed) {
    const g = svg('g', {class: 'group' + (p.collapsed ? ' collapsed' : ''), 'data-group': id});
    const box = svg('rect', {class: 'group-box', x: p.x, y: p.y, width: p.w, height: p.h, rx: 8});
    const title = svg('text', {class: 'group-title', x: p.x + 10, y: p.y + 20, tabindex: 0, role: 'button', 'data-title-of': id,
      'aria-expanded': String(!p.collapsed), 'aria-label': `${groupLabel(id)}: ${p.group.nodes} node(s), ${p.collapsed ? 'collapsed' : 'expanded'}`});
    const mode = state.modes.get(id);
    title.textContent = (p.collapsed ? '▸ ' : '▾ ') + groupLabel(id) + (mode ? `  [${mode}]` : '');
    title.addEventListener('click', ev => { ev.stopPropagation(); toggleGroup(id); });
    title.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggleGroup(id); } });
    g.append(box, title);
    if (p.collapsed) {
      const internal = state.overview.edges.find(e => e.source === id && e.target === id);
      const sub = svg('text', {class: 'group-sub', x: p.x + 10, y: p.y + 42});
      sub.textContent = `${p.group.nodes} ${id === EXTERNAL ? 'peer(s)' : 'workload(s)'}` + (internal ? `, ${sum(internal.pairs)} internal edge(s)` : '');
      const sub2 = svg('text', {class: 'group-sub', x: p.x + 10, y: p.y + 60});
      const nf = namespaceFindingCount(id);
      sub2.textContent = nf ? `${nf} finding(s)` : '';
      g.append(sub, sub2);
    }
    box.addEventListener('click', () => selectGroup(id));
    gLayer.append(g);
  }
  // Edges: workload-level ones of open groups, folded onto tiles where an end's group is closed.
  const drawn = new Map();
  const add = (a, b, kind, count, title) => {
    if (!a || !b || !state.shown.has(kind)) return;
    const key = a.key + '|' + b.key + '|' + kind;
    const d = drawn.get(key);
    if (d) { d.count += count; d.pairs++; d.titles.push(title); } else drawn.set(key, {a, b, kind, count, pairs: 1, titles: [title]});
  };
  const seen = new Set();
  for (const [gid, detail] of state.groups) {
    if (!state.placed.has(gid) || state.placed.get(gid).collapsed) continue;
    for (const e of detail.edges) {
      const k = e.source + '\n' + e.target;
      if (seen.has(k)) continue;
      seen.add(k);
      const kind = edgeKind(e);
      add(anchor(e.source, groupOf(e.source)), anchor(e.target, groupOf(e.target)), kind, e.count,
        `${e.source} → ${e.target}: ${kindInfo(kind).label}; ${Object.entries(e.ports).map(([p, c]) => c ? `${p} (${c} flows)` : p).join(', ')}`);
    }
  }
  for (const e of state.overview.edges) {
    const a = state.placed.get(e.source), b = state.placed.get(e.target);
    if (!a || !b || !a.collapsed || !b.collapsed || e.source === e.target) continue;
    for (const [kind, pairs] of Object.entries(e.pairs)) {
      add(anchor(null, e.source), anchor(null, e.target), kind, 0, `${groupLabel(e.source)} → ${groupLabel(e.target)}: ${pairs} workload pair(s) ${kindInfo(kind).label}, ${e.flows} flows`);
      const d = drawn.get('group:' + e.source + '|group:' + e.target + '|' + kind);
      if (d) { d.pairs = pairs; d.count = e.flows; }
    }
  }
  for (const d of drawn.values()) {
    const dx = d.b.x - d.a.x, dy = d.b.y - d.a.y;
    const bend = d.a.key === d.b.key ? 40 : 0.12;
    const mx = (d.a.x + d.b.x) / 2 - dy * (bend === 40 ? 0 : bend), my = (d.a.y + d.b.y) / 2 + dx * (bend === 40 ? 0 : bend) - (bend === 40 ? 40 : 0);
    const path = svg('path', {class: 'edge ' + d.kind, d: `M${d.a.x},${d.a.y} Q${mx},${my} ${d.b.x},${d.b.y}`,
      'marker-end': 'url(#arrow-' + d.kind + ')', 'data-source': d.a.key, 'data-target': d.b.key, 'data-kind': d.kind});
    const t = svg('title');
    t.textContent = d.titles.length > 3 ? d.titles.slice(0, 3).join('\n') + `\n… ${d.titles.length - 3} more` : d.titles.join('\n');
    path.append(t);
    if (focus && !(focus.nodes.has(d.a.key) && focus.nodes.has(d.b.key) && (d.a.key === focus.id || d.b.key === focus.id))) path.classList.add('dim');
    eLayer.append(path);
    const mark = kindInfo(d.kind).mark;
    if (d.a.key.startsWith('group:') || d.b.key.startsWith('group:') || mark) {
      const label = svg('text', {class: 'edge-label', x: mx, y: my});
      label.textContent = (mark ? mark + ' ' : '') + (d.pairs > 1 || d.a.key.startsWith('group:') ? `${d.pairs}` : '');
      if (label.textContent.trim()) eLayer.append(label);
    }
  }
  // Nodes of open groups.
  for (const [id, p] of state.nodePos) {
    const n = state.nodeInfo.get(id);
    const fs = workloadFindings(id);
    const sev = worstSeverity(fs);
    if (findingFilter && !passesFindingFilter(fs, findingFilter)) continue;
    const g = svg('g', {class: 'node' + (sev ? ' sev-' + sev : '') + (state.selected === id ? ' selected' : ''),
      'data-id': id, tabindex: 0, role: 'button',
      'aria-label': `${n.kind} ${n.name}` + (n.group !== EXTERNAL ? ` in ${n.group}` : '') + (fs.length ? `, ${fs.length} finding(s), worst ${sev}` : ', no findings')});
    g.append(svg('rect', {x: p.x, y: p.y, width: p.w, height: p.h}));
    const name = svg('text', {x: p.x + 8, y: p.y + 17});
    name.textContent = n.name.length > 22 ? n.name.slice(0, 21) + '…' : n.name;
    const kind = svg('text', {x: p.x + 8, y: p.y + 33, class: 'group-sub'});
    kind.textContent = n.kind;
    g.append(name, kind);
    if (fs.length) {
      const b = svg('text', {x: p.x + p.w - 8, y: p.y + 33, 'text-anchor': 'end', class: 'badge'});
      b.textContent = `${sev[0].toUpperCase()} ${fs.length}`;
      g.append(b);
    }
    const title = svg('title');
    title.textContent = g.getAttribute('aria-label');
    g.append(title);
    if (focus && !focus.nodes.has(id)) g.classList.add('dim');
    g.addEventListener('click', ev => { ev.stopPropagation(); selectWorkload(id); });
    g.addEventListener('keydown', ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); selectWorkload(id); } });
    nLayer.append(g);
  }
  if (keep) {
    const again = keep.startsWith('node:') ? nLayer.querySelector(`[data-id="${CSS.escape(keep.slice(5))}"]`)
      : gLayer.querySelector(`[data-title-of="${CSS.escape(keep.slice(6))}"]`);
    if (again) again.focus();
  }
  applyView();
  renderTree();
  state.renders++;
  document.body.dataset.renders = state.renders;
  document.body.dataset.ready = 'true';
}

function sum(o) { return Object.values(o).reduce((a, b) => a + b, 0); }
function passesFindingFilter(fs, f) {
  if (!fs.length) return false;
  if (f === 'any') return true;
  const worst = SEVERITIES.indexOf(worstSeverity(fs));
  return worst >= SEVERITIES.indexOf(f);
}
function namespaceFindingCount(ns) {
  let n = 0;
  for (const f of state.findings) if (subjectNamespace(f.subject) === ns) n++;
  return n;
}

function defineMarkers() {
  const defs = svg('defs');
  const colours = {'observed-allowed': '#3b6fb6', 'allowed-unobserved': '#9aa0a6', 'would-break': '#c62828', 'would-deny': '#e66100', 'denied': '#5e0000'};
  for (const [k, c] of Object.entries(colours)) {
    const m = svg('marker', {id: 'arrow-' + k, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'});
    m.append(svg('path', {d: 'M0,0 L10,5 L0,10 z', fill: c}));
    defs.append(m);
  }
  $('graph').prepend(defs);
}

function renderLegend() {
  const legend = $('legend');
  legend.replaceChildren(el('strong', {text: 'Edges'}));
  const box = $('edge-kinds');
  box.replaceChildren(el('legend', {text: 'Edges'}));
  for (const k of KINDS) {
    const s = document.createElementNS(SVGNS, 'svg');
    s.setAttribute('width', 36); s.setAttribute('height', 10); s.setAttribute('aria-hidden', 'true');
    s.append(svg('path', {class: 'edge ' + k.id, d: 'M2,5 L34,5'}));
    legend.append(el('div', {}, s, el('span', {text: (k.mark ? k.mark + ' ' : '') + k.label})));
    const cb = el('input', {type: 'checkbox', 'data-kind': k.id, checked: state.shown.has(k.id)});
    cb.addEventListener('change', async () => {
      if (cb.checked) state.shown.add(k.id); else state.shown.delete(k.id);
      if (k.id === 'allowed-unobserved') await Promise.all([...state.expanded].map(loadGroup));
      if (state.focus) await refreshFocus();
      render();
    });
    box.append(el('label', {}, cb, el('span', {text: k.label})));
  }
}

// --- pan and zoom -------------------------------------------------------------------------------

function applyView() {
  const v = state.view;
  $('viewport').setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.k})`);
}
function fitAll() {
  const r = $('graph').getBoundingClientRect();
  let maxX = 0, maxY = 0;
  for (const p of state.placed.values()) { maxX = Math.max(maxX, p.x + p.w); maxY = Math.max(maxY, p.y + p.h); }
  const k = Math.min(1.2, Math.max(0.05, Math.min((r.width - 40) / (maxX || 1), (r.height - 40) / (maxY || 1))));
  state.view = {x: 20, y: 20, k};
  applyView();
}
function centerOn(x, y) {
  const r = $('graph').getBoundingClientRect();
  state.view.k = Math.max(state.view.k, 0.8);
  state.view.x = r.width / 2 - x * state.view.k;
  state.view.y = r.height / 2 - y * state.view.k;
  applyView();
}
function installPanZoom() {
  const g = $('graph');
  let drag = null;
  g.addEventListener('mousedown', e => { drag = {x: e.clientX, y: e.clientY, vx: state.view.x, vy: state.view.y}; });
  window.addEventListener('mouseup', () => { drag = null; });
  window.addEventListener('mousemove', e => {
    if (!drag) return;
    state.view.x = drag.vx + e.clientX - drag.x; state.view.y = drag.vy + e.clientY - drag.y; applyView();
  });
  g.addEventListener('wheel', e => {
    e.preventDefault();
    const r = g.getBoundingClientRect();
    const f = Math.exp(-e.deltaY * 0.0015), k = Math.min(4, Math.max(0.03, state.view.k * f));
    const px = e.clientX - r.left, py = e.clientY - r.top;
    state.view.x = px - (px - state.view.x) * (k / state.view.k);
    state.view.y = py - (py - state.view.y) * (k / state.view.k);
    state.view.k = k; applyView();
  }, {passive: false});
  g.addEventListener('keydown', e => {
    const step = 60;
    if (e.key === 'ArrowLeft') state.view.x += step; else if (e.key === 'ArrowRight') state.view.x -= step;
    else if (e.key === 'ArrowUp') state.view.y += step; else if (e.key === 'ArrowDown') state.view.y -= step;
    else if (e.key === '+' || e.key === '=') state.view.k = Math.min(4, state.view.k * 1.2);
    else if (e.key === '-') state.view.k = Math.max(0.03, state.view.k / 1.2);
    else if (e.key === '0') { fitAll(); return; }
    else if (e.key === 'Escape') { clearFocus(); return; }
    else return;
    e.preventDefault(); applyView();
  });
}

// --- the list on the left (keyboard-navigable tree) -------------------------------------------------

function renderTree() {
  if (!state.overview) return;
  const tree = $('tree');
  const active = document.activeElement && document.activeElement.closest && document.activeElement.closest('#tree') ? document.activeElement.dataset.key : null;
  tree.replaceChildren();
  for (const g of groupOrder()) {
    if (!visibleGroup(g)) continue;
    const open = state.expanded.has(g.id);
    const mode = state.modes.get(g.id);
    const nf = namespaceFindingCount(g.id);
    const item = el('li', {role: 'treeitem', 'aria-expanded': String(open), tabindex: -1, 'data-key': 'group:' + g.id,
      class: state.selectedGroup === g.id ? 'selected' : null},
      el('span', {text: `${open ? '▾' : '▸'} ${groupLabel(g.id)} (${g.nodes})` + (mode ? ` — ${mode}` : '') + (nf ? ` — ${nf} finding(s)` : '')}));
    if (open && state.groups.has(g.id)) {
      const sub = el('ul', {role: 'group'});
      for (const n of state.groups.get(g.id).nodes) {
        if (n.group !== g.id) continue;
        const fs = workloadFindings(n.id);
        const sev = worstSeverity(fs);
        sub.append(el('li', {role: 'treeitem', tabindex: -1, 'data-key': n.id, class: state.selected === n.id ? 'selected' : null,
          'aria-selected': String(state.selected === n.id)},
          el('span', {text: `${n.name} (${n.kind})` + (fs.length ? ` — ${fs.length} finding(s), worst ${sev}` : '')})));
      }
      item.append(sub);
    }
    tree.append(item);
  }
  const items = [...tree.querySelectorAll('[role=treeitem]')];
  if (items.length) {
    const current = items.find(i => i.dataset.key === active) || items.find(i => i.classList.contains('selected')) || items[0];
    current.tabIndex = 0;
    if (active && current.dataset.key === active) current.focus();
  }
}

function installTreeKeys() {
  const tree = $('tree');
  tree.addEventListener('click', e => {
    const li = e.target.closest('[role=treeitem]');
    if (li) { e.stopPropagation(); activate(li); }
  });
  tree.addEventListener('keydown', e => {
    const items = [...tree.querySelectorAll('[role=treeitem]')];
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    const cur = items[i];
    const move = j => { if (j >= 0 && j < items.length) { cur.tabIndex = -1; items[j].tabIndex = 0; items[j].focus(); } };
    if (e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'ArrowUp') move(i - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(items.length - 1);
    else if (e.key === 'ArrowRight' && cur.dataset.key.startsWith('group:') && cur.getAttribute('aria-expanded') === 'false') toggleGroup(cur.dataset.key.slice(6));
    else if (e.key === 'ArrowLeft' && cur.dataset.key.startsWith('group:') && cur.getAttribute('aria-expanded') === 'true') toggleGroup(cur.dataset.key.slice(6));
    else if (e.key === 'Enter' || e.key === ' ') activate(cur);
    else return;
    e.preventDefault();
  });
}
function activate(li) {
  const key = li.dataset.key;
  if (key.startsWith('group:')) { const g = key.slice(6); selectGroup(g); if (!state.expanded.has(g)) toggleGroup(g); }
  else selectWorkload(key);
}

// --- interaction --------------------------------------------------------------------------------

async function toggleGroup(id) {
  if (state.expanded.has(id)) {
    state.expanded.delete(id);
  } else {
    state.expanded.add(id);
    await loadGroup(id);
  }
  render();
}

async function selectWorkload(id) {
  const p = parseId(id);
  state.selected = id;
  state.selectedGroup = null;
  const group = p ? p.namespace : EXTERNAL;
  if (!state.expanded.has(group)) { state.expanded.add(group); await loadGroup(group); }
  await refreshFocus();
  render();
  const pos = state.nodePos.get(id);
  if (pos) centerOn(pos.x + pos.w / 2, pos.y + pos.h / 2);
  if (p) await showWorkload(p); else showExternal(id);
  document.body.dataset.focused = id;
}

async function refreshFocus() {
  const id = state.selected;
  if (!id) { state.focus = null; return; }
  const p = parseId(id);
  if (!p) { state.focus = {id, nodes: new Set([id])}; return; }
  const around = await api(`/api/v1/namespaces/${encodeURIComponent(p.namespace)}/workloads/${encodeURIComponent(p.name)}/graph?kind=${encodeURIComponent(p.kind)}`
    + (state.shown.has('allowed-unobserved') ? '&unobserved=true' : ''));
  const nodes = new Set([id]);
  for (const n of around.nodes) { nodes.add(n.id); nodes.add('group:' + n.group); }
  state.focus = {id, nodes};
  // Edges around the focus are drawn from the focused group's detail; unobserved ones come from here.
  const detail = state.groups.get(p.namespace);
  if (detail) {
    const known = new Set(detail.edges.map(e => e.source + '\n' + e.target));
    for (const e of around.edges) if (!known.has(e.source + '\n' + e.target)) detail.edges.push(e);
  }
}

function clearFocus() {
  state.selected = null; state.focus = null; document.body.dataset.focused = '';
  render();
}

function selectGroup(id) {
  state.selectedGroup = id;
  state.selected = null; state.focus = null;
  render();
  if (id !== EXTERNAL) showNamespace(id); else showExternal(null);
}

// --- search -------------------------------------------------------------------------------------

function allNodes() {
  const out = [];
  for (const d of state.groups.values()) for (const n of d.nodes) out.push(n);
  return out;
}
function installSearch() {
  const input = $('search'), list = $('search-results');
  let results = [], index = -1;
  const show = () => {
    list.replaceChildren();
    results.forEach((r, i) => list.append(el('li', {role: 'option', 'aria-selected': String(i === index), 'data-id': r.id,
      onclick: () => choose(r)}, r.label)));
    list.hidden = results.length === 0;
  };
  const choose = r => { list.hidden = true; input.value = ''; results = []; if (r.group) selectGroup(r.group); else selectWorkload(r.id); };
  input.addEventListener('input', async () => {
    const q = input.value.trim().toLowerCase();
    index = -1;
    if (!q) { results = []; show(); return; }
    results = [];
    for (const g of state.overview.groups) if (groupLabel(g.id).includes(q)) results.push({group: g.id, label: `namespace ${groupLabel(g.id)} (${g.nodes})`});
    // Closed groups are searched on the server's list of their nodes, loaded once on demand.
    const seen = new Set();
    for (const n of allNodes()) {
      if (!seen.has(n.id) && (n.name.toLowerCase().includes(q) || n.id.toLowerCase().includes(q))) { seen.add(n.id); results.push({id: n.id, label: n.id}); }
    }
    if (results.length < 20) {
      for (const g of state.overview.groups) {
        if (state.groups.has(g.id) || g.nodes > 5000) continue;
        await loadGroup(g.id);
        for (const n of state.groups.get(g.id) ? state.groups.get(g.id).nodes : []) {
          if (!seen.has(n.id) && n.id.toLowerCase().includes(q)) { seen.add(n.id); results.push({id: n.id, label: n.id}); }
        }
        if (results.length >= 20) break;
      }
    }
    results = results.slice(0, 20);
    show();
  });
  input.addEventListener('keydown', e => {
    if (e.key === 'ArrowDown') { index = Math.min(results.length - 1, index + 1); show(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { index = Math.max(0, index - 1); show(); e.preventDefault(); }
    else if (e.key === 'Enter' && results.length) { choose(results[Math.max(0, index)]); e.preventDefault(); }
    else if (e.key === 'Escape') { list.hidden = true; }
  });
}

// --- side panel ---------------------------------------------------------------------------------

function section(title, ...children) { return el('section', {}, el('h2', {text: title}), ...children); }
function unavailable(text) { return el('p', {class: 'unavailable', text}); }

function findingsTable(fs) {
  if (!fs.length) return el('p', {text: 'No findings.'});
  const t = el('table', {}, el('tr', {}, el('th', {text: 'severity'}), el('th', {text: 'rule'}), el('th', {text: 'finding'}), el('th', {text: 'where'})));
  for (const f of fs) {
    const ev = el('details', {}, el('summary', {text: f.title}), el('pre', {text: (f.evidence || []).join('\n') + '\n\nRemediation: ' + f.remediation}));
    t.append(el('tr', {}, el('td', {}, el('span', {class: 'sev ' + f.severity, text: f.severity})), el('td', {text: f.ruleId}),
      el('td', {}, ev), el('td', {class: 'loc', text: f.location ? `${f.location.file}:${f.location.line}` : ''})));
  }
  return t;
}

function edgesTable(id, edges) {
  if (!edges.length) return el('p', {text: 'No observed traffic.'});
  const t = el('table', {}, el('tr', {}, el('th', {text: 'direction'}), el('th', {text: 'peer'}), el('th', {text: 'ports'}), el('th', {text: 'flows'}), el('th', {text: 'state'}), el('th', {text: 'seen'})));
  for (const e of edges) {
    const out = e.source === id;
    const kind = edgeKind(e);
    t.append(el('tr', {}, el('td', {text: out ? 'out →' : '← in'}), el('td', {text: out ? e.target : e.source}),
      el('td', {text: Object.keys(e.ports).join(', ')}), el('td', {text: String(e.count)}),
      el('td', {text: (kindInfo(kind).mark ? kindInfo(kind).mark + ' ' : '') + kindInfo(kind).label}),
      el('td', {text: e.firstSeen ? `${e.firstSeen.slice(0, 19)} … ${e.lastSeen.slice(0, 19)}` : ''})));
  }
  return t;
}

function coverageBlock(c) {
  const rows = el('table', {}, el('tr', {}, el('th', {text: 'direction'}), el('th', {text: 'watched by'})));
  for (const side of ['ingress', 'egress']) {
    const s = c[side];
    const parts = [];
    if (s.everyPort.length) parts.push('every port: ' + s.everyPort.join(', '));
    for (const [p, srcs] of Object.entries(s.ports)) parts.push(`${p}: ${srcs.join(', ')}`);
    rows.append(el('tr', {}, el('td', {text: side}), el('td', {text: parts.length ? parts.join('; ') : 'no source watched it (nothing may be restricted here)'})));
  }
  return el('div', {}, el('p', {class: 'coverage-summary', text: c.summary}), rows);
}

async function showWorkload(p) {
  const panel = $('panel');
  panel.replaceChildren(el('p', {text: 'loading…'}));
  const base = `/api/v1/namespaces/${encodeURIComponent(p.namespace)}/workloads/${encodeURIComponent(p.name)}`;
  let w;
  try { w = await api(`${base}?kind=${encodeURIComponent(p.kind)}`); } catch (e) { panel.replaceChildren(el('p', {role: 'alert', text: e.message})); return; }
  const fs = workloadFindings(w.id, w.selectedBy);
  state.panelWorkload = w;
  panel.replaceChildren(
    el('h2', {id: 'panel-title', text: `${w.name} (${w.kind})`}),
    el('p', {}, `namespace ${w.namespace} · `, el('span', {class: 'loc', text: w.location}), el('br'), el('span', {class: 'loc', text: w.identity})),
    el('p', {}, el('button', {type: 'button', text: `Namespace ${w.namespace}: mode and audit`, onclick: () => selectGroup(w.namespace)})),
    section(`Findings (${fs.length})`, findingsTable(fs)),
    el('section', {id: 'proposal'}, el('h2', {text: 'Proposal'}), el('p', {text: 'loading…'})),
    el('section', {id: 'dryrun'}, el('h2', {text: 'Dry run'}), el('p', {text: 'loading…'})),
    section('Coverage', coverageBlock(w.coverage)),
    section('Observed traffic', edgesTable(w.id, w.edges)),
    section('Selected by', w.selectedBy.length ? el('ul', {}, ...w.selectedBy.map(s => el('li', {}, s.subject + ' ', el('span', {class: 'loc', text: s.location}))))
      : el('p', {text: 'No NetworkPolicy selects it.'})));
  renderProposal(w).catch(e => $('proposal').replaceChildren(el('h2', {text: 'Proposal'}), unavailable(e.message)));
  renderDryRun(w).catch(e => $('dryrun').replaceChildren(el('h2', {text: 'Dry run'}), unavailable(e.message)));
}

// The proposal API belongs to the proposal and mode state; a build without it says so.
async function renderProposal(w) {
  const box = $('proposal');
  let p;
  try {
    p = await api(`/api/v1/namespaces/${encodeURIComponent(w.namespace)}/proposal`);
  } catch (e) {
    box.replaceChildren(el('h2', {text: 'Proposal'}), unavailable(e.status === 404 && e.code === 'not_found'
      ? 'This control plane serves no proposals yet.' : e.message));
    return;
  }
  box.replaceChildren(el('h2', {text: 'Proposal'}), proposalView(p, w));
}

function workloadPart(p, w) {
  const list = p.policies || [];
  const i = list.findIndex(x => x && (normId(x.workload) === w.id));
  return i < 0 ? null : {index: i, policy: list[i]};
}

function rulesTable(direction, rules, scope) {
  const t = el('table', {}, el('tr', {}, el('th', {text: 'port'}), el('th', {text: direction === 'ingress' ? 'from' : 'to'}),
    el('th', {text: 'requests'}), el('th', {text: 'evidence'})));
  for (const r of rules) {
    const pv = r.provenance || {};
    t.append(el('tr', {}, el('td', {text: `${r.protocol}/${r.port}` + (r.portName ? ` (${r.portName})` : '')}),
      el('td', {text: (r.peers || []).join(', ')}), el('td', {text: (r.http || []).join(', ') || 'any'}),
      el('td', {text: `${pv.flows || 0} flow(s)` + (pv.firstSeen ? `, ${pv.firstSeen.slice(0, 19)} … ${pv.lastSeen.slice(0, 19)}` : '') + (pv.reason ? ` — ${pv.reason}` : '')})));
  }
  return el('div', {}, el('h3', {text: `${direction}: ${scope ? scope.extent : ''}` + (scope && scope.why ? ` — ${scope.why}` : '')}),
    rules.length ? t : el('p', {text: 'no rule: ' + (scope && scope.extent === 'OPEN' ? 'left open (no source could see this direction)' : 'nothing allowed')}));
}

function yamlFor(yaml, name) {
  if (typeof yaml !== 'string') return JSON.stringify(yaml, null, 2);
  const docs = yaml.split(/\n---\s*\n/).filter(d => d.includes(`name: ${name}`));
  return docs.length ? docs.join('\n---\n') : yaml;
}

function proposalView(p, w) {
  const part = workloadPart(p, w);
  const head = el('p', {}, `version ${p.version}` + ` · namespace mode ${p.mode}` + (p.approvedVersion ? ` · enforced version ${p.approvedVersion}` : '')
    + (p.refusal ? ` · refused: ${p.refusal}` : ''));
  if (!part) {
    const why = (p.coverage && p.coverage.notEnoughEvidence || []).find(u => normId(u.workload) === w.id);
    return el('div', {class: 'proposal-view'}, head, el('p', {text: why ? `No policy for this workload: ${why.reason}` : 'The proposal has no policy for this workload.'}));
  }
  const pol = part.policy;
  const forms = [['Envoy RBAC', JSON.stringify((p.forms.envoy || [])[part.index], null, 2)],
    ['NetworkPolicy', yamlFor(p.forms.networkPolicy, w.name)], ['AuthorizationPolicy', yamlFor(p.forms.authorizationPolicy, w.name)]];
  const tabs = el('div', {class: 'tabs', role: 'tablist', 'aria-label': 'proposal forms'});
  const body = el('div', {role: 'tabpanel'}, el('pre', {text: forms[0][1]}));
  forms.forEach(([name, text], i) => {
    const tab = el('button', {type: 'button', role: 'tab', 'aria-selected': String(i === 0), text: name, onclick: () => {
      tabs.querySelectorAll('[role=tab]').forEach(t => t.setAttribute('aria-selected', 'false'));
      tab.setAttribute('aria-selected', 'true');
      body.replaceChildren(el('pre', {text}));
    }});
    tabs.append(tab);
  });
  const diff = el('section', {id: 'policy-diff', 'aria-label': 'diff against what is enforced'}, el('h3', {text: 'Diff against what is enforced'}),
    el('p', {text: 'loading…'}));
  renderPolicyDiff(diff, w).catch(e => diff.replaceChildren(el('h3', {text: 'Diff against what is enforced'}), unavailable(e.message)));
  return el('div', {class: 'proposal-view'}, head,
    el('p', {text: `${pol.flowsIn} flow(s) in, ${pol.flowsOut} out, as ${pol.serviceAccount}`}),
    rulesTable('ingress', pol.ingress || [], pol.ingressScope), rulesTable('egress', pol.egress || [], pol.egressScope),
    diff, el('h3', {text: 'Forms'}), tabs, body);
}

// The workload's policy diff, grant by grant: from what its sidecars are held to (the enforced
// version, else the dry-run's pinned one, else nothing of ours) to the newest proposal. Each row
// says its change in words and a sign, not by colour alone, with the evidence of its rule and the
// flows observed for exactly that grant.
const CHANGES = [
  {id: 'added', mark: '+', label: 'added'},
  {id: 'removed', mark: '−', label: 'removed'},
  {id: 'unchanged', mark: '=', label: 'unchanged'},
];
const SIDE_ROLES = {enforced: 'enforced', 'dry-run': 'pinned by the dry-run', newest: 'the newest proposal', named: 'asked for', none: 'none'};

async function renderPolicyDiff(box, w) {
  const d = await api(`/api/v1/namespaces/${encodeURIComponent(w.namespace)}/workloads/${encodeURIComponent(w.name)}/policy?kind=${encodeURIComponent(w.kind)}`);
  const side = s => s.role === 'none' ? 'no policy of meshwarden\'s' : `version ${shortVersion(s.version)} (${SIDE_ROLES[s.role] || s.role})`;
  const parts = [el('h3', {text: 'Diff against what is enforced'}),
    el('p', {class: 'diff-sides', text: `from ${side(d.from)} to ${side(d.to)}: ` + CHANGES.map(c => `${(d[c.id] || []).length} ${c.label}`).join(', ')})];
  if (d.from.role === 'none') {
    parts.push(el('p', {class: 'diff', text: 'Nothing of meshwarden\'s is enforced here: today the namespace\'s own policies decide, so every grant of the proposal is new. What those policies allow that no traffic used (allowed-but-unobserved, shown with the edge filter) is what this proposal closes.'}));
  } else if (!d.changed) {
    parts.push(el('p', {class: 'diff', text: d.from.version === d.to.version ? 'The newest proposal is what the sidecars are held to.' : 'The newest proposal grants exactly what the sidecars are held to.'}));
  }
  const rows = [];
  for (const c of CHANGES) for (const g of d[c.id] || []) rows.push(grantRow(c, g));
  if (rows.length) {
    parts.push(el('table', {class: 'grants'}, el('tr', {}, el('th', {text: 'change'}), el('th', {text: 'direction, port'}), el('th', {text: 'peer'}),
      el('th', {text: 'request'}), el('th', {text: 'rule evidence'}), el('th', {text: 'observed for this grant'})), ...rows));
  }
  box.replaceChildren(...parts);
}

function evidence(e) {
  if (!e || !e.flows) return 'no flow';
  return `${e.flows} flow(s)` + (e.firstSeen ? `, ${e.firstSeen.slice(0, 19)} … ${(e.lastSeen || '').slice(0, 19)}` : '');
}
function grantRow(change, g) {
  const req = g.request ? `${g.request.method || 'any method'} ${g.request.path}${g.request.prefix ? '*' : ''}` : 'any (L4)';
  const peer = g.peer.workload ? normId(g.peer.workload) : g.peer.label;
  return el('tr', {class: 'grant ' + change.id, 'data-change': change.id, 'data-peer': peer, 'data-path': g.request ? g.request.path : ''},
    el('td', {class: 'change-mark', text: `${change.mark} ${change.label}`}),
    el('td', {text: `${g.direction} ${g.protocol}/${g.port}`}), el('td', {text: peer}), el('td', {text: req}),
    el('td', {text: evidence(g.rule) + (g.rule && g.rule.reason ? ` — ${g.rule.reason}` : '')}), el('td', {text: evidence(g.observed)}));
}

async function renderDryRun(w) {
  const box = $('dryrun');
  let r;
  try {
    r = await api(`/api/v1/namespaces/${encodeURIComponent(w.namespace)}/dryrun`);
  } catch (e) {
    box.replaceChildren(el('h2', {text: 'Dry run'}), unavailable(e.status === 404 && e.code === 'not_found'
      ? 'This control plane serves no live dry-run yet.' : e.message));
    return;
  }
  box.replaceChildren(el('h2', {text: 'Dry run'}), dryRunView(r, w ? w.id : null));
}

function layerTable(layer, id, caption, key) {
  if (!layer || !layer.version) return null;
  const rows = [];
  for (const d of layer.byDestination || []) {
    for (const r of d.rules || []) {
      for (const f of r.flows || []) {
        if (id && normId(d.destination) !== id && normId(f.peer) !== id) continue;
        rows.push(el('tr', {'data-peer': normId(f.peer), 'data-destination': normId(d.destination), 'data-path': f.path || ''},
          el('td', {text: `${normId(f.peer)} → ${normId(d.destination)}`}),
          el('td', {text: `${f.port}` + (f.method ? ` ${f.method} ${f.path || ''}` : '')}), el('td', {text: String(f.count)}),
          el('td', {text: `${r.policy || ''}` + (r.reason ? ` — ${r.reason}` : '')}),
          el('td', {text: f.lastSeen ? f.lastSeen.slice(0, 19) : ''})));
      }
    }
  }
  const head = el('p', {class: 'verdict', text: `${caption} (version ${layer.version}): ${layer.total} flow(s) in the namespace` + (id ? `, ${rows.length} flow group(s) of this workload` : '')});
  if (!rows.length) return el('div', {class: 'layer', 'data-layer': key}, head);
  return el('div', {class: 'layer', 'data-layer': key}, head, el('table', {}, el('tr', {}, el('th', {text: 'flow'}), el('th', {text: 'port, request'}), el('th', {text: 'count'}),
    el('th', {text: 'deciding rule'}), el('th', {text: 'last seen'})), ...rows));
}

// What each version judged in the window: the would-allow side of the dry-run (judged less denied),
// in words and numbers, so a clean dry-run reads as "judged 300, allowed 300", not as silence.
function versionsTable(versions) {
  if (!versions || !versions.length) return null;
  const t = el('table', {class: 'judged'}, el('tr', {}, el('th', {text: 'layer'}), el('th', {text: 'version'}), el('th', {text: 'judged'}),
    el('th', {text: 'allowed'}), el('th', {text: 'denied'}), el('th', {text: 'seen'})));
  for (const v of versions) {
    t.append(el('tr', {'data-version': v.version, 'data-layer': v.layer},
      el('td', {text: v.layer === 'proposal' ? 'proposal (shadow rules: would be)' : 'enforced'}),
      el('td', {class: 'loc', title: v.version, text: shortVersion(v.version)}), el('td', {class: 'n-judged', text: String(v.judged)}),
      el('td', {class: 'n-allowed', text: String(v.judged - v.denied)}), el('td', {class: 'n-denied', text: String(v.denied)}),
      el('td', {text: v.firstSeen ? `${v.firstSeen.slice(0, 19)} … ${v.lastSeen.slice(0, 19)}` : ''})));
  }
  return el('div', {}, el('h3', {text: 'Judged in the window, by version'}), t);
}
function shortVersion(v) { return v && v.length > 12 ? v.slice(0, 12) + '…' : (v || ''); }

function dryRunView(r, id) {
  const parts = [el('p', {text: `mode ${r.mode}` + (r.window && r.window.start ? ` · window ${r.window.start.slice(0, 19)} … ${r.window.end.slice(0, 19)}` : '')})];
  if (!(r.wouldDeny && r.wouldDeny.version) && !(r.drift && r.drift.version)) parts.push(el('p', {text: r.mode === 'observe' ? 'Observe mode: nothing is judged. Move the namespace to dry-run to see what its proposal would deny.' : 'Nothing judged yet.'}));
  if (!id) parts.push(versionsTable(r.versions));
  parts.push(layerTable(r.wouldDeny, id, 'would deny', 'would-deny'));
  parts.push(layerTable(r.drift, id, 'denied in enforce (drift)', 'drift'));
  if (r.undecided) parts.push(el('p', {text: `undecided: ${typeof r.undecided === 'object' ? JSON.stringify(r.undecided) : r.undecided}`}));
  return el('div', {class: 'dryrun-view'}, ...parts.filter(Boolean));
}

function showExternal(id) {
  $('panel').replaceChildren(el('h2', {text: id || 'external peers'}),
    el('p', {text: 'A peer outside the cluster (the internet, an address range or a DNS name), known only from traffic. It has no policy of its own; select the workloads it talks to.'}));
}

async function showNamespace(ns) {
  const panel = $('panel');
  const g = state.overview.groups.find(x => x.id === ns);
  const fs = state.findings.filter(f => subjectNamespace(f.subject) === ns);
  panel.replaceChildren(el('h2', {id: 'panel-title', text: `namespace ${ns}`}), el('p', {text: `${g ? g.nodes : 0} workload(s)`}),
    el('section', {id: 'mode'}, el('h2', {text: 'Mode'}), el('p', {text: 'loading…'})),
    el('section', {id: 'dryrun'}, el('h2', {text: 'Dry run'}), el('p', {text: 'loading…'})),
    el('section', {id: 'audit'}, el('h2', {text: 'Audit history'}), el('p', {text: 'loading…'})),
    section(`Findings (${fs.length})`, findingsTable(fs)));
  renderMode(ns);
  renderDryRunFor(ns);
  renderAudit(ns);
}

async function renderDryRunFor(ns) {
  const box = $('dryrun');
  try {
    const r = await api(`/api/v1/namespaces/${encodeURIComponent(ns)}/dryrun`);
    box.replaceChildren(el('h2', {text: 'Dry run'}), dryRunView(r, null));
  } catch (e) {
    box.replaceChildren(el('h2', {text: 'Dry run'}), unavailable(e.status === 404 && e.code === 'not_found' ? 'This control plane serves no live dry-run yet.' : e.message));
  }
}

async function renderMode(ns) {
  const box = $('mode');
  let p;
  try {
    p = await api(`/api/v1/namespaces/${encodeURIComponent(ns)}/proposal`);
  } catch (e) {
    box.replaceChildren(el('h2', {text: 'Mode'}), el('p', {}, 'current: ', el('span', {class: 'mode', text: state.modes.get(ns) || 'observe'})),
      unavailable(e.status === 404 && e.code === 'not_found' ? 'This control plane serves no proposals, so the mode cannot be changed here.' : e.message));
    return;
  }
  const mode = p.mode || 'observe';
  const buttons = ['observe', 'dry-run', 'enforce'].map(m => el('button', {type: 'button', 'data-mode': m, disabled: m === mode,
    'aria-pressed': String(m === mode), text: m === mode ? `${m} (current)` : `→ ${m}`, onclick: () => openApproval(ns, m, p)}));
  box.replaceChildren(el('h2', {text: 'Mode'}), el('p', {}, 'current: ', el('span', {class: 'mode', text: mode}),
    ` · newest proposal version ${p.version || '?'}`), versionsNote(p), el('div', {}, ...buttons));
}

// Which version the sidecars are held to, and how the newest differs from it (counts of the diff).
function versionsNote(p) {
  const lines = [];
  if (p.approvedVersion && p.mode === 'enforce') lines.push(`enforced: version ${p.approvedVersion}`);
  if (p.dryRunVersion && p.mode !== 'observe') lines.push(`dry-run pinned to version ${p.dryRunVersion}` + (p.newerThanDryRun ? ' (a newer proposal exists, not dry-run)' : ' (the newest)'));
  if (p.diff && p.diff.from && p.diff.from.role !== 'none') {
    lines.push(`newest against ${p.diff.from.role === 'enforced' ? 'the enforced' : 'the pinned'} version: +${p.diff.added} added, −${p.diff.removed} removed, =${p.diff.unchanged} unchanged grant(s) in ${p.diff.workloadsChanged} workload(s)`);
  }
  return lines.length ? el('ul', {class: 'versions-note'}, ...lines.map(t => el('li', {text: t}))) : null;
}

async function openApproval(ns, mode, proposal) {
  const dlg = $('approve');
  $('approve-title').textContent = `Move ${ns} to ${mode}`;
  $('approve-error').textContent = '';
  $('approve-reason').value = '';
  const body = $('approve-body');
  // Enforce approves the version the dry-run is pinned to (what the verdict below judged), not a newer one;
  // a pin left from before observe was not watched since, so then the newest is named.
  const pinned = mode === 'enforce' && proposal.mode !== 'observe' && proposal.dryRunVersion;
  const version = pinned ? proposal.dryRunVersion : proposal.version;
  const what = mode === 'dry-run' ? `pins proposal version ${version} (the newest): the sidecars get it as shadow rules and the live dry-run judges against it`
    : mode === 'enforce' ? `approves proposal version ${version}` + (pinned ? ' (the one the dry-run is pinned to)' : ' (the newest; it was not dry-run)')
      + (pinned && proposal.newerThanDryRun ? `; the newest, ${proposal.version}, was not dry-run and is not approved` : '')
    : 'stops judging and enforcing: the sidecars get no rules of meshwarden\'s';
  body.replaceChildren(el('p', {class: 'approve-version', text: `proposal version ${version || '?'}`}), el('p', {text: what}), el('p', {text: 'dry-run verdict: loading…'}));
  let verdict = null;
  try {
    verdict = await api(`/api/v1/namespaces/${encodeURIComponent(ns)}/dryrun`);
    body.lastChild.textContent = 'dry-run verdict: ' + dryRunSummary(verdict);
  } catch (e) {
    body.lastChild.textContent = 'dry-run verdict: ' + (e.status === 404 ? 'none (no dry-run has run)' : e.message);
  }
  $('approve-ok').onclick = async ev => {
    ev.preventDefault();
    const req = {mode};
    // Dry-run pins the version shown; enforce approves the pinned one (what the dry-run judged).
    if (mode === 'dry-run') req.version = proposal.version;
    if (mode === 'enforce') req.approvedVersion = version;
    if ($('approve-reason').value.trim()) req.reason = $('approve-reason').value.trim();
    try {
      await api(`/api/v1/namespaces/${encodeURIComponent(ns)}/mode`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(req)});
      dlg.close();
      state.modes.set(ns, mode);
      showNamespace(ns);
      render();
    } catch (e) {
      $('approve-error').textContent = `${e.code}: ${e.message}`;
    }
  };
  $('approve-cancel').onclick = () => dlg.close();
  dlg.showModal();
}

function dryRunSummary(r) {
  if (!r || !r.wouldDeny || !r.wouldDeny.version) return `none yet (mode ${r ? r.mode : 'unknown'}): nothing has been judged against a proposal`;
  return `${r.wouldDeny.total} observed flow(s) would be denied by version ${r.wouldDeny.version}` + (r.wouldDeny.total ? ' — confirming needs a reason (override)' : '');
}

async function renderAudit(ns) {
  const box = $('audit');
  try {
    const a = await api(`/api/v1/namespaces/${encodeURIComponent(ns)}/audit`);
    const entries = Array.isArray(a) ? a : (a.entries || a.audit || []);
    box.replaceChildren(el('h2', {text: 'Audit history'}), entries.length ? el('ol', {class: 'audit'}, ...entries.map(x => el('li', {text:
      `${(x.at || '').slice(0, 19)} ${x.actor || ''}: ${x.action || ''}` + (x.from || x.to ? ` ${x.from || ''} → ${x.to || ''}` : '')
      + (x.version ? ` (version ${x.version})` : '') + (x.reason ? ` — “${x.reason}”` : '') + (x.detail && !(x.version && x.detail === 'version ' + x.version) ? ` — ${x.detail}` : '')})))
      : el('p', {text: 'No changes yet.'}));
  } catch (e) {
    box.replaceChildren(el('h2', {text: 'Audit history'}), unavailable(e.status === 404 && e.code === 'not_found' ? 'This control plane keeps no audit history yet.' : e.message));
  }
}

// --- live updates -------------------------------------------------------------------------------

let refreshTimer = null;
function scheduleRefresh() {
  if (refreshTimer) return;
  // At most one refresh in flight every two seconds, however fast traffic arrives.
  refreshTimer = setTimeout(async () => {
    try {
      await loadAll();
      if (state.selected) await refreshFocus();
      render();
      if ($('simulated-status')) renderSimulated((await api('/api/v1/about')).simulated);
      // The open panel's live part (the dry-run) follows the traffic too.
      if (state.selectedGroup && state.selectedGroup !== EXTERNAL && $('dryrun')) await renderDryRunFor(state.selectedGroup);
      else if (state.selected && state.panelWorkload && state.panelWorkload.id === state.selected && $('dryrun')) await renderDryRun(state.panelWorkload);
    } catch (e) { setStatus(e.message); }
    refreshTimer = null;
  }, 2000);
}

function listen() {
  const es = new EventSource('/api/v1/events');
  es.addEventListener('change', ev => {
    if (ev.data !== state.lastVersions) { state.lastVersions = ev.data; if (state.ready) scheduleRefresh(); }
  });
  es.onopen = () => setStatus();
  es.onerror = () => setStatus('live updates interrupted; retrying…');
}

// demo --workloads: what the simulated load and intruder got from the RBAC the control plane
// served them, live (their counts come from the simulated clients, labelled as such).
function renderSimulated(sim) {
  const box = $('simulated-status');
  if (!box || !sim || !sim.simulated) return;
  const l = sim.load || {}, i = sim.intruder || {};
  const intruder = !i.active && !i.attempts ? 'waiting (it calls once the namespace leaves observe)'
    : `${i.attempts} call(s): ${i.allowed} allowed, ${i.denied} denied (PERMISSION_DENIED)` + (i.failed ? `, ${i.failed} failed otherwise` : '')
      + (i.lastResult ? `; last ${i.lastResult}` : '');
  box.replaceChildren(el('span', {class: 'sim-load', text: `Simulated load ${l.from || ''} → ${l.to || ''}: ${l.ok || 0} ok, ${l.failed || 0} failed.`}), ' ',
    el('span', {class: 'sim-intruder', 'data-last': i.lastResult || '', text: `Simulated intruder ${i.from || ''} → ${i.to || ''} ${i.method || ''}: ${intruder}.`}));
}

function setStatus(message) {
  const o = state.overview;
  $('status').textContent = message || (o ? `${o.workloads} workloads, ${o.nodes - o.workloads} external peer(s), ${o.groups.length} group(s) · live (cluster v${o.clusterVersion}, traffic v${o.trafficVersion})` : 'loading…');
}

function fillNamespaceFilter() {
  const sel = $('filter-ns');
  for (const g of groupOrder()) sel.append(el('option', {value: g.id, text: groupLabel(g.id)}));
}

async function start() {
  defineMarkers();
  renderLegend();
  installPanZoom();
  installTreeKeys();
  installSearch();
  for (const id of ['filter-ns', 'filter-finding', 'filter-mode']) $(id).addEventListener('change', () => { render(); fitAll(); });
  $('expand-all').addEventListener('click', async () => {
    for (const g of state.overview.groups) state.expanded.add(g.id);
    await Promise.all(state.overview.groups.map(g => loadGroup(g.id))); render(); fitAll();
  });
  $('collapse-all').addEventListener('click', () => { state.expanded.clear(); render(); fitAll(); });
  $('graph').addEventListener('click', e => { if (e.target === $('graph')) clearFocus(); });
  try {
    const about = await api('/api/v1/about');
    if (about.notice) {
      const n = $('notice');
      n.replaceChildren(el('strong', {text: 'Simulated:'}), about.notice, el('div', {id: 'simulated-status', role: 'status'}));
      n.hidden = false;
      renderSimulated(about.simulated);
    }
  } catch (e) { /* no notice */ }
  for (;;) {
    try { await loadAll(); break; } catch (e) { setStatus(e.code === 'not_ready' ? 'waiting for the control plane to load the cluster…' : e.message); await new Promise(r => setTimeout(r, 1000)); }
  }
  state.ready = true;
  fitAll();
  listen();
  document.body.dataset.interactive = String(performance.now());
}

start();
