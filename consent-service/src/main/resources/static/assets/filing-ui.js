// What the counter and the online page share: signing in, the form's choices (kinds, scopes and
// relations from GET /web-config, i.e. from the published form templates), the filing's result, the
// list of filings and the downloads of their PDFs.

import { completeLogin, currentUser, login, logout, webConfig } from '/platform/auth.js';
import { api, showProblem } from '/platform/api.js';
import {
  $, $$, append, bi, clear, dateTime, el, named, saveBlob,
} from '/platform/ui.js';
import { CHANNEL_NAMES, DELIVERY_NAMES, KIND_NAMES } from './names.js';

/**
 * Starts a page for people with `role`: finishes a sign-in that just came back from Keycloak, shows
 * who is signed in and wires the sign-in and sign-out buttons. Returns {config, user}; user is null
 * when nobody is signed in (#signed-out is shown) or the account lacks the role (#wrong-role is shown).
 * The role check only decides what the page shows: the service refuses what the role may not do.
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
    return { config: null, user: null };
  }
  if (!user) {
    $('#signed-out').hidden = false;
    return { config, user: null };
  }
  if (!user.roles.includes(role)) {
    $('#wrong-role').hidden = false;
    return { config, user: null };
  }
  return { config, user };
}

/** The form a kind uses (its scopes and relations), or the first one before a kind is chosen. */
export function formOf(config, kind) {
  return config.forms[kind] ?? Object.values(config.forms)[0];
}

/** The scope checkboxes of the kind's form, keeping what was ticked. */
export function renderScopes(container, config, kind) {
  const form = formOf(config, kind);
  const ticked = new Set($$('input[type="checkbox"]', container).filter((box) => box.checked).map((box) => box.value));
  clear(container);
  for (const scope of form.scopes) {
    const id = `scope-${scope.code}`;
    const note = scope.code === form.coversAll
      ? el('span', { class: 'note' }, bi('涵蓋以上各項，須單獨勾選', 'Covers all of the above: choose it alone', true)) : null;
    const box = el('input', { type: 'checkbox', id, name: 'scopes', value: scope.code });
    // The property, not the attribute: a form reset must clear it.
    box.checked = ticked.has(scope.code);
    container.append(el('label', { class: 'option', for: id },
      box, el('span', {}, el('span', {}, scope.zh), el('span', { lang: 'en', class: 'en' }, scope.en), note)));
  }
}

export function tickedScopes(container) {
  return $$('input[type="checkbox"]', container).filter((box) => box.checked).map((box) => box.value);
}

/** The relations of a representative, as the kind's form names them. */
export function renderRelations(select, config, kind) {
  const chosen = select.value;
  clear(select);
  select.append(el('option', { value: '' }, '請選擇 Choose…'));
  for (const relation of formOf(config, kind).relations) {
    select.append(el('option', { value: relation.code }, `${relation.zh} ${relation.en}`));
  }
  select.value = chosen;
}

export function scopeNames(codes, config, kind) {
  const known = new Map(formOf(config, kind).scopes.map((scope) => [scope.code, scope]));
  return el('ul', { class: 'scopes' }, (codes ?? []).map((code) => {
    const scope = known.get(code);
    return el('li', { 'data-scope': code }, scope ? bi(scope.zh, scope.en, true) : code);
  }));
}

export function relationName(code, config, kind) {
  const relation = formOf(config, kind).relations.find((r) => r.code === code);
  return relation ? bi(relation.zh, relation.en, true) : document.createTextNode(code);
}

function fact(list, zh, en, ...value) {
  list.append(el('dt', {}, bi(zh, en, true)), el('dd', {}, ...value));
}

const REVIEW_NAMES = {
  pending: ['審核中', 'Under review'],
  accepted: ['已採認', 'Accepted'],
  rejected: ['未採認', 'Not accepted'],
};

