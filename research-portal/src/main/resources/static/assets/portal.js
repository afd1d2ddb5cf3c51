// What the researchers' and the reviewers' pages share: signing in, the words for statuses, turns and
// purposes, views (one page, one view shown at a time), and the GOV.UK error summary.

import { completeLogin, currentUser, login, logout, webConfig } from '/platform/auth.js';
import { ApiError, showProblem } from '/platform/api.js';
import { $, $$, append, bi, clear, el, named } from '/platform/ui.js';

export { named };

/**
 * Starts a page for people with `role`: finishes a sign-in that just came back from Keycloak, shows who
 * is signed in and wires the sign-in and sign-out buttons. Returns the user, or null when nobody is
 * signed in (#signed-out is shown) or the account lacks the role (#wrong-role is shown). The role only
 * decides what the page shows: the service refuses what the role may not do.
 */
export async function startSignedInPage({ role, alert }) {
  const failed = (error) => showProblem(error, { alert });
  for (const button of $$('[data-action="sign-in"]')) {
    button.addEventListener('click', () => login().catch(failed));
  }
  $('#sign-out').addEventListener('click', () => logout().catch(failed));
  let config = null;
  try {
    config = await webConfig();
    await completeLogin();
  } catch (error) {
    failed(error);
  }
  const user = currentUser();
  const status = clear($('#session-status'));
  if (user) {
    append(status, bi('已登入', 'Signed in', true), '：', el('strong', {}, user.name || user.username));
  }
  for (const button of $$('[data-action="sign-in"]')) {
    button.hidden = button.closest('header') ? Boolean(user) : false;
  }
  $('#sign-out').hidden = !user;
  if (!config) {
    return null;
  }
  if (!user) {
    $('#signed-out').hidden = false;
    return null;
  }
  if (!user.roles.includes(role)) {
    $('#wrong-role').hidden = false;
    return null;
  }
  return user;
}

/** The form's sections, in the task list's order; `fields` are the form's top-level names each one holds. */
export const SECTIONS = [
  { key: 'project', zh: '計畫資料', en: 'The project', fields: ['title', 'institution', 'principalInvestigator'] },
  { key: 'purpose', zh: '目的與法律依據', en: 'Purpose and legal basis', fields: ['purpose', 'legalBasis'] },
  { key: 'ethics', zh: '倫理審查核准文件', en: 'Ethics approval', fields: ['ethicsApproval'] },
  { key: 'data', zh: '申請的資料', en: 'The data', fields: ['tables', 'justifications'] },
  { key: 'cohort', zh: '研究對象', en: 'The cohort', fields: ['cohort'] },
  { key: 'generalisation', zh: '資料概化', en: 'Generalisation', fields: ['generalisation'] },
  { key: 'public', zh: '計畫摘要與公共利益', en: 'Lay summary and public benefit', fields: ['laySummary', 'publicBenefit'] },
];

export const STATUS_NAMES = {
  draft: ['草稿', 'Draft'],
  submitted: ['已送出，審查中', 'Submitted, in review'],
  'changes-requested': ['需修改', 'Changes requested'],
  approved: ['已核准', 'Approved'],
  rejected: ['未核准', 'Rejected'],
  withdrawn: ['已撤回', 'Withdrawn'],
};

export const TURN_NAMES = {
  researcher: ['輪到申請人', "The researcher's turn"],
  reviewer: ['輪到審查人', "The reviewer's turn"],
  nobody: ['已結案，無待辦事項', 'Closed: nothing left to do'],
};

export const PURPOSE_NAMES = {
  'academic-research': ['學術研究', 'Academic research'],
  'government-statistics': ['政府統計', 'Government statistics'],
  'cross-agency-linkage': ['跨機關資料串聯', 'Cross-agency linkage'],
  'commercial-use': ['商業利用', 'Commercial use'],
};

export const IDENTIFICATION_NAMES = {
  identifying: ['識別欄位', 'Identifying'],
  'quasi-identifying': ['準識別欄位', 'Quasi-identifying'],
};

export const OUTCOME_NAMES = {
  approve: ['核准', 'Approve'],
  reject: ['不予核准', 'Reject'],
  'request-changes': ['請申請人修改', 'Request changes'],
};

export const VISIBILITY_NAMES = {
  'reviewer-only': ['僅審查人可見', 'Reviewers only'],
  'shown-to-researcher': ['申請人可見', 'Shown to the researcher'],
};


/** A GOV.UK tag: the status, always in words (colour only repeats them). */
export function tag(table, code, kind = '') {
  return el('strong', { class: `tag ${kind}`.trim(), 'data-code': code }, named(table, code));
}

/** Shows one of the page's views (sections with class "view"), hides the others, and focuses its heading. */
export function showView(id) {
  for (const view of $$('section.view')) {
    view.hidden = view.id !== id;
  }
  const heading = $(`#${id} h2`);
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  window.scrollTo(0, 0);
  document.documentElement.dataset.view = id;
}

