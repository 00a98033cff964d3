// bamqp statistics page: renders /api/* and follows /api/events. No library, no build step.
// Every text goes in through textContent, never as HTML: URLs come from LAN clients.
'use strict';

const COLORS = ['#2458a6', '#d9730d', '#1f7a4a', '#9b3fb5', '#b3261e', '#0f8b8d', '#7a6a00', '#555'];
const SVG = 'http://www.w3.org/2000/svg';
let historyVersion = -1;
let sharingEnabled = false;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

function bytes(n) {
  if (n === null || n === undefined || n < 0) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function rate(bytesPerSecond) {
  if (bytesPerSecond === null || bytesPerSecond === undefined || bytesPerSecond < 0) return '–';
  return (bytesPerSecond * 8 / 1e6).toFixed(1) + ' Mbit/s';
}

function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '–';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(1) + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
}

function when(millis) {
  if (!millis) return '–';
  const date = new Date(millis);
  const today = date.toDateString() === new Date().toDateString();
  return (today ? '' : date.toLocaleDateString() + ' ') + date.toLocaleTimeString();
}

function ratio(x) {
  return x ? x.toFixed(2) + '×' : '–';
}

function colorOf(names, name) {
  return COLORS[names.indexOf(name) % COLORS.length];
}

function swatch(color) {
  const box = el('span', { class: 'legend' });
  box.style.background = color;
  return box;
}

// Throughput over time per source, hand-drawn: one polyline per source on a shared scale.
function chart(download) {
  const width = 1000, height = 150, left = 70, bottom = 18;
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-label': 'throughput per source' });
  const points = Math.max(2, ...download.sources.map(s => s.samples.length));
  const peak = Math.max(1, ...download.sources.flatMap(s => s.samples));
  root.append(svg('line', { class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }));
  root.append(svg('line', { class: 'axis', x1: left, y1: 4, x2: left, y2: height - bottom }));
  const top = svg('text', { x: 2, y: 12 });
  top.textContent = rate(peak);
  const span = svg('text', { x: width - 4, y: height - 4, 'text-anchor': 'end' });
  span.textContent = duration(points * download.sampleMillis);
  root.append(top, span);
  const names = download.sources.map(s => s.name);
  for (const source of download.sources) {
    const xs = (width - left) / (points - 1);
    const coords = source.samples.map((v, i) =>
      `${(left + i * xs).toFixed(1)},${(height - bottom - (v / peak) * (height - bottom - 6)).toFixed(1)}`);
    if (coords.length > 1) {
      root.append(svg('polyline', { points: coords.join(' '), stroke: colorOf(names, source.name),
        'data-source': source.name }));
    }
  }
  return root;
}

