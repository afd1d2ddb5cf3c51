// The auditor's console: one search over every service's audit events (filters, CSV export), the registry's
// checkpoints with their signatures and witness cosignatures, a consistency check between successive
// checkpoints computed here (RFC 9162 section 2.1.4.2, with the browser's own SHA-256), and evidence bundles.
// No project, identifier or token is put into the page's URL.

import { api, showProblem } from '/platform/api.js';
import { $, bi, clear, dateTime, el, saveBlob } from '/platform/ui.js';
import { showView, startSignedInPage } from './portal.js';

const pageAlert = $('#page-alert');
const failed = (error) => showProblem(error, { alert: pageAlert });
let checkpoints = [];

/** The query string of the search form (dates are Taipei days: from its start, to the end of the "to" day). */
function query(limit) {
  const params = new URLSearchParams();
  const from = $('#from').value;
  const to = $('#to').value;
  if (from) {
    params.set('from', new Date(`${from}T00:00:00+08:00`).toISOString());
  }
  if (to) {
    params.set('to', new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000).toISOString());
  }
  for (const name of ['service', 'kind']) {
    if ($(`#${name}`).value) {
      params.set(name, $(`#${name}`).value);
    }
  }
  if ($('#words').value.trim()) {
    params.set('q', $('#words').value.trim());
  }
  params.set('limit', String(limit));
  return params.toString();
}

async function search() {
  const status = clear($('#search-status'));
  status.append(bi('查詢中…', 'Searching…', true));
  const result = await api(`/api/v1/oversight/events?${query(500)}`);
  fillChoices('#service', result.services);
  fillChoices('#kind', result.kinds);
  clear($('#sources')).append(...result.sources.map((source) => el('li', { 'data-service': source.service, 'data-status': source.status },
    `${source.service}: `, source.status === 'ok' ? bi(`${source.events} 筆`, `${source.events} events`, true)
      : bi(`無法取得（${source.problem}）`, `unavailable (${source.problem})`, true),
    source.detail ? ` · ${source.detail}` : '')));
  clear($('#events tbody')).append(...result.events.map((event) => el('tr', { 'data-kind': event.kind },
    el('td', { class: 'nowrap' }, event.at ? dateTime(event.at) : '—'), el('td', {}, event.service), el('td', {}, event.kind),
    el('td', {}, event.actor ?? ''), el('td', {}, event.reference ?? ''), el('td', {}, event.summary))));
  if (result.events.length === 0) {
    $('#events tbody').append(el('tr', {}, el('td', { colspan: 6 }, bi('沒有符合的事件。', 'No event matches.', true))));
  }
  clear(status).append(bi(`共 ${result.events.length} 筆`, `${result.events.length} events`, true),
    result.truncated ? bi('（僅列最新 500 筆，請縮小範圍或匯出 CSV）', ' (the newest 500 only: narrow the search or export CSV)', true) : '');
}

function fillChoices(selector, values) {
  const select = $(selector);
  if (select.options.length > 1) {
    return;
  }
  select.append(...values.map((value) => el('option', { value }, value)));
}

async function exportCsv() {
  const blob = await api(`/api/v1/oversight/events.csv?${query(50000)}`, { blob: true });
  saveBlob(blob, 'audit-events.csv');
}

async function showCheckpoints() {
  checkpoints = await api('/api/v1/oversight/checkpoints');
  const yes = bi('已驗證', 'verified', true);
  clear($('#checkpoints tbody')).append(...checkpoints.map((c) => el('tr', { 'data-size': String(c.size) },
    el('td', {}, String(c.size)), el('td', { class: 'hash' }, c.rootHash ?? '—'),
    el('td', {}, c.logSignatureVerified ? yes.cloneNode(true) : bi('未驗證', 'NOT verified', true)),
    el('td', {}, c.witnessCosignatureVerified ? yes.cloneNode(true) : bi('無', 'none', true)),
    el('td', {}, c.cosigners.join(', ')), el('td', {}, c.seenIn.join('; ')),
    el('td', { class: 'consistency' }, c.problem ? c.problem : '—'))));
}