/**
 * The GOV.UK error summary at the top of `container`: "There is a problem", then each problem as a link
 * to its field. `locate(field)` answers {id, label} of the page element the field belongs to, or null;
 * `go(field)` brings that element on screen (e.g. opens its section) before the focus moves to it.
 */
export function errorSummary(container, problems, { locate, go = () => {} }) {
  clear(container);
  if (problems.length === 0) {
    container.hidden = true;
    return;
  }
  const items = problems.map((problem) => {
    const place = locate(problem.field ?? '');
    const text = [place ? place.label : null, el('span', { lang: 'en' }, problem.message ?? '')];
    if (!place) {
      return el('li', {}, problem.field ? `${problem.field}: ` : '', text);
    }
    const link = el('a', { href: `#${place.id}`, 'data-field': problem.field }, text[0], '：', text[1]);
    link.addEventListener('click', (event) => {
      event.preventDefault();
      go(problem.field);
      const target = document.getElementById(place.id);
      const control = target?.tagName === 'FIELDSET' ? target.querySelector('input, textarea, select') ?? target : target;
      control?.focus();
      control?.scrollIntoView({ block: 'center' });
    });
    return el('li', {}, link);
  });
  append(container,
    el('h2', { id: `${container.id}-title` }, '有問題需要處理', ' ', el('span', { lang: 'en', class: 'en' }, 'There is a problem')),
    el('ul', {}, items));
  container.setAttribute('aria-labelledby', `${container.id}-title`);
  container.hidden = false;
  container.setAttribute('tabindex', '-1');
  container.focus();
}

/** The field problems of a refusal (`errors[]`), or one without a field carrying its detail. */
export function problemsOf(error) {
  if (error instanceof ApiError && Array.isArray(error.problem.errors) && error.problem.errors.length > 0) {
    return error.problem.errors;
  }
  return [];
}

/** The answers of one section, as [zh, en, value] rows for a GOV.UK summary list (a value of null: not given). */
export function answerRows(key, application) {
  const c = application.content ?? {};
  const dash = '—';
  const rows = {
    project: [['計畫名稱', 'Project title', c.title], ['申請機構', 'Institution', c.institution],
      ['計畫主持人', 'Principal investigator', c.principalInvestigator]],
    purpose: [['資料利用目的', 'Purpose', c.purpose ? named(PURPOSE_NAMES, c.purpose) : null], ['法律依據', 'Legal basis', c.legalBasis]],
    ethics: [['核准文件', 'Approval', application.ethicsApproval
      ? bi(`${application.ethicsApproval.pages} 頁`, `${application.ethicsApproval.pages} page(s)`, true) : null]],
    data: Object.entries(c.tables ?? {}).map(([table, columns]) => [table, '', columns.map((column) => {
      const why = c.justifications?.[table]?.[column];
      return why ? `${column}（${why}）` : column;
    }).join('\n')]),
    cohort: [['診斷碼', 'Diagnoses', (c.cohort?.diagnoses ?? []).join(', ') || null],
      ['就醫期間', 'Care dates', c.cohort?.from || c.cohort?.to ? `${c.cohort?.from ?? dash} – ${c.cohort?.to ?? dash}` : null],
      ['年齡', 'Ages', c.cohort?.minAge != null || c.cohort?.maxAge != null ? `${c.cohort?.minAge ?? dash} – ${c.cohort?.maxAge ?? dash}` : null]],
    generalisation: [['出生日期', 'Birth dates', c.generalisation?.birthDate], ['就醫日期', 'Care dates', c.generalisation?.careDates]],
    public: [['計畫摘要', 'Lay summary', c.laySummary], ['公共利益', 'Public benefit', c.publicBenefit]],
  }[key];
  return rows.length > 0 ? rows : [['未選擇資料', 'No data chosen', null]];
}

// ---- jobs on the warehouse, the impact preview and the representativeness report (researchers' and reviewers' pages)

export const JOB_NAMES = {
  queued: ['排隊中，等待資料倉儲處理', 'Queued for the warehouse'],
  running: ['資料倉儲處理中', 'Running on the warehouse'],
  succeeded: ['已完成', 'Done'],
  failed: ['失敗', 'Failed'],
};

/**
 * Polls `load()` every second while the answer is a pending job (queued or running) and `still()` holds
 * (the person is still on the view), handing every answer to `show`. The page's job is live: no reload.
 */
export async function watchJob(load, show, still) {
  for (;;) {
    const job = await load();
    if (!still()) {
      return job;
    }
    show(job);
    if (!job || !['queued', 'running'].includes(job.status)) {
      return job;
    }
    await new Promise((resolve) => { setTimeout(resolve, 1000); });
  }
}

/** A job's status and progress, in words and as a progress bar (a job's number, e.g. 40 %, is read out too). */
export function jobStatus(container, job, labelId) {
  const pending = ['queued', 'running'].includes(job.status);
  clear(container).append(
    el('p', { 'data-status': job.status }, bi('狀態', 'Status', true), '：', tag(JOB_NAMES, job.status, job.status === 'succeeded' ? 'done' : 'todo'),
      pending ? ` ${job.progress} %` : ''),
    pending ? el('progress', { max: 100, value: job.progress, 'aria-labelledby': labelId }, `${job.progress} %`) : '');
  container.classList.toggle('busy', pending);
}

