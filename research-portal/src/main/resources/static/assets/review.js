// The reviewer's pages: the queue, then one application with its content, the minimum-necessary
// checklist, its versions and their diff, the history, comments (each marked reviewer-only or shown to
// the researcher) and the decision with its reason. The application's ID never appears in a URL.

import { api, ApiError, showProblem } from '/platform/api.js';
import { $, $$, bi, clear, clearFieldErrors, dateTime, el, saveBlob, setFieldError, words } from '/platform/ui.js';
import {
  answerRows, CHECK_OUTCOME_NAMES, errorSummary, IDENTIFICATION_NAMES, jobStatus, named, OUTCOME_NAMES, OUTPUT_STATUS_NAMES, OUTPUT_TURN_NAMES,
  previewResult, problemsOf, PROJECT_STATUS_NAMES, RULE_NAMES, SECTIONS, showView, startSignedInPage, STATUS_NAMES, tag, TURN_NAMES,
  VISIBILITY_NAMES, watchJob,
} from './portal.js';

const pageAlert = $('#page-alert');
const failed = (error) => showProblem(error, { alert: pageAlert });

/** The review being read: {application, minimumNecessary}. */
let review = null;

async function showQueue() {
  review = null;
  const queue = await api('/api/v1/reviews');
  clear($('#queue tbody')).append(...(queue ?? []).map((summary) => {
    const open = el('button', { type: 'button', class: 'link', 'data-application': summary.number }, summary.title ?? '');
    open.addEventListener('click', () => openReview(summary.id).catch(failed));
    return el('tr', {}, el('td', {}, String(summary.number)), el('td', {}, open), el('td', {}, summary.institution ?? ''),
      el('td', {}, String(summary.version)), el('td', { class: 'nowrap' }, dateTime(summary.updatedAt)));
  }));
  if ((queue ?? []).length === 0) {
    $('#queue tbody').append(el('tr', {}, el('td', { colspan: 5 }, bi('目前沒有待審查的申請。', 'Nothing is waiting for a decision.', true))));
  }
  showView('view-queue');
}

async function openReview(id) {
  review = await api(`/api/v1/reviews/${id}`);
  render();
  showView('view-review');
  await showPreview(id);
}

/** The newest preview of the version under review, live while it still runs. */
async function showPreview(id) {
  clear($('#review-preview-status'));
  clear($('#review-preview'));
  const load = () => api(`/api/v1/reviews/${id}/preview`).catch((error) => {
    if (error instanceof ApiError && error.status === 404) {
      return null;
    }
    throw error;
  });
  await watchJob(load, (preview) => {
    if (!preview) {
      $('#review-preview').append(el('p', { id: 'review-no-preview' },
        bi('申請人未為此版本執行影響預覽。', 'The researcher ran no impact preview of this version.', true)));
      return;
    }
    jobStatus($('#review-preview-status'), preview, 'review-preview-title');
    const submitted = review.application.versions.find((v) => v.version === preview.version)?.specSha256;
    $('#review-preview-status').prepend(el('p', {}, bi(`第 ${preview.version} 版`, `Version ${preview.version}`, true), ' · ', dateTime(preview.queuedAt),
      submitted && submitted !== preview.specSha256
        ? el('strong', { class: 'tag todo' }, bi('預覽後資料申請內容有變更', 'the data asked for changed after this preview', true)) : ''));
    clear($('#review-preview')).append(preview.status === 'succeeded' && preview.result ? previewResult(preview.result, 'review-preview')
      : preview.status === 'failed' ? el('p', {}, bi('預覽失敗。', 'The preview failed.', true)) : '');
  }, () => document.documentElement.dataset.view === 'view-review' && review?.application.id === id);
}

// ---- output checks and project end

let checking = null;

