// The researcher's pages: their applications and notifications, then for one application the GOV.UK
// task list, one page per section, check your answers and submit. The application's ID stays in this
// tab's memory (and sessionStorage, for a reload): it never appears in a URL.

import { api, ApiError, showProblem } from '/platform/api.js';
import { $, $$, append, bi, clear, clearFieldErrors, dateTime, el, saveBlob, setFieldError, words } from '/platform/ui.js';
import {
  answerRows, CHECK_OUTCOME_NAMES, errorSummary, IDENTIFICATION_NAMES, jobStatus, OUTPUT_STATUS_NAMES, OUTPUT_TURN_NAMES, previewResult,
  PROJECT_STATUS_NAMES, reportTables, RULE_NAMES, SECTIONS, named, problemsOf, PURPOSE_NAMES, showView, startSignedInPage, STATUS_NAMES, tag,
  TURN_NAMES, VISIBILITY_NAMES, OUTCOME_NAMES, watchJob,
} from './portal.js';

const CURRENT = 'optout.portal.application';
const pageAlert = $('#page-alert');


/** Where each simple field lives on the page. */
const FIELD_IDS = {
  title: 'title', institution: 'institution', principalInvestigator: 'principal-investigator', purpose: 'purpose-group',
  legalBasis: 'legal-basis', ethicsApproval: 'ethics-file', laySummary: 'lay-summary', publicBenefit: 'public-benefit',
  'cohort.diagnoses': 'diagnoses', 'cohort.from': 'cohort-from', 'cohort.to': 'cohort-to', 'cohort.minAge': 'min-age',
  'cohort.maxAge': 'max-age', cohort: 'diagnoses', 'generalisation.birthDate': 'birth-date-group',
  'generalisation.careDates': 'care-dates-group', generalisation: 'birth-date-group', tables: 'data-tables', justifications: 'data-tables',
};

let dictionary = null;
let application = null;
/** The problems of the last refused submission: shown again on each section's page until corrected. */
let lastProblems = [];

