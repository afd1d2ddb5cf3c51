// The counter page: a clerk files an opt-out or a withdrawal for the person at the counter, checks
// their identity, and the person signs on the counter's pad. The clerk sees the signature and the
// quality gate's verdict, accepts it or asks again, and hands over the receipt.

import { api, issueList, showProblem } from '/platform/api.js';
import {
  draftFacts, filingResult, formOf, loadFilings, renderRelations, renderScopes, startSignedInPage, tickedScopes, wireDownloads,
} from './filing-ui.js';
import {
  $, announce, append, bi, clear, clearFieldError, clearFieldErrors, el, focusFirstError, setFieldError, showSection,
} from '/platform/ui.js';
import { startReviewQueue } from './review-queue.js';
import { checkDraftRequest, MESSAGES, nationalIdProblem, tidyId } from './validation.js';
import { startHeldQueue } from './held-filings.js';

const DRAFTS = '/api/v1/counter/drafts';

const pageAlert = $('#page-alert');
const form = $('#filing-form');
const formAlert = $('#form-alert');
const formStatus = $('#form-status');
const captureStatus = $('#capture-status');
const captureAlert = $('#capture-alert');

let config = null;
let draft = null;
let lastCapture = null;

/** Names of the virtual pad's recordings (the driver's synthesised handwriting). */
const RECORDINGS = {
  'signature-a': ['簽名樣本 A', 'Recorded signature A'],
  'signature-b': ['簽名樣本 B', 'Recorded signature B'],
  'signature-c': ['簽名樣本 C', 'Recorded signature C'],
  'too-short': ['過短的筆劃（不會通過品質檢查）', 'A mark too short (fails the quality check)'],
};

/** How a capture can end (the pad driver's CaptureResult.Ending); only the confirmed ones carry a signature. */
const CONFIRMED = ['ok-button', 'confirmed-by-application', 'confirmed'];
const ENDINGS = {
  'cancel-button': ['民眾在簽名板上按了「取消」。', 'The person tapped Cancel on the pad.'],
  'cancelled-by-application': ['簽名已中止。', 'The signing was stopped.'],
  'device-lost': ['簽名板已中斷連線，請檢查連接線後再試。', 'The pad was disconnected; check its cable and try again.'],
};

function kind() {
  return form.elements.kind.value;
}

function readForm() {
  const byRepresentative = $('#by-representative').checked;
  return {
    kind: kind(),
    nationalId: tidyId($('#national-id').value),
    identityMethod: form.elements.identityMethod.value,
    scopes: tickedScopes($('#scope-options')),
    representative: byRepresentative ? {
      relation: $('#relation').value,
      evidenceType: $('#evidence-type').value,
      nationalId: tidyId($('#representative-national-id').value),
    } : null,
    evidence: byRepresentative ? ($('#evidence-file').files[0] ?? null) : null,
  };
}