async function showChecks() {
  const queue = await api('/api/v1/output-checks');
  clear($('#check-queue tbody')).append(...queue.map((item) => {
    const open = el('button', { type: 'button', class: 'link', 'data-output': `${item.project}/${item.number}` }, item.description);
    open.addEventListener('click', () => openCheck(item.id).catch(failed));
    return el('tr', {}, el('td', { class: 'mono' }, item.project),
      el('td', {}, open, el('span', { class: 'note' }, named(RULE_NAMES, item.rules))),
      el('td', {}, `${item.approvals} / 2`), el('td', { class: 'nowrap' }, dateTime(item.submittedAt)));
  }));
  if (queue.length === 0) {
    $('#check-queue tbody').append(el('tr', {}, el('td', { colspan: 4 }, bi('目前沒有待檢核的成果。', 'No output is waiting for your check.', true))));
  }
  showView('view-checks');
}

async function openCheck(id) {
  checking = await api(`/api/v1/output-checks/${id}`);
  renderCheck();
  showView('view-check');
}

function renderCheck() {
  const c = checking;
  $('#check-title').textContent = `${c.project} #${c.number}`;
  clear($('#check-state')).append(
    el('p', { id: 'check-status', 'data-status': c.status }, bi('狀態', 'Status', true), '：',
      tag(OUTPUT_STATUS_NAMES, c.status, c.status === 'released' ? 'done' : 'todo'), ' ',
      bi(`核可 ${c.approvals}／${c.approvalsNeeded}`, `approvals ${c.approvals} of ${c.approvalsNeeded}`, true)),
    el('p', {}, el('strong', {}, c.checkedByYou ? bi('您已檢核過此成果', 'You have checked this output', true) : named(OUTPUT_TURN_NAMES, c.turn))));
  clear($('#check-facts')).append(...[
    ['說明', 'Description', c.description],
    ['檢核規則', 'Rules', named(RULE_NAMES, c.rules)],
    ['送出時間', 'Submitted', dateTime(c.submittedAt)],
    ['上傳版本 SHA-256', 'Uploaded SHA-256', el('span', { class: 'mono' }, c.originalSha256)],
    ['釋出版本 SHA-256', 'Checked SHA-256', el('span', { class: 'mono' }, c.releasedSha256)],
  ].map(([zh, en, value]) => el('div', {}, el('dt', {}, bi(zh, en, false)), el('dd', {}, value))));
  $('#check-original').textContent = c.originalCsv;
  $('#check-released').textContent = c.releasedCsv;
  $('#check-report').textContent = c.checkReport;
  clear($('#check-record')).append(...c.checks.map((check) => el('li', { 'data-outcome': check.outcome },
    el('p', {}, named(CHECK_OUTCOME_NAMES, check.outcome), ' · ', dateTime(check.at)), el('p', {}, check.reason))));
  if (c.checks.length === 0) {
    $('#check-record').append(el('li', {}, bi('尚無檢核。', 'No check yet.', true)));
  }
  $('#check-form').hidden = c.checkedByYou || c.status !== 'awaiting-checks';
}

const CHECK_FIELDS = { outcome: 'check-outcome-group', reason: 'check-reason', project: 'lookup-project' };

function locateCheck(field) {
  const id = CHECK_FIELDS[field] ?? (field === 'reason' ? 'close-reason' : null);
  const node = id ? document.getElementById(id) : null;
  return node ? { id, label: words(node.tagName === 'FIELDSET' ? node.querySelector('legend') : node.labels[0]) } : null;
}

async function recordCheck() {
  const form = $('#check-form');
  const outcome = form.querySelector('input[name="outcome"]:checked')?.value ?? null;
  const reason = $('#check-reason').value.trim();
  const answer = await sendWith(form, $('#check-errors'), locateCheck, () => [
    ...(outcome ? [] : [{ field: 'outcome', message: '請選擇核可或不核可 / Choose approve or reject' }]),
    ...(reason ? [] : [{ field: 'reason', message: '請說明理由 / Give the reason' }]),
  ], () => api(`/api/v1/output-checks/${checking.id}/decision`, { method: 'POST', json: { outcome, reason } }));
  if (answer) {
    checking = answer;
    form.reset();
    renderCheck();
    $('#check-state').focus?.();
  }
}

let project = null;