function review(status) {
  const text = el('span', { 'data-review': status.status }, named(REVIEW_NAMES, status.status));
  if (status.reason) {
    append(text, '：', el('span', { class: 'review-reason' }, status.reason));
  }
  return text;
}

/** A draft before signing: whose (masked), what, until when. */
export function draftFacts(draft, config) {
  const list = el('dl', { class: 'facts' });
  fact(list, '當事人', 'Person', el('span', { class: 'mono' }, draft.maskedNationalId ?? ''));
  fact(list, '申請類別', 'Kind', named(KIND_NAMES, draft.kind));
  fact(list, '範圍', 'Scopes', scopeNames(draft.scopes, config, draft.kind));
  if (draft.relation) {
    fact(list, '代理人', 'Representative', relationName(draft.relation, config, draft.kind));
  }
  if (draft.expiresAt) {
    fact(list, '請於此時間前完成簽名', 'Sign before', dateTime(draft.expiresAt));
  }
  return list;
}

function delivery(status) {
  if (!status) {
    return '';
  }
  const text = el('span', { 'data-delivery': status.status }, named(DELIVERY_NAMES, status.status));
  if (status.deliveredAt) {
    append(text, '（', dateTime(status.deliveredAt), '）');
  }
  if (status.detail) {
    append(text, ' ', el('span', { lang: 'en', class: 'en-inline' }, status.detail));
  }
  return text;
}

export function verificationLink(config, code) {
  return `${config.verificationBase.replace(/\/+$/, '')}/verify/${encodeURIComponent(code)}`;
}

/** Links that fetch a filing's PDFs with the token (see wireDownloads); short labels for the table. */
export function documentLinks(filing, { short = false } = {}) {
  if (filing.review && filing.review.status !== 'accepted' && !filing.formUrl) {
    // a representative's filing not (yet) accepted: its filer sees the request's status, not the person's form
    return el('p', { class: 'documents note', 'data-documents': 'withheld' },
      bi('文件於審核通過後提供', 'Documents once the evidence is accepted', true));
  }
  const base = `/api/v1/filings/${encodeURIComponent(filing.filingId)}`;
  const form = short ? bi('申請書', 'Form (PDF)', true) : bi('下載已封印的申請書（PDF）', 'Download the sealed form (PDF)', true);
  const receipt = short ? bi('收據', 'Receipt (PDF)', true) : bi('下載收據（PDF）', 'Download the receipt (PDF)', true);
  return el('p', { class: 'documents' },
    el('a', { class: 'download', href: filing.formUrl ?? `${base}/form.pdf`, 'data-download': `${filing.filingId}.pdf`, 'data-document': 'form' },
      form),
    ' ',
    el('a', { class: 'download', href: filing.receiptUrl ?? `${base}/receipt.pdf`, 'data-download': `${filing.filingId}-receipt.pdf`,
      'data-document': 'receipt' }, receipt));
}

/** The filing just made: a message [zh, en], what the receipt says, where to verify it, and the documents. */
export function filingResult(filing, config, [zh, en]) {
  const list = el('dl', { class: 'facts', 'data-filing-id': filing.filingId });
  fact(list, '申請編號', 'Filing ID', el('span', { class: 'mono', id: 'result-filing-id' }, filing.filingId));
  if (filing.maskedNationalId) {
    fact(list, '當事人', 'Person', el('span', { class: 'mono' }, filing.maskedNationalId));
  }
  fact(list, '申請類別', 'Kind', named(KIND_NAMES, filing.kind));
  fact(list, '範圍', 'Scopes', scopeNames(filing.scopes, config, filing.kind));
  fact(list, '管道', 'Channel', named(CHANNEL_NAMES, filing.channel));
  if (filing.representative?.relation) {
    fact(list, '代理人', 'Representative', relationName(filing.representative.relation, config, filing.kind),
      filing.representative.maskedNationalId ? ['（', el('span', { class: 'mono' }, filing.representative.maskedNationalId), '）'] : '');
  }
  if (filing.review) {
    fact(list, '代理證明審核', 'Evidence review', review(filing.review));
  }
  fact(list, '簽署時間', 'Signed at', dateTime(filing.signedAt));
  if (filing.receiptCode) {
    fact(list, '收據驗證碼', 'Receipt code', el('span', { class: 'mono', id: 'result-receipt-code' }, filing.receiptCode));
    const link = verificationLink(config, filing.receiptCode);
    fact(list, '線上驗證', 'Verify online', el('a', { href: link }, link));
  }
  fact(list, '登錄狀態', 'Registry', delivery(filing.delivery));
  fact(list, '申請書 SHA-256', 'Form SHA-256', el('span', { class: 'mono' }, filing.formSha256 ?? ''));
  const wrapper = el('div', {},
    el('p', { class: 'success' }, bi(zh, en, true)),
    list, documentLinks(filing));
  return wrapper;
}