const failed = (error) => showProblem(error, { alert: pageAlert });
const text = (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const sectionOf = (field) => SECTIONS.find((s) => s.fields.includes(field.split(/[.[]/)[0])) ?? null;

function labelOf(id) {
  const node = document.getElementById(id);
  if (!node) {
    return id;
  }
  const label = node.tagName === 'FIELDSET' ? node.querySelector('legend') : node.labels?.[0] ?? null;
  return words(label ?? node);
}

/** The page element a problem's field belongs to: a column's justification, a table, or a plain field. */
function locate(field) {
  const base = field.replace(/\[\d+\]$/, '');
  let id = FIELD_IDS[base] ?? null;
  const justification = /^justifications\.([a-z0-9_]+)\.([a-z0-9_]+)$/.exec(field);
  const table = /^(?:tables|justifications)\.([a-z0-9_]+)/.exec(field);
  if (justification && document.getElementById(`just-${justification[1]}-${justification[2]}`)) {
    id = `just-${justification[1]}-${justification[2]}`;
  } else if (table && document.getElementById(`table-${table[1]}`)) {
    id = `table-${table[1]}`;
  }
  return id && document.getElementById(id) ? { id, label: labelOf(id) } : null;
}

function remember(view) {
  application = view;
  sessionStorage.setItem(CURRENT, view.id);
}

// ---- the list and the notifications

async function showList() {
  showView('view-list');
  const [mine, notifications] = await Promise.all([api('/api/v1/applications'), api('/api/v1/notifications')]);
  const rows = (mine ?? []).map((summary) => {
    const open = el('button', { type: 'button', class: 'link', 'data-application': summary.number }, summary.title || '（未命名）', ' ',
      el('span', { lang: 'en' }, summary.title ? '' : '(untitled)'));
    open.addEventListener('click', () => openApplication(summary.id).catch(failed));
    return el('tr', {}, el('td', {}, String(summary.number)), el('td', {}, open),
      el('td', {}, tag(STATUS_NAMES, summary.status)), el('td', {}, named(TURN_NAMES, summary.turn)));
  });
  clear($('#applications tbody')).append(...(rows.length > 0 ? rows
    : [el('tr', {}, el('td', { colspan: 4 }, bi('尚無申請。', 'No applications yet.', true)))]));
  clear($('#notifications')).append(...(notifications ?? []).map((note) => {
    const item = el('li', { class: note.readAt ? 'read' : 'unread', 'data-status': note.toStatus },
      el('p', {}, note.readAt ? '' : el('strong', { class: 'tag todo' }, bi('新', 'New', true)), ' ', note.message),
      el('p', { class: 'hint' }, dateTime(note.createdAt)));
    if (!note.readAt) {
      const read = el('button', { type: 'button' }, bi('標示為已讀', 'Mark as read', true));
      read.addEventListener('click', () => api(`/api/v1/notifications/${note.id}/read`, { method: 'POST' })
        .then(() => showList()).catch(failed));
      item.append(read);
    }
    return item;
  }));
  if ((notifications ?? []).length === 0) {
    $('#notifications').append(el('li', {}, bi('沒有通知。', 'No notifications.', true)));
  }
}

async function startApplication() {
  const key = crypto.randomUUID();
  const created = await api('/api/v1/applications', { method: 'POST', json: {}, idempotencyKey: key });
  remember(created);
  lastProblems = [];
  showTasks();
}

async function openApplication(id) {
  remember(await api(`/api/v1/applications/${id}`));
  lastProblems = [];
  showTasks();
}

// ---- the task list

function sectionState(key) {
  const c = application.content ?? {};
  const filled = (...values) => values.filter((v) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0));
  const states = {
    project: [c.title, c.institution, c.principalInvestigator],
    purpose: [c.purpose, c.legalBasis],
    ethics: [application.ethicsApproval],
    data: [Object.keys(c.tables ?? {}).length > 0 ? c.tables : null],
    cohort: [c.cohort?.diagnoses, c.cohort?.from, c.cohort?.to],
    generalisation: [c.generalisation?.birthDate, c.generalisation?.careDates],
    public: [c.laySummary, c.publicBenefit],
  }[key];
  const count = filled(...states).length;
  if (lastProblems.some((p) => sectionOf(p.field ?? '')?.key === key)) {
    return 'problem';
  }
  return count === 0 ? 'not-started' : count === states.length ? 'completed' : 'in-progress';
}

const SECTION_STATES = {
  'not-started': ['未開始', 'Not yet started'],
  'in-progress': ['進行中', 'In progress'],
  completed: ['已完成', 'Completed'],
  problem: ['需修正', 'Needs correcting'],
};

function stateBanner(container) {
  clear(container).append(
    el('p', {}, bi('狀態', 'Status', true), '：', tag(STATUS_NAMES, application.status), ' ',
      bi(`第 ${application.version} 版`, `version ${application.version}`, true)),
    el('p', { id: `${container.id}-turn`, 'data-turn': application.turn }, el('strong', {}, named(TURN_NAMES, application.turn))));
}

function showTasks() {
  $('#tasks-number').textContent = `#${application.number}`;
  $('#tasks-title').textContent = application.content?.title ?? '';
  stateBanner($('#tasks-state'));
  clear($('#task-list')).append(...SECTIONS.map((section) => {
    const state = sectionState(section.key);
    const name = () => bi(section.zh, section.en, true);
    let entry = el('span', {}, name());
    if (application.editable) {
      entry = el('button', { type: 'button', class: 'link', id: `task-${section.key}`, 'aria-describedby': `task-status-${section.key}` }, name());
      entry.addEventListener('click', () => openSection(section.key));
    }
    return el('li', {}, entry, el('strong', { id: `task-status-${section.key}`, class: `tag ${state === 'completed' ? 'done' : 'todo'}`,
      'data-state': state }, named(SECTION_STATES, state)));
  }));
  $('#to-check').hidden = !application.editable;
  $('#withdraw').hidden = application.turn === 'nobody';
  $('#approved-actions').hidden = application.status !== 'approved';
  renderRecord();
  showView('view-tasks');
  showPreview().catch(failed);
}

// ---- the impact preview, live

/** The view still shows this application (a watcher stops once the person moved on). */
const stillOn = (view, id) => () => document.documentElement.dataset.view === view && application?.id === id;

async function showPreview() {
  const id = application.id;
  $('#run-preview').hidden = !application.editable;
  errorSummary($('#preview-errors'), [], { locate: locateAnywhere });
  clear($('#preview-status'));
  clear($('#preview-result'));
  const load = () => api(`/api/v1/applications/${id}/preview`).catch((error) => {
    if (error instanceof ApiError && error.status === 404) {
      return null;
    }
    throw error;
  });
  const first = await load();
  $('#preview-panel').hidden = !application.editable && !first;
  if (first) {
    await watchJob(load, renderPreview, stillOn('view-tasks', id));
  }
}

function renderPreview(preview) {
  if (!preview) {
    return;
  }
  jobStatus($('#preview-status'), preview, 'preview-title');
  $('#preview-status').prepend(el('p', {}, bi(`第 ${preview.version} 版的預覽`, `Preview of version ${preview.version}`, true), ' · ',
    dateTime(preview.queuedAt)));
  const result = clear($('#preview-result'));
  if (preview.status === 'succeeded' && preview.result) {
    result.append(previewResult(preview.result, 'preview'));
  } else if (preview.status === 'failed') {
    result.append(el('p', { class: 'alert' }, bi('預覽失敗：', 'The preview failed: ', true), el('span', { lang: 'en' }, preview.error ?? '')));
  }
}

async function runPreview() {
  clear(pageAlert);
  const id = application.id;
  try {
    await api(`/api/v1/applications/${id}/preview`, { method: 'POST' });
  } catch (error) {
    const problems = problemsOf(error);
    if (problems.length > 0) {
      errorSummary($('#preview-errors'), problems, { locate: locateAnywhere, go: goTo });
    } else {
      failed(error);
    }
    return;
  }
  await showPreview();
}

// ---- the delivery, live

async function showDelivery() {
  const id = application.id;
  $('#delivery-number').textContent = `#${application.number}`;
  clear($('#delivery-status'));
  $('#delivery-result').hidden = true;
  showView('view-delivery');
  await watchJob(() => api(`/api/v1/applications/${id}/delivery`), renderDelivery, stillOn('view-delivery', id));
}

function renderDelivery(delivery) {
  jobStatus($('#delivery-status'), delivery, 'view-delivery-title');
  if (delivery.status === 'failed') {
    $('#delivery-status').append(el('p', { class: 'alert' }, bi('資料擷取失敗：', 'The extract failed: ', true),
      el('span', { lang: 'en' }, delivery.error ?? '')));
  }
  if (delivery.status !== 'succeeded') {
    return;
  }
  const manifest = delivery.manifest;
  const m = manifest.content ?? {};
  clear($('#delivery-verified')).append(manifest.verified
    ? el('p', { class: 'success', 'data-verified': 'true' }, el('strong', {}, bi('簽章已驗證', 'Signature verified', true)), '：',
      bi('資料清單由資料倉儲的金鑰簽署，內容與交付時相同。', "signed with the warehouse's key, and unchanged since the extract was released.", true))
    : el('p', { class: 'alert', 'data-verified': 'false' }, el('strong', {}, bi('簽章未通過驗證', 'Signature NOT verified', true)), '：',
      bi('請勿使用這些資料，並通知資料倉儲。', 'do not use these tables; tell the warehouse.', true)));
  // the registry checkpoint the manifest names, checked by the portal against the registry's key and the witness's
  const witnessed = delivery.checkpoint;
  if (witnessed) {
    $('#delivery-verified').append(witnessed.verified
      ? el('p', { class: 'success', 'data-checkpoint-verified': 'true' },
        el('strong', {}, bi('檢查點已驗證', 'Checkpoint verified', true)), '：',
        bi(`退出名單所依據的登錄中心檢查點 ${witnessed.size} 由登錄中心簽署，並經見證者共同簽署。`,
          `the registry signed checkpoint ${witnessed.size}, which the opt-outs applied come from, and the witness cosigned it.`, true))
      : el('p', { class: 'alert', 'data-checkpoint-verified': 'false' },
        el('strong', {}, bi('檢查點未通過驗證', 'Checkpoint NOT verified', true)), '：',
        el('span', { lang: 'en' }, witnessed.problem ?? '')));
  }
  const checkpoint = m.registry?.checkpoint;
  const rows = [
    ['擷取編號', 'Extract', el('span', { class: 'mono' }, delivery.extractId)],
    ['交付時間', 'Delivered', dateTime(delivery.deliveredAt)],
    ['目的', 'Purpose', named(PURPOSE_NAMES, m.spec?.purpose)],
    ['退出名單依據', 'Opt-outs as of', checkpoint ? append(el('span', {}, bi(`登錄中心檢查點 ${checkpoint.size}`, `registry checkpoint ${checkpoint.size}`, true),
      el('span', { class: 'note mono' }, checkpoint.rootHash ?? ''))) : null],
    ['研究對象', 'Persons', m.persons ? bi(`研究對象 ${m.persons.inCohort}，排除 ${m.persons.excluded}，提供 ${m.persons.included}`,
      `in the cohort ${m.persons.inCohort}, excluded ${m.persons.excluded}, included ${m.persons.included}`, false) : null],
    ['資料清單 SHA-256', 'Manifest SHA-256', el('span', { class: 'mono' }, manifest.sha256)],
    ['簽章金鑰', 'Signing key (SHA-256)', el('span', { class: 'mono' }, manifest.signingKeySha256 ?? '—')],
  ];
  clear($('#delivery-manifest')).append(...rows.filter((row) => row[2] !== null).map(([zh, en, value]) => el('div', {},
    el('dt', {}, bi(zh, en, false)), el('dd', {}, value))));
  clear($('#delivery-tables tbody')).append(...delivery.tables.map((table) => el('tr', { 'data-table': table.name },
    el('th', { scope: 'row', class: 'mono' }, table.name), el('td', { class: 'mono' }, table.table), el('td', {}, table.rows.toLocaleString('en')))));
  $('#delivery-access').textContent = delivery.access;
  const propagation = delivery.propagation;
  const since = propagation.lastPropagatedAt ?? delivery.deliveredAt;
  clear($('#delivery-propagation')).append(
    el('strong', { id: 'persons-removed', 'data-removed': propagation.personsRemovedSinceDelivery },
      bi(`交付後已移除 ${propagation.personsRemovedSinceDelivery} 人`, `${propagation.personsRemovedSinceDelivery} persons removed since delivery`, true)),
    '（', propagation.lastPropagatedAt ? bi('最後更新', 'last propagated', true) : bi('交付', 'delivered', true), ' ', dateTime(since), '）');
  clear($('#delivery-report')).append(reportTables(delivery.representativeness ?? { dimensions: [] }, 'delivery'));
  $('#delivery-result').hidden = false;
}

// ---- outputs

const projectName = () => `application-${application.number}`;
let outputKey = null;

async function showOutputs() {
  const project = projectName();
  $('#outputs-project').textContent = project;
  const [state, outputs] = await Promise.all([api(`/api/v1/projects/${project}`), api(`/api/v1/projects/${project}/outputs`)]);
  const closure = state.closure;
  clear($('#project-state')).append(
    el('p', { id: 'project-status', 'data-status': state.status }, bi('計畫狀態', 'Project', true), '：', tag(PROJECT_STATUS_NAMES, state.status,
      state.status === 'open' ? 'done' : 'todo')),
    closure ? el('p', {}, bi('結束於', 'Closed', true), ' ', dateTime(closure.closedAt), '：', closure.reason) : '',
    closure?.job ? el('p', { id: 'project-close-job', 'data-status': closure.job.status }, closure.job.status === 'succeeded'
      ? append(el('span', {}, bi('計畫金鑰與資料表已銷毀', "The project's keys and tables were destroyed", true), ' ', dateTime(closure.job.finishedAt)))
      : bi('金鑰與資料表銷毀中', "The project's keys and tables are being destroyed", true)) : '');
  $('#output-new').hidden = state.status !== 'open';
  clear($('#outputs tbody')).append(...outputs.map((output) => {
    const record = el('td', {}, el('p', {}, bi(`核可 ${output.approvals}／${output.approvalsNeeded}`, `approvals ${output.approvals} of ${output.approvalsNeeded}`, true)),
      ...output.checks.map((check) => el('p', { 'data-outcome': check.outcome }, named(CHECK_OUTCOME_NAMES, check.outcome), ' · ', dateTime(check.at),
        el('span', { class: 'note' }, check.reason))));
    if (output.releasedSha256) {
      const download = el('button', { type: 'button', 'data-download': output.number }, bi('下載核可版本', 'Download the released table', true));
      download.addEventListener('click', () => api(`/api/v1/projects/${project}/outputs/${output.number}/released.csv`, { blob: true })
        .then((blob) => saveBlob(blob, `${project}-output-${output.number}.csv`)).catch(failed));
      record.append(download, el('p', { class: 'note mono' }, `SHA-256 ${output.releasedSha256}`));
    }
    return el('tr', { 'data-output': output.number },
      el('td', {}, String(output.number)),
      el('td', {}, output.description, el('span', { class: 'note' }, named(RULE_NAMES, output.rules)), el('span', { class: 'note' }, dateTime(output.submittedAt))),
      el('td', {}, tag(OUTPUT_STATUS_NAMES, output.status, output.status === 'released' ? 'done' : 'todo'),
        el('span', { class: 'note' }, named(OUTPUT_TURN_NAMES, output.turn))),
      record);
  }));
  if (outputs.length === 0) {
    $('#outputs tbody').append(el('tr', {}, el('td', { colspan: 4 }, bi('尚未申請釋出成果。', 'No output asked for yet.', true))));
  }
  showView('view-outputs');
}

const OUTPUT_FIELDS = { description: 'output-description', rules: 'output-rules-group', table: 'output-table', differencing: 'output-table' };

function locateOutput(field) {
  const id = OUTPUT_FIELDS[field];
  return id ? { id, label: labelOf(id) } : null;
}

async function askForOutput() {
  clear(pageAlert);
  const form = $('#output-form');
  clearFieldErrors(form);
  const description = $('#output-description').value.trim();
  const rules = form.querySelector('input[name="rules"]:checked')?.value ?? null;
  const table = $('#output-table').value;
  let problems = [
    ...(description ? [] : [{ field: 'description', message: '請說明成果內容 / Say what the table shows' }]),
    ...(rules ? [] : [{ field: 'rules', message: '請選擇檢核規則 / Choose the rules' }]),
    ...(table.trim() ? [] : [{ field: 'table', message: '請貼上 CSV / Paste the CSV text' }]),
  ];
  if (problems.length === 0) {
    outputKey ??= crypto.randomUUID();
    try {
      await api(`/api/v1/projects/${projectName()}/outputs`, { method: 'POST', json: { description, rules, table }, idempotencyKey: outputKey });
      outputKey = null;
      form.reset();
      errorSummary($('#output-errors'), [], { locate: locateOutput });
      await showOutputs();
      return;
    } catch (error) {
      problems = problemsOf(error);
      if (problems.length === 0) {
        failed(error);
        return;
      }
      outputKey = null;  // refused, nothing stored: a corrected table is a new request
    }
  }
  for (const problem of problems) {
    setFieldError(form, problem.field === 'differencing' ? 'table' : problem.field, null, problem.message);
  }
  errorSummary($('#output-errors'), problems, { locate: locateOutput });
}

function renderRecord() {
  clear($('#tasks-comments')).append(
    ...application.comments.map((comment) => el('li', { 'data-visibility': comment.visibility },
      el('p', {}, tag(VISIBILITY_NAMES, comment.visibility, 'shared'), ' ', bi(`第 ${comment.version} 版`, `version ${comment.version}`, true),
        ' · ', dateTime(comment.at)),
      el('p', {}, comment.body))),
    ...application.decisions.map((decision) => el('li', { 'data-outcome': decision.outcome },
      el('p', {}, el('strong', {}, bi('審查決定', 'Decision', true)), '：', named(OUTCOME_NAMES, decision.outcome), ' ',
        bi(`第 ${decision.version} 版`, `version ${decision.version}`, true), ' · ', dateTime(decision.at)),
      el('p', {}, decision.reason))));
  if ($('#tasks-comments').childElementCount === 0) {
    $('#tasks-comments').append(el('li', {}, bi('尚無意見。', 'Nothing yet.', true)));
  }
  clear($('#tasks-versions')).append(...application.versions.map((version) => el('li', {},
    bi(`第 ${version.version} 版`, `Version ${version.version}`, true), '：',
    version.submittedAt ? append(el('span', {}, bi('送出於', 'submitted', true), ' ', dateTime(version.submittedAt)))
      : bi('草稿（編輯中）', 'draft, being edited', true))));
  clear($('#tasks-history')).append(...application.history.map((entry) => el('li', {},
    dateTime(entry.at), '：', named(STATUS_NAMES, entry.from ?? ''), entry.from ? ' → ' : '', named(STATUS_NAMES, entry.to), ' ',
    el('span', { class: 'hint' }, entry.by === 'reviewer' ? bi('（審查人）', '(reviewer)', true) : bi('（申請人）', '(researcher)', true)),
    entry.reason ? el('p', {}, entry.reason) : '')));
}

// ---- the sections

function openSection(key) {
  const c = application.content ?? {};
  const form = $(`#form-${key}`);
  clearFieldErrors(form ?? $(`#view-${key}`));
  if (key === 'project') {
    $('#title').value = c.title ?? '';
    $('#institution').value = c.institution ?? '';
    $('#principal-investigator').value = c.principalInvestigator ?? '';
  } else if (key === 'purpose') {
    for (const radio of $$('#purpose-options input')) {
      radio.checked = radio.value === c.purpose;
    }
    $('#legal-basis').value = c.legalBasis ?? '';
  } else if (key === 'ethics') {
    $('#ethics-file').value = '';
    const ethics = application.ethicsApproval;
    clear($('#ethics-current')).append(ethics
      ? bi(`已上傳：${ethics.pages} 頁，${Math.ceil(ethics.size / 1024)} KB`, `Uploaded: ${ethics.pages} page(s), ${Math.ceil(ethics.size / 1024)} KB`, true)
      : bi('尚未上傳。', 'Nothing uploaded yet.', true));
  } else if (key === 'data') {
    renderData(c);
  } else if (key === 'cohort') {
    $('#diagnoses').value = (c.cohort?.diagnoses ?? []).join(', ');
    $('#cohort-from').value = c.cohort?.from ?? '';
    $('#cohort-to').value = c.cohort?.to ?? '';
    $('#min-age').value = c.cohort?.minAge ?? '';
    $('#max-age').value = c.cohort?.maxAge ?? '';
  } else if (key === 'generalisation') {
    for (const radio of $$('#form-generalisation input')) {
      radio.checked = radio.value === c.generalisation?.[radio.name];
    }
  } else if (key === 'public') {
    $('#lay-summary').value = c.laySummary ?? '';
    $('#public-benefit').value = c.publicBenefit ?? '';
  }
  showView(`view-${key}`);
  const mine = lastProblems.filter((p) => sectionOf(p.field ?? '')?.key === key);
  showFieldProblems(key, mine);
}

function showFieldProblems(key, problems) {
  const root = $(`#view-${key}`);
  clearFieldErrors(root);
  for (const problem of problems) {
    setFieldError(root, problem.field ?? '', null, problem.message ?? '');
  }
  errorSummary($(`#${key}-errors`), problems, { locate });
}

function renderData(content) {
  const chosen = content.tables ?? {};
  const justifications = content.justifications ?? {};
  clear($('#data-tables')).append(...dictionary.tables.map((table) => {
    const columns = table.columns.map((column) => {
      const id = `col-${table.name}-${column.name}`;
      const checked = (chosen[table.name] ?? []).includes(column.name);
      const box = el('input', { type: 'checkbox', id, name: `${table.name}.${column.name}`, value: column.name, checked });
      const label = el('label', { class: 'option', for: id }, box, el('span', {}, el('span', { class: 'mono' }, column.name), ' ',
        column.needsJustification ? tag(IDENTIFICATION_NAMES, column.identification, 'todo') : '',
        el('span', { class: 'note', lang: 'en' }, column.description)));
      const wrap = el('div', { class: 'column-choice' }, label);
      if (column.needsJustification) {
        const justId = `just-${table.name}-${column.name}`;
        const field = `justifications.${table.name}.${column.name}`;
        const box2 = el('div', { class: 'justification', hidden: !checked },
          el('label', { for: justId }, bi(`為何需要 ${column.name}`, `Why the study needs ${column.name}`, false)),
          el('textarea', { id: justId, name: field, maxlength: 2000, 'aria-describedby': `${justId}-error` }),
          el('span', { class: 'field-error', id: `${justId}-error`, 'data-error-for': field, 'data-control': justId }));
        box2.querySelector('textarea').value = justifications[table.name]?.[column.name] ?? '';
        box.addEventListener('change', () => { box2.hidden = !box.checked; });
        wrap.append(box2);
      }
      return wrap;
    });
    return el('fieldset', { id: `table-${table.name}`, class: 'table-choice', 'aria-describedby': `table-${table.name}-error` },
      el('legend', {}, el('span', { class: 'mono' }, table.name), ' ', el('span', { class: 'en', lang: 'en' }, table.description)),
      ...columns,
      el('span', { class: 'field-error', id: `table-${table.name}-error`, 'data-error-for': `tables.${table.name}`, 'data-control': `table-${table.name}` }));
  }));
}

/** The section's answers read from its page, merged into the application's form. */
function readSection(key) {
  const c = structuredClone(application.content ?? {});
  const number = (value) => (value === '' ? null : Number.parseInt(value, 10));
  if (key === 'project') {
    Object.assign(c, { title: text($('#title').value), institution: text($('#institution').value),
      principalInvestigator: text($('#principal-investigator').value) });
  } else if (key === 'purpose') {
    c.purpose = $('#purpose-options input:checked')?.value ?? null;
    c.legalBasis = text($('#legal-basis').value);
  } else if (key === 'data') {
    const tables = {};
    const justifications = {};
    for (const box of $$('#data-tables input[type="checkbox"]:checked')) {
      const [table, column] = box.name.split('.');
      (tables[table] ??= []).push(column);
      const why = document.getElementById(`just-${table}-${column}`);
      if (why && text(why.value)) {
        (justifications[table] ??= {})[column] = text(why.value);
      }
    }
    c.tables = tables;
    c.justifications = justifications;
  } else if (key === 'cohort') {
    const diagnoses = $('#diagnoses').value.split(/[\s,，、]+/).filter((code) => code !== '');
    c.cohort = { diagnoses: diagnoses.length > 0 ? diagnoses : null, from: $('#cohort-from').value || null, to: $('#cohort-to').value || null,
      minAge: number($('#min-age').value), maxAge: number($('#max-age').value) };
  } else if (key === 'generalisation') {
    c.generalisation = { birthDate: $('#form-generalisation input[name="birthDate"]:checked')?.value ?? null,
      careDates: $('#form-generalisation input[name="careDates"]:checked')?.value ?? null };
  } else if (key === 'public') {
    c.laySummary = text($('#lay-summary').value);
    c.publicBenefit = text($('#public-benefit').value);
  }
  return c;
}

async function saveSection(key) {
  clear(pageAlert);
  try {
    if (key === 'ethics') {
      const file = $('#ethics-file').files[0];
      if (!file) {
        showFieldProblems('ethics', [{ field: 'ethicsApproval', message: 'Choose the PDF file of the approval / 請選擇核准文件的 PDF 檔' }]);
        return;
      }
      remember(await api(`/api/v1/applications/${application.id}/ethics-approval`, { method: 'PUT', body: file, contentType: 'application/pdf' }));
    } else {
      remember(await api(`/api/v1/applications/${application.id}`, { method: 'PUT', json: readSection(key) }));
    }
  } catch (error) {
    const problems = problemsOf(error);
    if (problems.length > 0) {
      showFieldProblems(key, problems);
    } else if (error instanceof ApiError && key === 'ethics' && [413, 415, 422].includes(error.status)) {
      showFieldProblems(key, [{ field: 'ethicsApproval', message: error.problem.detail ?? error.message }]);
    } else {
      failed(error);
    }
    return;
  }
  // A section saved: its old problems are gone until the next submission says otherwise.
  lastProblems = lastProblems.filter((p) => sectionOf(p.field ?? '')?.key !== key);
  showTasks();
}

// ---- check your answers, submit

function showCheck() {
  stateBanner($('#check-state'));
  errorSummary($('#check-errors'), lastProblems, { locate: locateAnywhere, go: goTo });
  clear($('#check-answers')).append(...SECTIONS.map((section) => {
    const change = el('button', { type: 'button', class: 'link', id: `change-${section.key}` },
      bi('修改', 'Change', true), el('span', { class: 'visually-hidden' }, ` ${section.en}`));
    change.addEventListener('click', () => openSection(section.key));
    return el('div', { class: 'answers' },
      el('h3', {}, bi(section.zh, section.en, true), ' ', change),
      el('dl', { class: 'summary', id: `answers-${section.key}` }, answerRows(section.key, application).map(([zh, en, value]) => el('div', {},
        el('dt', {}, en ? bi(zh, en, false) : el('span', { class: 'mono' }, zh)),
        el('dd', {}, value ?? bi('未填寫', 'Not given', true))))));
  }));
  showView('view-check');
  if (lastProblems.length > 0) {
    $('#check-errors').focus();
  }
}

/** On the check page the fields sit on other pages: link to the section's heading-level field, by its known ID. */
function locateAnywhere(field) {
  const section = sectionOf(field);
  if (!section) {
    return null;
  }
  if (section.key === 'data' && !document.getElementById('table-enrollment')) {
    renderData(application.content ?? {});
  }
  return locate(field) ?? { id: `view-${section.key}`, label: `${section.zh} ${section.en}` };
}

function goTo(field) {
  const section = sectionOf(field);
  if (section) {
    openSection(section.key);
  }
}

async function submit() {
  clear(pageAlert);
  try {
    remember(await api(`/api/v1/applications/${application.id}/submit`, { method: 'POST' }));
  } catch (error) {
    const problems = problemsOf(error);
    if (problems.length > 0) {
      lastProblems = problems;
      showCheck();
    } else {
      failed(error);
    }
    return;
  }
  lastProblems = [];
  stateBanner($('#submitted-state'));
  showView('view-submitted');
}

async function withdraw() {
  remember(await api(`/api/v1/applications/${application.id}/withdraw`, { method: 'POST', json: {} }));
  showTasks();
}

function wire() {
  $('#new-application').addEventListener('click', () => startApplication().catch(failed));
  $('#to-check').addEventListener('click', () => showCheck());
  $('#submit').addEventListener('click', () => submit());
  $('#withdraw').addEventListener('click', () => withdraw().catch(failed));
  $('#run-preview').addEventListener('click', () => runPreview().catch(failed));
  $('#to-delivery').addEventListener('click', () => showDelivery().catch(failed));
  $('#to-outputs').addEventListener('click', () => showOutputs().catch(failed));
  $('#output-form').addEventListener('submit', (event) => {
    event.preventDefault();
    askForOutput().catch(failed);
  });
  $('#back-to-list').addEventListener('click', () => showList().catch(failed));
  for (const button of $$('[data-action="back-to-tasks"]')) {
    button.addEventListener('click', () => openApplication(application.id).catch(failed));
  }
  for (const button of $$('[data-action="back-to-list"]')) {
    button.addEventListener('click', () => showList().catch(failed));
  }
  for (const section of SECTIONS) {
    $(`#form-${section.key}`).addEventListener('submit', (event) => {
      event.preventDefault();
      saveSection(section.key);
    });
  }
  clear($('#purpose-options')).append(...dictionary.purposes.map((purpose) => el('label', { class: 'option', for: `purpose-${purpose}` },
    el('input', { type: 'radio', id: `purpose-${purpose}`, name: 'purpose', value: purpose }), el('span', {}, named(PURPOSE_NAMES, purpose)))));
}

async function start() {
  const user = await startSignedInPage({ role: 'researcher', alert: pageAlert });
  if (user) {
    try {
      dictionary = await api('/api/v1/data-dictionary');
      wire();
      const current = sessionStorage.getItem(CURRENT);
      if (current) {
        await openApplication(current).catch(() => showList());
      } else {
        await showList();
      }
    } catch (error) {
      failed(error);
    }
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

start();