async function openProject(name) {
  project = await api(`/api/v1/projects/${encodeURIComponent(name)}`);
  renderProject();
  showView('view-project');
}

function renderProject() {
  const p = project;
  $('#project-title').textContent = p.project;
  const closure = p.closure;
  clear($('#project-state')).append(
    el('p', { id: 'project-status', 'data-status': p.status }, bi('計畫狀態', 'Project', true), '：',
      tag(PROJECT_STATUS_NAMES, p.status, p.status === 'open' ? 'done' : 'todo')),
    closure ? el('p', {}, bi('結束於', 'Closed', true), ' ', dateTime(closure.closedAt), '：', closure.reason) : '',
    closure?.job ? el('p', { id: 'project-close-job', 'data-status': closure.job.status }, bi('銷毀作業', 'Destruction of keys and tables', true), '：',
      named({ queued: ['排隊中', 'queued'], running: ['進行中', 'running'], succeeded: ['已完成', 'done'], failed: ['失敗', 'failed'] }, closure.job.status),
      closure.job.finishedAt ? ` ${dateTime(closure.job.finishedAt)}` : '') : '');
  $('#close-form').hidden = p.status !== 'open';
}

async function closeProject() {
  const form = $('#close-form');
  const reason = $('#close-reason').value.trim();
  const answer = await sendWith(form, $('#close-errors'), (field) => (field === 'reason' ? { id: 'close-reason', label: words($('#close-reason').labels[0]) } : null),
    () => (reason ? [] : [{ field: 'reason', message: '請說明計畫結束的理由 / Give the reason the project ends' }]),
    () => api(`/api/v1/projects/${encodeURIComponent(project.project)}/close`, { method: 'POST', json: { reason } }));
  if (answer) {
    project = answer;
    form.reset();
    renderProject();
  }
}

async function lookUpProject() {
  const form = $('#lookup-form');
  const name = $('#lookup-project').value.trim();
  clearFieldErrors(form);
  if (!/^application-[0-9]{1,12}$/.test(name)) {
    const problems = [{ field: 'project', message: '請輸入計畫名稱，例如 application-12 / Enter the project name, e.g. application-12' }];
    setFieldError(form, 'project', null, problems[0].message);
    errorSummary($('#lookup-errors'), problems, { locate: locateCheck });
    return;
  }
  errorSummary($('#lookup-errors'), [], { locate: locateCheck });
  await openProject(name);
}

