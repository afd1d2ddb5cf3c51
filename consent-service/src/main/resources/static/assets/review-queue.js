// The counter page's review queue: representatives' online filings wait here until a clerk has looked
// at the evidence against the stated relation. Accepting sends the filing to the registry; rejecting
// (with a reason the representative is told) means it never goes there.

import { api, showProblem } from '/platform/api.js';
import { relationName, scopeNames } from './filing-ui.js';
import {
  $, announce, append, bi, clear, dateTime, el, named, saveBlob,
} from '/platform/ui.js';
import { KIND_NAMES } from './names.js';

const REVIEWS = '/api/v1/counter/reviews';

const EVIDENCE_NAMES = {
  'household-registration-transcript': ['戶籍謄本', 'Household registration transcript'],
  'court-ruling': ['法院裁定', 'Court ruling'],
};

let config = null;

function fact(list, zh, en, ...value) {
  list.append(el('dt', {}, bi(zh, en, true)), el('dd', {}, ...value));
}

function extension(mediaType) {
  return mediaType === 'application/pdf' ? 'pdf' : mediaType === 'image/png' ? 'png' : 'jpg';
}

async function viewEvidence(item, pending, alert) {
  const blob = await api(pending.evidenceUrl, { blob: true });
  const url = URL.createObjectURL(blob);
  if (pending.evidenceMediaType.startsWith('image/')) {
    const figure = clear($('.evidence-view', item));
    figure.append(el('img', { src: url, class: 'evidence-image', alt: '代理證明文件 The evidence as uploaded' }));
    figure.hidden = false;
  } else {
    // the browser's PDF viewer, in a tab of its own (the page itself embeds no objects)
    const opened = window.open(url, '_blank', 'noopener');
    if (!opened) {
      saveBlob(blob, `${pending.filingId}-evidence.pdf`);
    }
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  clear(alert);
}

async function decide(item, pending, decision) {
  const alert = $('.review-alert', item);
  clear(alert);
  const reasonField = $('textarea', item);
  const body = decision === 'reject' ? { reason: reasonField.value.trim() } : undefined;
  if (decision === 'reject' && !body.reason) {
    append(alert, el('p', {}, bi('請說明不予採認的理由，申請人會看到這段說明。', 'Say why the evidence is not accepted; the representative is told.', true)));
    reasonField.setAttribute('aria-invalid', 'true');
    reasonField.focus();
    return;
  }
  for (const button of item.querySelectorAll('button')) {
    button.disabled = true;
  }
  try {
    const result = await api(`${REVIEWS}/${encodeURIComponent(pending.filingId)}/${decision}`, { method: 'POST', json: body });
    const done = el('p', { class: 'success', 'data-decision': result.status },
      result.status === 'accepted'
        ? bi(`已採認：申請 ${pending.filingId} 將送交登錄中心。`, `Accepted: filing ${pending.filingId} goes to the registry.`, true)
        : bi(`未採認：申請 ${pending.filingId} 不予登錄，已通知申請人。`, `Not accepted: filing ${pending.filingId} will not be recorded; the representative is told.`, true));
    item.replaceWith(el('li', { class: 'review decided', 'data-review-filing-id': pending.filingId }, done));
  } catch (error) {
    showProblem(error, { alert });
    for (const button of item.querySelectorAll('button')) {
      button.disabled = false;
    }
  }
}

function reviewItem(pending) {
  const id = pending.filingId;
  const item = el('li', { class: 'review', 'data-review-filing-id': id });
  const list = el('dl', { class: 'facts' });
  fact(list, '申請編號', 'Filing ID', el('span', { class: 'mono' }, id));
  fact(list, '申請類別', 'Kind', named(KIND_NAMES, pending.kind));
  fact(list, '範圍', 'Scopes', scopeNames(pending.scopes, config, pending.kind));
  fact(list, '當事人', 'Person', el('span', { class: 'mono' }, pending.maskedNationalId));
  fact(list, '所稱代理關係', 'Stated relation', relationName(pending.relation, config, pending.kind));
  fact(list, '代理人', 'Representative', el('span', { class: 'mono review-representative' }, pending.representativeMaskedNationalId ?? ''),
    ' ', bi('（以其帳號登入申請）', '(filed with their own account)', true));
  fact(list, '證明文件', 'Evidence', named(EVIDENCE_NAMES, pending.evidenceType), ' ',
    el('span', { class: 'note' }, `${pending.evidenceMediaType}, ${Math.ceil(pending.evidenceBytes / 1024)} KB`));
  fact(list, '簽署時間', 'Signed at', dateTime(pending.signedAt));
  const alert = el('div', { class: 'alert review-alert', role: 'alert', tabindex: '-1' });
  const reasonId = `review-reason-${id}`;
  const view = el('button', { type: 'button', class: 'view-evidence' }, bi('檢視證明文件', 'View the evidence', true));
  const download = el('button', { type: 'button', class: 'download-evidence' }, bi('下載證明文件', 'Download the evidence', true));
  const accept = el('button', { type: 'button', class: 'primary accept-review' }, bi('採認，送交登錄', 'Accept: send to the registry', true));
  const reject = el('button', { type: 'button', class: 'reject-review' }, bi('不予採認', 'Reject', true));
  item.append(el('h3', {}, bi(`代理申請 ${id}`, `Filing ${id} by a representative`, true)), list,
    el('div', { class: 'actions' }, view, download),
    el('div', { class: 'evidence-view', hidden: true }),
    el('div', { class: 'field' },
      el('label', { for: reasonId }, bi('不予採認的理由（申請人會看到）', 'Reason for rejecting (the representative is told)', true)),
      el('textarea', { id: reasonId, rows: '2', maxlength: '500' })),
    alert,
    el('div', { class: 'actions' }, accept, reject));
  view.addEventListener('click', () => viewEvidence(item, pending, alert).catch((error) => showProblem(error, { alert })));
  download.addEventListener('click', async () => {
    try {
      saveBlob(await api(pending.evidenceUrl, { blob: true }), `${id}-evidence.${extension(pending.evidenceMediaType)}`);
    } catch (error) {
      showProblem(error, { alert });
    }
  });
  accept.addEventListener('click', () => decide(item, pending, 'accept'));
  reject.addEventListener('click', () => decide(item, pending, 'reject'));
  return item;
}

export async function refreshReviews() {
  const status = $('#reviews-status');
  const target = $('#reviews-list');
  announce(status, '載入中…', 'Loading…', { busy: true });
  clear($('#reviews-alert'));
  try {
    const pending = await api(REVIEWS);
    clear(target);
    if (pending.length === 0) {
      target.append(el('p', {}, bi('目前沒有待審核的代理申請。', 'No filings by representatives wait for review.', true)));
    } else {
      target.append(el('ul', { class: 'reviews' }, pending.map(reviewItem)));
    }
    announce(status, `待審核 ${pending.length} 件`, `${pending.length} waiting for review`);
  } catch (error) {
    announce(status, '', '');
    showProblem(error, { alert: $('#reviews-alert'), focus: false });
  }
}

/** Shows the queue on the counter page once a clerk is signed in. */
export async function startReviewQueue(pageConfig) {
  config = pageConfig;
  $('#reviews').hidden = false;
  $('#refresh-reviews').addEventListener('click', refreshReviews);
  await refreshReviews();
}