/** A count as the warehouse shows it: null means 1 to 10, suppressed. */
function shownCount(value) {
  return value === null || value === undefined
    ? el('span', { class: 'suppressed' }, bi('1 至 10 人，不顯示', '1 to 10, suppressed', true))
    : value.toLocaleString('en');
}

/** The impact preview's result: cohort, opted out, remaining (suppressed shown as such), the checkpoint, the report. */
export function previewResult(result, idPrefix) {
  const rows = [
    ['研究對象人數', 'Persons in the cohort', shownCount(result.cohort), 'cohort'],
    ['已選擇退出此目的', 'Opted out of this purpose', shownCount(result.optedOut), 'opted-out'],
    ['可提供的人數', 'Remaining in the extract', shownCount(result.remaining), 'remaining'],
  ];
  if (result.registryCheckpoint) {
    rows.push(['退出名單依據', 'Opt-outs as of', bi(`登錄中心檢查點 ${result.registryCheckpoint.size}`,
      `registry checkpoint ${result.registryCheckpoint.size}`, true), 'checkpoint']);
  }
  return el('div', { id: `${idPrefix}-result-body` },
    el('dl', { class: 'summary' }, rows.map(([zh, en, value, key]) => el('div', { id: `${idPrefix}-${key}` }, el('dt', {}, bi(zh, en, false)), el('dd', {}, value)))),
    el('p', { class: 'hint' }, bi('人數已四捨五入至十位；1 至 10 人不顯示。', 'Counts are rounded to the nearest 10; 1 to 10 is not shown.', true)),
    reportTables(result.representativeness ?? { dimensions: [] }, idPrefix));
}

/**
 * The representativeness report (the preview's and the extract's): which dimensions the opt-outs shift by
 * more than the threshold, then per dimension each category before and after.
 */
export function reportTables(report, idPrefix) {
  const dimensions = report.dimensions ?? [];
  const flagged = report.flaggedDimensions ?? dimensions.filter((d) => d.flagged).map((d) => d.name);
  const count = (category, key) => (category.shown === false ? bi('不顯示', 'suppressed', true) : shownCount(category[key]));
  return el('div', { class: 'report', id: `${idPrefix}-report` },
    el('h4', {}, bi('代表性報告', 'Representativeness report', true)),
    el('p', { id: `${idPrefix}-flagged`, 'data-flagged': flagged.join(' ') }, flagged.length === 0
      ? bi('沒有任何面向因退出而明顯改變。', 'No dimension is shifted noticeably by the opt-outs.', true)
      : append(el('span', {}, bi('因退出而明顯改變的面向', 'Dimensions the opt-outs shift noticeably', true), '：'),
        ...flagged.map((name) => el('strong', { class: 'tag todo' }, name)))),
    ...dimensions.map((dimension) => el('div', { class: 'table-wrap' }, el('table', { 'data-dimension': dimension.name },
      el('caption', {}, el('span', { class: 'mono' }, dimension.name), ' ', dimension.flagged ? el('strong', { class: 'tag todo' }, bi('明顯改變', 'flagged', true)) : ''),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, bi('類別', 'Category', true)), el('th', { scope: 'col' }, bi('排除前', 'Before', true)),
        el('th', { scope: 'col' }, bi('排除後', 'After', true)), el('th', { scope: 'col' }, bi('標準化差異', 'Standardised difference', true)))),
      el('tbody', {}, (dimension.categories ?? []).map((category) => el('tr', {},
        el('th', { scope: 'row' }, category.name), el('td', {}, count(category, 'before')), el('td', {}, count(category, 'after')),
        el('td', {}, category.standardisedDifference == null ? '—' : String(Math.round(category.standardisedDifference * 1000) / 1000)))))))));
}

/** The words for outputs and projects. */
export const OUTPUT_STATUS_NAMES = {
  'awaiting-checks': ['等待兩位審查人檢核', 'Awaiting two checkers'],
  released: ['已核可釋出', 'Released'],
  rejected: ['未核可', 'Rejected'],
};

export const OUTPUT_TURN_NAMES = {
  checkers: ['輪到檢核人', "The checkers' turn"],
  researcher: ['輪到申請人', "The researcher's turn"],
  nobody: ['已結案', 'Closed: nothing left to do'],
};

export const RULE_NAMES = {
  'small-cell': ['小格抑制（1、2 抑制）', 'Small cells (1 and 2 suppressed)'],
  opensafely: ['OpenSAFELY 規則（7 以下抑制，其餘取整至 5）', 'OpenSAFELY-like (7 or fewer suppressed, the rest rounded to 5)'],
};

export const PROJECT_STATUS_NAMES = {
  open: ['進行中', 'Open'],
  closed: ['已結束', 'Closed'],
  'not-approved': ['未核准', 'Not approved'],
};

export const CHECK_OUTCOME_NAMES = {
  approve: ['核可', 'Approved'],
  reject: ['不核可', 'Rejected'],
};