function render() {
  const application = review.application;
  $('#review-number').textContent = `#${application.number}`;
  $('#review-title').textContent = application.content?.title ?? '';
  clear($('#review-state')).append(
    el('p', {}, bi('狀態', 'Status', true), '：', tag(STATUS_NAMES, application.status), ' ',
      bi(`審查第 ${application.version} 版`, `reviewing version ${application.version}`, true)),
    el('p', { id: 'review-turn', 'data-turn': application.turn }, el('strong', {}, named(TURN_NAMES, application.turn))));

  clear($('#review-content')).append(...SECTIONS.flatMap((section) => answerRows(section.key, application).map(([zh, en, value]) =>
    el('div', {}, el('dt', {}, en ? bi(zh, en, false) : el('span', { class: 'mono' }, zh)),
      el('dd', {}, value ?? bi('未填寫', 'Not given', true))))));

  clear($('#checklist tbody')).append(...review.minimumNecessary.map((item) => el('tr', { 'data-column': `${item.table}.${item.column}` },
    el('td', { class: 'mono' }, item.table),
    el('td', {}, el('span', { class: 'mono' }, item.column), el('span', { class: 'note', lang: 'en' }, item.description ?? '')),
    el('td', {}, tag(IDENTIFICATION_NAMES, item.identification, 'todo')),
    el('td', {}, item.justification ?? bi('未說明理由', 'No justification given', true)))));
  if (review.minimumNecessary.length === 0) {
    $('#checklist tbody').append(el('tr', {}, el('td', { colspan: 4 }, bi('未申請識別或準識別欄位。', 'No identifying or quasi-identifying column asked for.', true))));
  }

  const submitted = application.versions.filter((v) => v.submittedAt);
  clear($('#review-versions')).append(...submitted.map((version) => el('li', {},
    bi(`第 ${version.version} 版`, `Version ${version.version}`, true), '：', bi('送出於', 'submitted', true), ' ', dateTime(version.submittedAt))));
  const options = (selected) => submitted.map((v) => el('option', { value: v.version, selected: v.version === selected }, String(v.version)));
  const last = submitted.at(-1)?.version ?? 1;
  clear($('#diff-from')).append(...options(Math.max(1, last - 1)));
  clear($('#diff-to')).append(...options(last));
  $('#diff-form').hidden = submitted.length < 2;
  $('#diff-result').hidden = true;

  clear($('#review-history')).append(...application.history.map((entry) => el('li', {},
    dateTime(entry.at), '：', named(STATUS_NAMES, entry.from ?? ''), entry.from ? ' → ' : '', named(STATUS_NAMES, entry.to), ' ',
    el('span', { class: 'hint' }, entry.by === 'reviewer' ? bi('（審查人）', '(reviewer)', true) : bi('（申請人）', '(researcher)', true)),
    entry.reason ? el('p', {}, entry.reason) : '')));

  clear($('#review-comments')).append(...application.comments.map((comment) => el('li', { 'data-visibility': comment.visibility },
    el('p', {}, tag(VISIBILITY_NAMES, comment.visibility, comment.visibility === 'reviewer-only' ? 'private' : 'shared'), ' ',
      bi(`第 ${comment.version} 版`, `version ${comment.version}`, true), ' · ', dateTime(comment.at)),
    el('p', {}, comment.body))),
  ...application.decisions.map((decision) => el('li', { 'data-outcome': decision.outcome },
    el('p', {}, el('strong', {}, bi('決定', 'Decision', true)), '：', named(OUTCOME_NAMES, decision.outcome), ' ',
      bi(`第 ${decision.version} 版`, `version ${decision.version}`, true), ' · ', dateTime(decision.at)),
    el('p', {}, decision.reason))));
  if ($('#review-comments').childElementCount === 0) {
    $('#review-comments').append(el('li', {}, bi('尚無意見。', 'No comments yet.', true)));
  }
  const open = application.turn === 'reviewer';
  $('#comment-form').hidden = !open;
  $('#decision-form').hidden = !open;
  $('#download-ethics').hidden = !application.ethicsApproval;
}

