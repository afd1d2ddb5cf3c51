// The online page: a citizen files an opt-out or a withdrawal for themself (their national ID comes
// from their login, never from the page) or, as a representative, for someone else, and signs with a
// pen or a finger in pen-capture.js. The service's quality gate may ask for another signature.

import { api, issueList, showProblem } from '/platform/api.js';
import {
  draftFacts, filingResult, formOf, loadFilings, renderRelations, renderScopes, startSignedInPage, tickedScopes, wireDownloads,
} from './filing-ui.js';
import { PenCapture } from './pen-capture.js';
import {
  $, announce, append, bi, clear, clearFieldError, clearFieldErrors, el, focusFirstError, setFieldError, showSection,
} from '/platform/ui.js';
import { checkDraftRequest, MESSAGES, nationalIdProblem, tidyId } from './validation.js';

const DRAFTS = '/api/v1/online/drafts';

const pageAlert = $('#page-alert');
const form = $('#filing-form');
const formAlert = $('#form-alert');
const formStatus = $('#form-status');
const signStatus = $('#sign-status');
const signAlert = $('#sign-alert');

let config = null;
let draft = null;
let pad = null;

function kind() {
  return form.elements.kind.value;
}

function readForm() {
  const forSomeoneElse = $('#for-someone-else').checked;
  return {
    kind: kind(),
    scopes: tickedScopes($('#scope-options')),
    representative: forSomeoneElse ? {
      relation: $('#relation').value,
      evidenceType: $('#evidence-type').value,
      nationalId: tidyId($('#their-national-id').value),
    } : null,
    evidence: forSomeoneElse ? ($('#evidence-file').files[0] ?? null) : null,
  };
}

/** The service's own rules, checked before anything is sent; false (with the messages shown) when something is wrong. */
function validate(request) {
  let valid = true;
  const fail = (field, [zh, en]) => {
    setFieldError(form, field, zh, en);
    valid = false;
  };
  if (request.representative) {
    const idProblem = nationalIdProblem(request.representative.nationalId);
    if (idProblem) {
      fail('representative.nationalId', idProblem);
    }
  }
  checkDraftRequest(request, formOf(config, request.kind).coversAll, fail);
  return valid;
}

async function createDraft(event) {
  event.preventDefault();
  clearFieldErrors(form);
  clear(formAlert);
  const request = readForm();
  if (!validate(request)) {
    append(formAlert, el('p', {}, bi('請修正標示的欄位。', 'Please correct the marked fields.', true)));
    focusFirstError(form);
    return;
  }
  const submit = $('#create-draft');
  submit.disabled = true;
  try {
    announce(formStatus, '建立申請中…', 'Preparing the filing…', { busy: true });
    const body = { kind: request.kind, scopes: request.scopes };
    if (request.representative) {
      body.representative = request.representative;
    }
    const created = await api(DRAFTS, { method: 'POST', json: body });
    if (request.evidence) {
      announce(formStatus, '上傳證明文件中…', 'Uploading the evidence…', { busy: true });
      // If this fails, the draft cannot be signed: it expires unused, and the next try opens a new one.
      await api(`${DRAFTS}/${encodeURIComponent(created.draftId)}/evidence`,
        { method: 'PUT', body: request.evidence, contentType: request.evidence.type });
    }
    announce(formStatus, '', '');
    draft = created;
    showSigning();
  } catch (error) {
    announce(formStatus, '', '');
    showProblem(error, { alert: formAlert, form });
  } finally {
    submit.disabled = false;
  }
}

/** The declaration and privacy notice of the draft's form, word for word as the form prints them. */
function showDeclaration() {
  const form = formOf(config, draft.kind);
  const paragraphs = (list) => list.map((text) => el('p', {}, bi(text.zh, text.en)));
  const declaration = form.declaration;
  clear($('#declaration-text')).append(...paragraphs(draft.relation ? declaration.proxy : declaration.self),
    ...paragraphs(declaration.common));
  clear($('#privacy-text')).append(...paragraphs(declaration.privacyNotice));
  clear($('#declaration-template')).append(bi(`申請書範本 ${form.template} 第 ${form.version} 版，SHA-256 ${form.sha256}`,
    `Form template ${form.template} v${form.version}, SHA-256 ${form.sha256}`, true));
  $('#declaration-read').checked = false;
}

function showSigning() {
  clear($('#draft-facts')).append(draftFacts(draft, config));
  showDeclaration();
  clear(signAlert);
  clear($('#quality'));
  announce(signStatus, '', '');
  $('#filing').hidden = true;
  showSection($('#signing'), true);
  // Mounted once the surface is visible, so that it has its size; cleared for every new draft.
  if (pad === null) {
    pad = new PenCapture($('#signature-pad'), {
      label: '簽名區，請以觸控筆或手指簽名 Signature area: sign with a pen or a finger',
      liveRegion: $('#stroke-status'),
    });
  } else {
    pad.clear();
  }
}