/** A table of filings, newest first as the service lists them. */
export function filingsTable(filings, config, captionZh, captionEn) {
  if (!filings || filings.length === 0) {
    return el('p', {}, bi('目前沒有申請紀錄。', 'No filings yet.', true));
  }
  const head = el('tr', {}, [
    ['申請編號及文件', 'Filing ID, documents'], ['申請內容', 'Request'], ['範圍', 'Scopes'], ['登錄狀態', 'Registry'],
  ].map(([zh, en]) => el('th', { scope: 'col' }, bi(zh, en))));
  const rows = filings.map((filing) => el('tr', { 'data-filing-id': filing.filingId },
    el('th', { scope: 'row' }, el('span', { class: 'mono nowrap' }, filing.filingId), el('span', { class: 'note' }, dateTime(filing.signedAt)),
      documentLinks(filing, { short: true })),
    el('td', {}, named(KIND_NAMES, filing.kind), el('span', { class: 'note' }, named(CHANNEL_NAMES, filing.channel),
      filing.representative?.relation ? [' ', bi('（代理）', '(by a representative)', true)] : null)),
    el('td', {}, scopeNames(filing.scopes, config, filing.kind)),
    el('td', {}, delivery(filing.delivery), filing.review?.reason ? el('span', { class: 'note' }, filing.review.reason) : null)));
  return el('table', {}, el('caption', {}, bi(captionZh, captionEn, true)), el('thead', {}, head), el('tbody', {}, rows));
}

/** Loads a list of filings into `target`, saying so in `status`. */
export async function loadFilings(path, target, status, config, captionZh, captionEn) {
  status.textContent = '';
  append(status, bi('載入中…', 'Loading…', true));
  try {
    const filings = await api(path);
    clear(target).append(filingsTable(filings, config, captionZh, captionEn));
    clear(status);
    append(status, bi(`共 ${filings.length} 件`, `${filings.length} ${filings.length === 1 ? 'filing' : 'filings'}`, true));
  } catch (error) {
    clear(status);
    clear(target);
    const alert = el('div', { class: 'alert', role: 'alert' });
    target.append(alert);
    showProblem(error, { alert, focus: false });
  }
}

/**
 * Makes every a[data-download] under root fetch its PDF with the token and save it: the API wants a
 * bearer token, which a plain link cannot send.
 */
export function wireDownloads(root, alert) {
  root.addEventListener('click', async (event) => {
    const link = event.target.closest('a[data-download]');
    if (!link) {
      return;
    }
    event.preventDefault();
    if (link.getAttribute('aria-busy') === 'true') {
      return;
    }
    link.setAttribute('aria-busy', 'true');
    try {
      const blob = await api(link.getAttribute('href'), { blob: true });
      saveBlob(blob, link.dataset.download);
      link.dataset.downloaded = 'true';
    } catch (error) {
      showProblem(error, { alert });
    } finally {
      link.removeAttribute('aria-busy');
    }
  });
}