function sourceTable(download) {
  const names = download.sources.map(s => s.name);
  const head = el('tr', {}, ...['source', 'bytes', 'kept', 'rate now', 'offered', 'achieved',
    'RTT', 'stalls', 'failures', 'hedged', 're-fetched', 'state']
    .map((h, i) => el('th', { class: i > 0 && i < 11 ? 'num' : null }, h)));
  const rows = download.sources.map(s => el('tr', { class: 'source-row', 'data-source': s.name },
    el('td', {}, swatch(colorOf(names, s.name)), s.name),
    el('td', { class: 'num bytes', 'data-bytes': s.bytes }, bytes(s.bytes)),
    el('td', { class: 'num', 'data-kept': s.keptBytes }, bytes(s.keptBytes)),
    el('td', { class: 'num' }, rate(s.bytesPerSecond)),
    el('td', { class: 'num' }, rate(s.offeredBytesPerSecond)),
    el('td', { class: 'num' }, rate(s.achievedBytesPerSecond)),
    el('td', { class: 'num' }, s.rttMillis + ' ms'),
    el('td', { class: 'num' }, s.stalls),
    el('td', { class: 'num' }, s.failures),
    el('td', { class: 'num' }, bytes(s.hedgedBytes)),
    el('td', { class: 'num' }, bytes(s.refetchedBytes)),
    el('td', {}, s.state)));
  return el('table', { class: 'sources' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

/** The download CDN service a download came from (DNS mode), as a tag after its URL. */
function serviceTag(d) {
  return d.service ? el('span', { class: 'service', 'data-service': d.service }, d.service) : '';
}

function renderLive(live) {
  const box = document.getElementById('live');
  if (!live.length) {
    box.replaceChildren(el('p', { class: 'empty' }, 'No download is running.'));
    return;
  }
  box.replaceChildren(...live.map(d => el('article',
    { class: 'live', 'data-download-id': d.id, 'data-size': d.size, 'data-written': d.written },
    el('h3', {}, d.url, serviceTag(d)),
    el('progress', { max: d.size, value: d.written }),
    el('div', { class: 'figures' },
      el('span', {}, el('b', {}, bytes(d.written)), ' of ', bytes(d.size),
        ' (' + (100 * d.written / Math.max(1, d.size)).toFixed(1) + ' %)'),
      el('span', {}, 'speed ', el('b', {}, rate(d.bytesPerSecond))),
      el('span', {}, 'ETA ', el('b', {}, duration(d.etaMillis))),
      el('span', {}, 'speed-up ', el('b', {}, ratio(d.speedUp))),
      el('span', {}, 'efficiency ', el('b', {}, (100 * d.efficiency).toFixed(0) + ' %')),
      el('span', {}, 'buffer ', el('b', {}, bytes(d.bufferedBytes)))),
    chart(d),
    sourceTable(d))));
}

function renderHistory(history) {
  const rows = history.map(d => {
    const names = d.sources.map(s => s.name);
    const sources = el('td', { class: 'sources' }, ...d.sources.map(s =>
      el('span', { class: 'source', 'data-source': s.name, 'data-bytes': s.bytes },
        swatch(colorOf(names, s.name)), s.name + ' ' + bytes(s.bytes))));
    const reason = [d.reason, ...d.notes].filter(Boolean).join('; ');
    return el('tr', { class: 'download', 'data-download-id': d.id, 'data-outcome': d.outcome,
      'data-size': d.size, 'data-written': d.written },
      el('td', {}, when(d.startedAtMillis + d.elapsedMillis)),
      el('td', { class: 'url' }, d.url, serviceTag(d)),
      el('td', { class: 'num' }, bytes(d.size)),
      el('td', { class: 'outcome-' + d.outcome }, d.outcome.toLowerCase().replace('_', ' ')),
      el('td', { class: 'num' }, duration(d.elapsedMillis)),
      el('td', { class: 'num' }, rate(d.averageBytesPerSecond)),
      el('td', { class: 'num' }, ratio(d.speedUp)),
      el('td', { class: 'num' }, d.efficiency ? (100 * d.efficiency).toFixed(0) + ' %' : '–'),
      sources,
      el('td', { class: 'reason' }, reason));
  });
  document.querySelector('#history tbody').replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', { colspan: 10, class: 'empty' }, 'No download recorded yet.'))]));
}

function renderPeers(peers) {
  const rows = peers.map(p => el('tr', { class: 'peer', 'data-peer': p.id },
    el('td', {}, p.id, p.address ? el('div', { class: 'note' }, p.address) : ''),
    el('td', {}, p.state),
    el('td', { class: 'num' }, rate(p.offeredBytesPerSecond)),
    el('td', { class: 'num' }, rate(p.measuredBytesPerSecond)),
    el('td', { class: 'num' }, p.rttMillis < 0 ? '–' : p.rttMillis + ' ms'),
    el('td', { class: 'num' }, p.failures),
    el('td', { class: 'num' }, bytes(p.bytesGiven)),
    el('td', { class: 'num', 'data-bytes': p.bytesReceived }, bytes(p.bytesReceived)),
    el('td', {}, when(p.lastSeenMillis)),
    el('td', {}, p.trusted ? '' : trustButton(p.id))));
  document.querySelector('#peers tbody').replaceChildren(...(rows.length ? rows
    : [el('tr', {}, el('td', { colspan: 10, class: 'empty' }, 'No peer is configured.'))]));
  document.getElementById('peers-note').textContent = [...new Set(peers.map(p => p.note).filter(Boolean))].join(' ');
}

// The router's own lines (wan.lines): the primary first; a metered line with its month's use.
function renderLines(lines) {
  const section = document.getElementById('lines-section');
  section.hidden = !lines || lines.length < 2;
  if (section.hidden) return;
  const rows = lines.map(l => el('tr', { class: 'line', 'data-line': l.name },
    el('td', {}, l.name, l.primary ? el('div', { class: 'note' }, 'primary (shown as home)') : ''),
    el('td', {}, l.bindAddress),
    el('td', {}, l.state === 'down' ? 'down, retry in ' + duration(l.retryInMillis) : l.state),
    el('td', { class: 'num', 'data-bytes': l.usedBytes }, l.metered ? bytes(l.usedBytes) : 'not metered'),
    el('td', { class: 'num' }, l.monthlyCapBytes < 0 ? 'none' : bytes(l.monthlyCapBytes))));
  document.querySelector('#lines tbody').replaceChildren(...rows);
}

function trustButton(id) {
  const button = el('button', { type: 'button' }, 'trust');
  button.addEventListener('click', () => change('api/peers/' + encodeURIComponent(id) + '/trust', null));
  return button;
}

function renderSharing(s) {
  sharingEnabled = s.enabled;
  const items = [['sharing', s.enabled ? 'on' : 'off'], ['rate cap', s.maxRateMbps + ' Mbit/s'],
    ['share of the line', s.sharePercent + ' %'], ['off-peak window', s.offPeak],
    ['monthly cap', s.monthlyCapBytes === null ? 'none' : bytes(s.monthlyCapBytes)],
    ['per-peer monthly cap', s.peerMonthlyCapBytes === null ? 'none' : bytes(s.peerMonthlyCapBytes)],
    ['jobs at once', s.maxConcurrentJobs],
    ['used today', s.usedTodayBytes === null ? 'not measured' : bytes(s.usedTodayBytes)],
    ['used this month', s.usedThisMonthBytes === null ? 'not measured' : bytes(s.usedThisMonthBytes)]];
  document.getElementById('sharing').replaceChildren(...items.flatMap(([k, v]) =>
    [el('dt', {}, k), el('dd', { 'data-key': k }, v)]));
  document.getElementById('sharing-note').textContent = s.note || '';
  document.getElementById('toggle-sharing').textContent = s.enabled ? 'turn sharing off' : 'turn sharing on';
}

function renderTotals(t) {
  const peers = t.bytesByKind.peers, home = t.bytesByKind.home, lines = t.bytesByKind.lines;
  document.getElementById('totals').textContent =
    `${t.activeDownloads} active · home ${bytes(home)} · ` +
    (lines ? `own lines ${bytes(lines)} · ` : '') + `neighbors ${bytes(peers)} · ` +
    `neighbor slots ${t.neighborSlotsInUse ?? 0} of ${t.neighborSlots ?? 0} in use · ` +
    `${t.downloadsWaitingForSlot ?? 0} waiting for a slot · ` +
    `buffer ${bytes(t.bufferBytes)} · up ${duration(t.uptimeSeconds * 1000)}`;
  if (t.historyVersion !== historyVersion) {
    historyVersion = t.historyVersion;
    loadHistory();
  }
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(path + ': ' + response.status);
  return response.json();
}

async function loadHistory() {
  const [downloads, peers] = await Promise.all([getJson('api/downloads'), getJson('api/peers')]);
  renderHistory(downloads.history);
  renderLines(downloads.lines);
  renderPeers(peers.peers);
}

async function change(path, body) {
  const result = document.getElementById('change-result');
  const token = document.getElementById('token').value;
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = 'Bearer ' + token;
  const response = await fetch(path, { method: 'POST', headers, body: body ? JSON.stringify(body) : '{}' });
  const answer = await response.json().catch(() => ({}));
  result.textContent = response.ok ? 'done' : (answer.error || response.status);
  getJson('api/sharing').then(renderSharing);
  loadHistory();
}

function follow() {
  const status = document.getElementById('connection');
  const events = new EventSource('api/events');
  events.addEventListener('open', () => { status.textContent = 'live'; status.dataset.state = 'live'; });
  events.addEventListener('error', () => { status.textContent = 'reconnecting…'; status.dataset.state = 'down'; });
  events.addEventListener('update', e => {
    const update = JSON.parse(e.data);
    renderLive(update.live);
    renderTotals(update.stats);
    renderLines(update.lines);
  });
}

// "Download through bamqp": the proxy's /fetch link for a pasted URL. The proxy is reached at
// its own address when it listens on one, otherwise at the address this page was reached by.
function fetchLink(text, stats) {
  const trimmed = text.trim();
  if (!trimmed) return { message: '' };
  let url;
  try {
    url = new URL(trimmed);
  } catch (e) {
    return { error: `'${trimmed}' is not a URL: paste a whole address, starting with https:// or http://` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `only http:// and https:// addresses can be downloaded through bamqp, not ${url.protocol}//` };
  }
  if (url.username || url.password) {
    return { error: 'an address with a user name or password cannot be downloaded through bamqp' };
  }
  url.hash = '';
  const host = stats.proxyHost === null ? location.hostname
    : (stats.proxyHost.includes(':') ? `[${stats.proxyHost}]` : stats.proxyHost);
  return { link: `http://${host}:${stats.proxyPort}/fetch?url=${encodeURIComponent(url.href)}` };
}

function setUpFetchBox(stats) {
  const input = document.getElementById('fetch-url');
  const button = document.getElementById('fetch-start');
  const message = document.getElementById('fetch-message');
  const line = document.getElementById('fetch-link-line');
  const anchor = document.getElementById('fetch-link');
  const hint = message.textContent;
  const show = () => {
    const result = fetchLink(input.value, stats);
    button.disabled = !result.link;
    line.hidden = !result.link;
    anchor.textContent = result.link || '';
    if (result.link) anchor.setAttribute('href', result.link); else anchor.removeAttribute('href');
    message.dataset.state = result.error ? 'error' : (result.link ? 'ok' : 'empty');
    message.textContent = result.error || hint;
  };
  input.addEventListener('input', show);
  document.getElementById('fetch-form').addEventListener('submit', event => {
    event.preventDefault();
    const result = fetchLink(input.value, stats);
    if (result.link) location.assign(result.link);
  });
  // ?url=… opens the page with the box filled in, as if pasted.
  const given = new URLSearchParams(location.search).get('url');
  if (given) {
    input.value = given;
    input.dispatchEvent(new Event('input'));
  }
}

async function start() {
  document.getElementById('toggle-sharing').addEventListener('click',
    () => change('api/sharing', { enabled: !sharingEnabled }));
  const [downloads, stats, sharing] =
    await Promise.all([getJson('api/downloads'), getJson('api/stats'), getJson('api/sharing')]);
  setUpFetchBox(stats);
  renderLive(downloads.live);
  renderSharing(sharing);
  historyVersion = stats.historyVersion;
  await loadHistory();
  renderTotals(stats);
  document.body.dataset.ready = 'true';
  // ?follow=0 renders once without the event stream (headless snapshots, slow links).
  if (new URLSearchParams(location.search).get('follow') !== '0') {
    follow();
  } else {
    document.getElementById('connection').textContent = 'snapshot, not following';
  }
}

start().catch(error => {
  document.getElementById('totals').textContent = 'cannot load the statistics: ' + error.message;
});