async function submitSignature() {
  clear(signAlert);
  clear($('#quality'));
  clear($('#signature-error'));
  clearFieldError($('#signing'), 'declaration');
  if (!$('#declaration-read').checked) {
    setFieldError($('#signing'), 'declaration', '請先閱讀聲明及個人資料蒐集告知並勾選確認。',
      'Read the declaration and the privacy notice, and tick to confirm, first.');
    $('#declaration-read').focus();
    return;
  }
  if (pad.isEmpty()) {
    setFieldError($('#signing'), 'signature', ...MESSAGES.notSigned);
    $('#clear-signature').focus();
    return;
  }
  const buttons = ['submit-signature', 'clear-signature', 'discard'].map((id) => $(`#${id}`));
  buttons.forEach((button) => { button.disabled = true; });
  announce(signStatus, '封印申請書中…', 'Sealing the form…', { busy: true });
  try {
    const shown = encodeURIComponent(formOf(config, draft.kind).sha256);
    const filing = await api(`${DRAFTS}/${encodeURIComponent(draft.draftId)}/signature?declaration=${shown}`,
      { method: 'POST', body: pad.toJSON(), contentType: 'application/json' });
    draft = null;
    announce(signStatus, '', '');
    $('#signing').hidden = true;
    clear($('#result-body')).append(filingResult(filing, config, filing.review
      ? ['已收到您代為提出的申請。承辦人員審核證明文件後才會送交登錄，審核結果請見下方「我的申請」。',
        'Your filing for the person has been received. It goes to the registry only once a clerk has accepted the evidence; see its status under My filings below.']
      : ['您的申請已完成並封印。請下載並保存收據。', 'Your filing is complete and sealed. Download the receipt and keep it.']));
    showSection($('#result'), true);
    refreshFilings();
  } catch (error) {
    announce(signStatus, '', '');
    if (error.type === 'signature-quality') {
      $('#quality').append(el('div', { class: 'notice', id: 'signature-refused' },
        el('p', {}, bi('簽名未通過檢查，請按「清除」後重新簽名。原因：', 'The signature did not pass the check; please clear it and sign again. Because:', true)),
        issueList(error.problem.issues)));
      $('#clear-signature').focus();
    } else {
      showProblem(error, { alert: signAlert });
    }
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
  }
}

/** Back to the form; the unsigned draft is left to expire on the service (the online API has no discarding). */
function discard() {
  draft = null;
  $('#signing').hidden = true;
  showSection($('#filing'), true);
}

function nextFiling() {
  form.reset();
  clearFieldErrors(form);
  clear(formAlert);
  $('#representative-fields').hidden = true;
  $('#for-someone-else').setAttribute('aria-expanded', 'false');
  renderScopes($('#scope-options'), config, kind());
  $('#result').hidden = true;
  clear($('#result-body'));
  showSection($('#filing'), true);
}

function refreshFilings() {
  return loadFilings('/api/v1/me/filings', $('#filings-list'), $('#filings-status'), config, '我的申請', 'My filings');
}

function wire() {
  form.addEventListener('submit', createDraft);
  form.addEventListener('change', (event) => {
    if (event.target.name === 'kind') {
      renderScopes($('#scope-options'), config, kind());
      renderRelations($('#relation'), config, kind());
    }
  });
  $('#for-someone-else').addEventListener('change', (event) => {
    $('#representative-fields').hidden = !event.target.checked;
    event.target.setAttribute('aria-expanded', String(event.target.checked));
  });
  // Messages come on submitting, never on leaving a field: text appearing then would move what a finger is about to tap.
  $('#their-national-id').addEventListener('input', () => clearFieldError(form, 'representative.nationalId'));
  $('#clear-signature').addEventListener('click', () => {
    pad.clear();
    clear($('#quality'));
    clear($('#signature-error'));
  });
  $('#signature-pad').addEventListener('strokeend', () => clear($('#signature-error')));
  $('#submit-signature').addEventListener('click', submitSignature);
  $('#discard').addEventListener('click', discard);
  $('#next-filing').addEventListener('click', nextFiling);
  $('#refresh-filings').addEventListener('click', refreshFilings);
  wireDownloads(document.body, pageAlert);
}

async function start() {
  const session = await startSignedInPage({ role: 'citizen', alert: pageAlert });
  config = session.config;
  if (session.user) {
    renderScopes($('#scope-options'), config, kind());
    renderRelations($('#relation'), config, kind());
    wire();
    $('#filing').hidden = false;
    $('#filings').hidden = false;
    await refreshFilings();
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

start();