async function showDiff() {
  const from = $('#diff-from').value;
  const to = $('#diff-to').value;
  const diff = await api(`/api/v1/reviews/${review.application.id}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  $('#diff-caption').textContent = `第 ${diff.from} 版 → 第 ${diff.to} 版 (version ${diff.from} → ${diff.to})`;
  clear($('#diff tbody')).append(...diff.changes.map((change) => el('tr', { 'data-field': change.field },
    el('th', { scope: 'row', class: 'mono' }, change.field),
    el('td', {}, change.before == null ? '—' : el('del', {}, change.before)),
    el('td', {}, change.after == null ? '—' : el('ins', {}, change.after)))));
  if (diff.changes.length === 0) {
    $('#diff tbody').append(el('tr', {}, el('td', { colspan: 3 }, bi('兩個版本相同。', 'The versions are the same.', true))));
  }
  $('#diff-result').hidden = false;
}

const FORM_FIELDS = { visibility: 'visibility-group', body: 'comment-body', outcome: 'outcome-group', reason: 'reason' };

function locate(field) {
  const id = FORM_FIELDS[field];
  const node = id ? document.getElementById(id) : null;
  if (!node) {
    return null;
  }
  const label = node.tagName === 'FIELDSET' ? node.querySelector('legend') : node.labels[0];
  return { id, label: words(label) };
}

/** Checks a form's answers on the page first (the same rules the API applies), then sends it; problems go to the summary. */
function send(form, summary, check, call) {
  return sendWith(form, summary, locate, check, call);
}

async function sendWith(form, summary, locate, check, call) {
  clearFieldErrors(form);
  clear(pageAlert);
  let problems = check();
  if (problems.length === 0) {
    try {
      return await call();
    } catch (error) {
      problems = problemsOf(error);
      if (problems.length === 0) {
        errorSummary(summary, [], { locate });
        failed(error);
        return null;
      }
    }
  }
  for (const problem of problems) {
    setFieldError(form, problem.field, null, problem.message);
  }
  errorSummary(summary, problems, { locate });
  return null;
}

async function addComment() {
  const form = $('#comment-form');
  const visibility = form.querySelector('input[name="visibility"]:checked')?.value ?? null;
  const body = $('#comment-body').value.trim();
  const answer = await send(form, $('#comment-errors'), () => [
    ...(visibility ? [] : [{ field: 'visibility', message: '請選擇誰可以看到這則意見 / Say who may read this comment' }]),
    ...(body ? [] : [{ field: 'body', message: '請輸入意見 / Write the comment' }]),
  ], () => api(`/api/v1/reviews/${review.application.id}/comments`, { method: 'POST', json: { visibility, body } }));
  if (answer) {
    review = answer;
    form.reset();
    errorSummary($('#comment-errors'), [], { locate });
    render();
    $('#review-comments').lastElementChild?.scrollIntoView({ block: 'center' });
  }
}

async function decide() {
  const form = $('#decision-form');
  const outcome = form.querySelector('input[name="outcome"]:checked')?.value ?? null;
  const reason = $('#reason').value.trim();
  const answer = await send(form, $('#decision-errors'), () => [
    ...(outcome ? [] : [{ field: 'outcome', message: '請選擇決定 / Choose a decision' }]),
    ...(reason ? [] : [{ field: 'reason', message: '請說明理由，申請人會看到 / Give the reason: the researcher reads it' }]),
  ], () => api(`/api/v1/reviews/${review.application.id}/decision`, { method: 'POST',
    json: { outcome, version: review.application.version, reason } }));
  if (answer) {
    form.reset();
    errorSummary($('#decision-errors'), [], { locate });
    const application = answer.application;
    clear($('#decided-state')).append(
      el('p', {}, bi(`申請 #${application.number}`, `Application #${application.number}`, true), '：', named(OUTCOME_NAMES, outcome)),
      el('p', { id: 'decided-status' }, bi('狀態', 'Status', true), '：', tag(STATUS_NAMES, application.status), ' · ',
        named(TURN_NAMES, application.turn)),
      answer.extractJob ? el('p', {}, bi('已排入資料擷取作業。', 'The extract is queued.', true)) : '');
    showView('view-decided');
  }
}

function wire() {
  $('#back-to-queue').addEventListener('click', () => showQueue().catch(failed));
  $('#to-checks').addEventListener('click', () => showChecks().catch(failed));
  $('#to-queue').addEventListener('click', () => showQueue().catch(failed));
  for (const button of $$('[data-action="back-to-checks"]')) {
    button.addEventListener('click', () => showChecks().catch(failed));
  }
  for (const [id, action] of [['check-form', recordCheck], ['close-form', closeProject], ['lookup-form', lookUpProject]]) {
    $(`#${id}`).addEventListener('submit', (event) => {
      event.preventDefault();
      action().catch(failed);
    });
  }
  $('#decided-back').addEventListener('click', () => showQueue().catch(failed));
  $('#diff-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showDiff().catch(failed);
  });
  $('#comment-form').addEventListener('submit', (event) => {
    event.preventDefault();
    addComment();
  });
  $('#decision-form').addEventListener('submit', (event) => {
    event.preventDefault();
    decide();
  });
  $('#download-ethics').addEventListener('click', () => api(
    `/api/v1/reviews/${review.application.id}/versions/${review.application.version}/ethics-approval`, { blob: true })
    .then((blob) => saveBlob(blob, `ethics-approval-${review.application.number}-v${review.application.version}.pdf`))
    .catch(failed));
}

async function start() {
  const user = await startSignedInPage({ role: 'reviewer', alert: pageAlert });
  if (user) {
    wire();
    await showQueue().catch(failed);
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

start();
