// The public register: every approved project, filterable, with its downloads (CSV with CSVW metadata, JSON) and the
// dated signed snapshots. No sign-in: every call is a public GET without a token; nothing here names a person.

import { api, showProblem } from '/platform/api.js';
import { $, bi, clear, clearFieldErrors, dateTime, el } from '/platform/ui.js';
import { named, PURPOSE_NAMES, RULE_NAMES } from './portal.js';

const pageAlert = $('#page-alert');

const STATUS = {
  approved: ['已核准，資料尚未釋出', 'Approved, extract not delivered yet'],
  active: ['資料已釋出', 'Extract delivered'],
  closed: ['已結束', 'Closed'],
};

const BANDS = {
  0: ['0 人', 'none'],
  '1-99': ['少於 100 人', 'fewer than 100 persons'],
  '100-999': ['100 至 999 人', '100 to 999 persons'],
  '1000-9999': ['1,000 至 9,999 人', '1,000 to 9,999 persons'],
  '10000-99999': ['1 萬至 9.9 萬人', '10,000 to 99,999 persons'],
  '100000-999999': ['10 萬至 99.9 萬人', '100,000 to 999,999 persons'],
  '1000000+': ['100 萬人以上', '1,000,000 persons or more'],
};

/** The filters as query parameters (empty ones left out). */
function query() {
  const params = new URLSearchParams();
  for (const name of ['purpose', 'status', 'organisation', 'q', 'approvedFrom', 'approvedTo']) {
    const value = $(`#filter-${name}`).value.trim();
    if (value) {
      params.set(name, value);
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function fact(zh, en, ...value) {
  return [el('dt', {}, bi(zh, en, true)), el('dd', {}, ...value)];
}

function project(entry) {
  const tables = el('ul', { class: 'scopes' }, ...Object.entries(entry.tables ?? {}).map(([table, columns]) =>
    el('li', {}, el('span', { class: 'mono' }, table), '：', el('span', { class: 'mono' }, columns.join(', ')))));
  const outputs = (entry.outputs ?? []).length === 0
    ? bi('尚無', 'None yet', true)
    : el('ul', { class: 'scopes' }, ...entry.outputs.map((output) => el('li', {}, `#${output.number} `, output.description, ' · ',
      named(RULE_NAMES, output.rules), ' · ', dateTime(output.releasedAt), el('span', { class: 'note mono' }, `SHA-256 ${output.sha256}`))));
  const extract = entry.extract;
  const optOuts = entry.optOutsApplied
    ? bi('是：已排除對此目的選擇退出者', 'Yes: everyone who opted out of this purpose was left out', true)
    : bi(`否：援用法定例外 ${entry.exemption}`, `No: the legal exemption ${entry.exemption} was invoked`, true);
  return el('article', { class: 'project', id: `project-${entry.id}`, 'data-project': entry.id, 'aria-labelledby': `title-${entry.id}` },
    el('h3', { id: `title-${entry.id}` }, entry.title ?? ''),
    el('p', { class: 'project-id' }, el('span', { class: 'mono' }, entry.id), ' · ', named(STATUS, entry.status)),
    el('dl', { class: 'facts' },
      ...fact('機構', 'Organisation', entry.organisation ?? ''),
      ...fact('目的', 'Purpose', named(PURPOSE_NAMES, entry.purpose)),
      ...fact('法律依據', 'Legal basis', entry.legalBasis ?? ''),
      ...fact('白話摘要', 'Lay summary', entry.laySummary ?? ''),
      ...fact('公共利益', 'Public benefit', entry.publicBenefit ?? ''),
      ...fact('釋出的資料表與欄位', 'Tables and columns released', tables),
      ...fact('對象人數級距', 'Cohort size band', entry.cohortSizeBand ? named(BANDS, entry.cohortSizeBand) : bi('資料尚未釋出', 'Not delivered yet', true)),
      ...fact('核准日期', 'Approved', dateTime(entry.approvedAt)),
      ...fact('資料釋出日期', 'Extract released', entry.releasedAt ? dateTime(entry.releasedAt) : '—'),
      ...fact('結束日期', 'Closed', entry.closedAt ? dateTime(entry.closedAt) : '—'),
      ...fact('是否排除選擇退出者', 'Opt-outs applied', optOuts),
      ...fact('資料清單（倉儲簽章）', 'Extract manifest (signed by the warehouse)', extract
        ? el('span', {}, el('span', { class: 'mono' }, extract.extractId ?? ''), el('span', { class: 'note mono' }, `SHA-256 ${extract.manifestSha256 ?? ''}`),
          el('span', { class: 'note' }, bi(`登錄查核點 ${extract.registryCheckpointSize ?? '—'}`, `registry checkpoint ${extract.registryCheckpointSize ?? '—'}`, true)))
        : '—'),
      ...fact('核准釋出的結果', 'Released outputs', outputs)));
}

async function showRegister() {
  const suffix = query();
  $('#download-csv').setAttribute('href', `/api/v1/register.csv${suffix}`);
  $('#download-json').setAttribute('href', `/api/v1/register${suffix}`);
  const register = await api(`/api/v1/register${suffix}`, { auth: false });
  clear($('#count')).append(bi(`共 ${register.count} 個計畫`, `${register.count} project${register.count === 1 ? '' : 's'}`, true));
  const list = clear($('#projects'));
  if (register.count === 0) {
    list.append(el('p', {}, bi('沒有符合條件的計畫。', 'No project matches these filters.', true)));
  }
  list.append(...register.projects.map(project));
}

async function showSnapshots() {
  const snapshots = await api('/api/v1/register/snapshots', { auth: false });
  const list = clear($('#snapshots'));
  if (snapshots.length === 0) {
    list.append(el('li', {}, bi('尚無快照。', 'No snapshot yet.', true)));
  }
  list.append(...snapshots.slice(0, 30).map((snapshot) => el('li', { 'data-snapshot': snapshot.date },
    el('a', { href: snapshot.content }, bi(`${snapshot.date} 快照`, `snapshot of ${snapshot.date}`, true)), ' · ',
    el('a', { href: snapshot.signature }, bi('簽章', 'signature', true)),
    el('span', { class: 'note mono' }, `SHA-256 ${snapshot.sha256}`))));
}

function failed(error) {
  showProblem(error, { alert: pageAlert, form: $('#filters') });
}

async function start() {
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    clearFieldErrors($('#filters'));
    clear(pageAlert);
    showRegister().catch(failed);
  });
  $('#filters').addEventListener('reset', () => {
    clearFieldErrors($('#filters'));
    setTimeout(() => showRegister().catch(failed), 0);
  });
  await Promise.all([showRegister().catch(failed), showSnapshots().catch(failed)]);
  document.documentElement.dataset.ready = 'true';
}

start();