/** The service's own rules, checked before anything is sent; false (with the messages shown) when something is wrong. */
function validate(request) {
  let valid = true;
  const fail = (field, [zh, en]) => {
    setFieldError(form, field, zh, en);
    valid = false;
  };
  const idProblem = nationalIdProblem(request.nationalId);
  if (idProblem) {
    fail('nationalId', idProblem);
  }
  if (!request.identityMethod) {
    fail('identityCheck.method', MESSAGES.choose);
  }
  if (request.representative) {
    const representativeProblem = nationalIdProblem(request.representative.nationalId);
    if (representativeProblem) {
      fail('representative.nationalId', representativeProblem);
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
    announce(formStatus, '建立申請中…', 'Creating the filing…', { busy: true });
    const body = {
      kind: request.kind,
      nationalId: request.nationalId,
      scopes: request.scopes,
      identityCheck: { method: request.identityMethod },
    };
    if (request.representative) {
      body.representative = request.representative;
    }
    const created = await api(DRAFTS, { method: 'POST', json: body });
    if (request.evidence) {
      announce(formStatus, '上傳證明文件中…', 'Uploading the evidence…', { busy: true });
      try {
        await api(`${DRAFTS}/${encodeURIComponent(created.draftId)}/evidence`,
          { method: 'PUT', body: request.evidence, contentType: request.evidence.type });
      } catch (error) {
        // Without its evidence the draft cannot be filed: drop it, the clerk picks another file and tries again.
        api(`${DRAFTS}/${encodeURIComponent(created.draftId)}`, { method: 'DELETE' }).catch(() => {});
        throw error;
      }
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

function showSigning() {
  clear($('#draft-facts')).append(draftFacts(draft, config));
  clear(captureAlert);
  announce(captureStatus, '', '');
  $('#capture-result').hidden = true;
  lastCapture = null;
  setSigningButtons(false);
  $('#filing').hidden = true;
  showSection($('#signing'), true);
}

function setSigningButtons(busy) {
  for (const id of ['capture', 'ask-again', 'discard']) {
    $(`#${id}`).disabled = busy;
  }
  $('#accept').disabled = busy || !lastCapture?.accepted;
}

async function capture() {
  clear(captureAlert);
  $('#capture-result').hidden = true;
  lastCapture = null;
  setSigningButtons(true);
  const body = {};
  if (!$('#recording-field').hidden && $('#recording').value) {
    body.virtualRecording = $('#recording').value;
  }
  announce(captureStatus, '請民眾在簽名板上簽名，簽好後按 OK…', 'Waiting for the person to sign on the pad and tap OK…', { busy: true });
  try {
    lastCapture = await api(`${DRAFTS}/${encodeURIComponent(draft.draftId)}/capture`, { method: 'POST', json: body });
    showCapture(lastCapture);
  } catch (error) {
    announce(captureStatus, '', '');
    showProblem(error, { alert: captureAlert });
  } finally {
    setSigningButtons(false);
  }
}

function showCapture(result) {
  const preview = $('#signature-preview');
  if (result.signaturePng) {
    preview.src = `data:image/png;base64,${result.signaturePng}`;
    preview.hidden = false;
  } else {
    preview.removeAttribute('src');
    preview.hidden = true;
  }
  const quality = clear($('#quality'));
  if (result.ending && !CONFIRMED.includes(result.ending)) {
    const [zh, en] = ENDINGS[result.ending] ?? ['簽名未完成。', `The signature was not completed (${result.ending}).`];
    quality.append(el('p', { class: 'notice' }, bi(zh, en, true)));
  }
  if (result.accepted) {
    quality.append(el('p', { class: 'success', id: 'capture-accepted' },
      bi('簽名通過品質檢查。請民眾確認預覽無誤後按「接受」。', 'The signature passed the quality check. Accept it once the person has confirmed the preview.', true)));
    announce(captureStatus, '已收到簽名。', 'The signature has arrived.');
  } else {
    if (result.issues?.length) {
      quality.append(el('p', { class: 'notice', id: 'capture-refused' },
        bi('簽名未通過品質檢查，原因：', 'The signature did not pass the quality check, because:', true)), issueList(result.issues));
    }
    announce(captureStatus, '請民眾重新簽名。', 'Please ask the person to sign again.');
  }
  $('#capture-result').hidden = false;
}

async function accept() {
  setSigningButtons(true);
  clear(captureAlert);
  announce(captureStatus, '封印申請書中…', 'Sealing the form…', { busy: true });
  try {
    const filing = await api(`${DRAFTS}/${encodeURIComponent(draft.draftId)}/accept`, { method: 'POST' });
    draft = null;
    lastCapture = null;
    announce(captureStatus, '', '');
    $('#signing').hidden = true;
    clear($('#result-body')).append(filingResult(filing, config,
      ['申請已完成並封印。請列印或下載收據交給民眾。', 'The filing is complete and sealed. Print or download the receipt for the person.']));
    showSection($('#result'), true);
    refreshFilings();
  } catch (error) {
    announce(captureStatus, '', '');
    showProblem(error, { alert: captureAlert });
  } finally {
    setSigningButtons(false);
  }
}

async function discard() {
  setSigningButtons(true);
  try {
    await api(`${DRAFTS}/${encodeURIComponent(draft.draftId)}`, { method: 'DELETE' });
  } catch (error) {
    // A draft that expired or is gone needs no discarding: go back to the form either way.
    if (error.status !== 404) {
      showProblem(error, { alert: captureAlert });
      setSigningButtons(false);
      return;
    }
  }
  draft = null;
  lastCapture = null;
  $('#signing').hidden = true;
  showSection($('#filing'), true);
  setSigningButtons(false);
}

function nextFiling() {
  form.reset();
  clearFieldErrors(form);
  clear(formAlert);
  $('#representative-fields').hidden = true;
  $('#by-representative').setAttribute('aria-expanded', 'false');
  renderScopes($('#scope-options'), config, kind());
  $('#result').hidden = true;
  clear($('#result-body'));
  showSection($('#filing'), true);
  $('#national-id').value = '';
}

function refreshFilings() {
  return loadFilings('/api/v1/counter/filings', $('#filings-list'), $('#filings-status'), config, '我受理的申請', 'Filings I took');
}

async function loadPad() {
  try {
    const pad = await api('/api/v1/counter/pad');
    append(clear($('#pad-model')), bi('簽名板', 'Signature pad', true), '：', el('strong', {}, pad.model ?? ''),
      pad.virtual ? [' ', bi('（虛擬）', '(virtual)', true)] : '');
    if (pad.virtual && pad.recordings?.length) {
      const select = clear($('#recording'));
      for (const recording of pad.recordings) {
        const [zh, en] = RECORDINGS[recording] ?? [recording, recording];
        select.append(el('option', { value: recording }, zh === en ? zh : `${zh} ${en}`));
      }
      $('#recording-field').hidden = false;
    }
  } catch (error) {
    showProblem(error, { alert: pageAlert, focus: false });
  }
}

function wire() {
  form.addEventListener('submit', createDraft);
  form.addEventListener('change', (event) => {
    if (event.target.name === 'kind') {
      renderScopes($('#scope-options'), config, kind());
      renderRelations($('#relation'), config, kind());
    }
  });
  $('#by-representative').addEventListener('change', (event) => {
    $('#representative-fields').hidden = !event.target.checked;
    event.target.setAttribute('aria-expanded', String(event.target.checked));
  });
  // Messages come on submitting, never on leaving a field: text appearing then would move what a finger is about to tap.
  $('#national-id').addEventListener('input', () => clearFieldError(form, 'nationalId'));
  $('#representative-national-id').addEventListener('input', () => clearFieldError(form, 'representative.nationalId'));
  $('#capture').addEventListener('click', capture);
  $('#ask-again').addEventListener('click', capture);
  $('#accept').addEventListener('click', accept);
  $('#discard').addEventListener('click', discard);
  $('#next-filing').addEventListener('click', nextFiling);
  $('#refresh-filings').addEventListener('click', refreshFilings);
  wireDownloads(document.body, pageAlert);
}

async function start() {
  const session = await startSignedInPage({ role: 'clerk', alert: pageAlert });
  config = session.config;
  if (session.user) {
    renderScopes($('#scope-options'), config, kind());
    renderRelations($('#relation'), config, kind());
    wire();
    $('#filing').hidden = false;
    $('#filings').hidden = false;
    await Promise.all([loadPad(), refreshFilings(), startHeldQueue(), startReviewQueue(config)]);
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

start();