const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

async function nodeHash(left, right) {
  const data = new Uint8Array(1 + left.length + right.length);
  data[0] = 1;
  data.set(left, 1);
  data.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/** RFC 9162 2.1.4.2: does the tree (size2, root2) extend the tree (size1, root1)? */
export async function consistent(size1, size2, path, root1, root2) {
  let fn = BigInt(size1);
  let sn = BigInt(size2);
  if (fn === sn) {
    return path.length === 0 && same(root1, root2);
  }
  if (fn === 0n) {
    return path.length === 0;
  }
  if (fn > sn || path.length === 0) {
    return false;
  }
  const proof = (fn & (fn - 1n)) === 0n ? [root1, ...path] : [...path];
  fn -= 1n;
  sn -= 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = proof[0];
  let sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0n) {
      return false;
    }
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && same(fr, root1) && same(sr, root2);
}

async function checkConsistency() {
  const status = clear($('#consistency-status'));
  let good = 0;
  let bad = 0;
  const usable = checkpoints.filter((c) => c.rootHash && c.logSignatureVerified);
  for (let i = 1; i < usable.length; i++) {
    const [older, newer] = [usable[i - 1], usable[i]];
    const cell = $(`#checkpoints tr[data-size="${newer.size}"] td.consistency`);
    const proof = await api(`/api/v1/oversight/log/consistency?from=${older.size}&to=${newer.size}`);
    const ok = await consistent(older.size, newer.size, proof.path.map(bytes), bytes(older.rootHash), bytes(newer.rootHash));
    clear(cell).append(ok ? bi(`一致（自 ${older.size}）`, `consistent with ${older.size}`, true)
      : bi(`不一致（自 ${older.size}）！`, `NOT consistent with ${older.size}!`, true));
    cell.dataset.consistent = String(ok);
    ok ? good++ : bad++;
  }
  status.append(bad === 0 ? bi(`已在瀏覽器驗算 ${good} 組一致性證明，全部一致。`, `${good} consistency proofs checked in this browser: all consistent.`, true)
    : bi(`${bad} 組不一致！`, `${bad} NOT consistent!`, true));
  status.dataset.result = bad === 0 ? 'consistent' : 'inconsistent';
}

async function downloadBundle(event) {
  event.preventDefault();
  const project = $('#project').value.trim();
  const status = clear($('#bundle-status'));
  clear($('#project-error'));
  if (!/^application-[1-9][0-9]{0,17}$/.test(project)) {
    $('#project-error').append(bi('請輸入計畫名稱，例如 application-12。', 'Enter a project name, e.g. application-12.', true));
    $('#project').setAttribute('aria-invalid', 'true');
    $('#project').focus();
    return;
  }
  $('#project').removeAttribute('aria-invalid');
  status.append(bi('製作中…', 'Making the bundle…', true));
  const blob = await api(`/api/v1/oversight/projects/${project}/evidence-bundle`, { blob: true });
  saveBlob(blob, `evidence-${project}.zip`);
  clear(status).append(bi('已下載。請以 verify/verify-evidence-bundle.py 離線驗證。',
    'Downloaded. Verify it offline with verify/verify-evidence-bundle.py.', true));
}

async function start() {
  const user = await startSignedInPage({ role: 'auditor', alert: pageAlert });
  if (user) {
    await openConsole().catch(failed);
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

async function openConsole() {
  $('#search').addEventListener('submit', (event) => {
    event.preventDefault();
    search().catch(failed);
  });
  $('#export-csv').addEventListener('click', () => exportCsv().catch(failed));
  $('#check-consistency').addEventListener('click', () => checkConsistency().catch(failed));
  $('#bundle').addEventListener('submit', (event) => downloadBundle(event).catch(failed));
  showView('view-console');
  await Promise.all([search(), showCheckpoints()]);
}

start().catch(failed);
