// The public verification page: what a receipt's code stands for (GET /api/v1/verify/{code}), and
// whether a PDF someone holds is the archived, sealed form (POST /api/v1/verify/{code}/document).
// No sign-in: the answers carry no personal data.

import { api, showProblem } from '/platform/api.js';
import { webConfig } from '/platform/auth.js';
import { formOf } from './filing-ui.js';
import {
  $, announce, bi, clear, clearFieldErrors, dateTime, el, named, setFieldError, showSection,
} from '/platform/ui.js';
import { KIND_NAMES } from './names.js';

const CODE = /^[A-Z2-7]{16}$/;
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

const codeForm = $('#code-form');
const documentForm = $('#document-form');

let config = null;
let verified = null;

/** The code as printed or typed: dashes and spaces dropped, upper case. */
const tidyCode = (value) => value.replace(/[\s-]/g, '').toUpperCase();

function fact(list, zh, en, value) {
  list.append(el('dt', {}, bi(zh, en, true)), el('dd', {}, value));
}

function scopeNames(codes, kind) {
  const known = config ? new Map(formOf(config, kind).scopes.map((scope) => [scope.code, scope])) : new Map();
  return el('ul', { class: 'scopes' }, (codes ?? []).map((code) => {
    const scope = known.get(code);
    return el('li', { 'data-scope': code }, scope ? bi(scope.zh, scope.en, true) : code);
  }));
}

async function lookUp(code) {
  clearFieldErrors(codeForm);
  clear($('#lookup-alert'));
  $('#receipt').hidden = true;
  verified = null;
  if (!CODE.test(code)) {
    setFieldError(codeForm, 'code', '驗證碼應為 16 個英文字母或數字 2 至 7。', 'A code has 16 letters or digits 2 to 7.');
    $('#code').focus();
    return;
  }
  const button = $('#check-code');
  button.disabled = true;
  announce($('#lookup-status'), '查詢中…', 'Checking…', { busy: true });
  try {
    const receipt = await api(`/api/v1/verify/${encodeURIComponent(code)}`, { auth: false });
    announce($('#lookup-status'), '', '');
    verified = receipt;
    history.replaceState(null, '', `/verify/${encodeURIComponent(code)}`);
    showReceipt(receipt);
  } catch (error) {
    announce($('#lookup-status'), '', '');
    if (error.type === 'unknown-code' || error.status === 404) {
      setFieldError(codeForm, 'code', '查無此驗證碼，請核對收據上的驗證碼。', 'No filing has this code; please check the code on the receipt.');
      $('#code').focus();
    } else {
      showProblem(error, { alert: $('#lookup-alert'), form: codeForm });
    }
  } finally {
    button.disabled = false;
  }
}

function showReceipt(receipt) {
  const list = el('dl', { class: 'facts', 'data-filing-id': receipt.filingId });
  fact(list, '驗證碼', 'Code', el('span', { class: 'mono' }, receipt.code));
  fact(list, '申請編號', 'Filing ID', el('span', { class: 'mono', id: 'verified-filing-id' }, receipt.filingId));
  fact(list, '申請類別', 'Kind', named(KIND_NAMES, receipt.kind));
  fact(list, '範圍', 'Scopes', scopeNames(receipt.scopes, receipt.kind));
  fact(list, '簽署時間', 'Signed at', dateTime(receipt.signedAt));
  fact(list, '封印時間', 'Sealed at', dateTime(receipt.sealedAt));
  fact(list, '申請書 SHA-256', 'Form SHA-256', el('span', { class: 'mono' }, receipt.formSha256));
  fact(list, '登錄中心紀錄', "Registry's log", registryLog(receipt.registryLog));
  clear($('#receipt-facts')).append(
    el('p', { class: 'success', id: 'receipt-found' },
      bi('此驗證碼對應一件已存檔並封印的申請：', 'This code belongs to a filing that is archived and sealed:', true)),
    list);
  documentForm.reset();
  clearFieldErrors(documentForm);
  clear($('#document-result'));
  clear($('#document-alert'));
  showSection($('#receipt'), true);
}

/** Whether this service has proven the filing in the registry's public log (see the consent service's README). */
function registryLog(status) {
  const state = status?.status ?? 'not-checked';
  let text;
  if (state === 'logged') {
    text = bi(`已登錄：第 ${status.logIndex} 筆，含於 ${status.treeSize} 筆的已簽署查核點（本服務已驗證）`,
      `Logged: entry ${status.logIndex}, in a signed checkpoint of ${status.treeSize} entries (verified by this service)`, true);
  } else if (state === 'waiting') {
    text = bi('等待登錄中心記錄（通常數秒內）', 'Waiting for the registry to log it (usually seconds)', true);
  } else if (state === 'problem') {
    text = bi('無法證明登錄中心已如實記錄，已通報', 'Could not prove that the registry logged it as sealed; reported', true);
  } else {
    text = bi('本服務未查核登錄中心紀錄', "This service does not check the registry's log", true);
  }
  return el('span', { 'data-registry-log': state }, text);
}

async function sha256Hex(file) {
  if (!window.crypto?.subtle) {
    return null;
  }
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function checkDocument(event) {
  event.preventDefault();
  clearFieldErrors(documentForm);
  clear($('#document-alert'));
  const result = clear($('#document-result'));
  const file = $('#document').files[0];
  if (!file) {
    setFieldError(documentForm, 'document', '請選擇申請書的 PDF 檔。', 'Choose the form\'s PDF file.');
    $('#document').focus();
    return;
  }
  if (file.type && file.type !== 'application/pdf') {
    setFieldError(documentForm, 'document', '請選擇 PDF 檔。', 'Choose a PDF file.');
    $('#document').focus();
    return;
  }
  if (file.size > MAX_DOCUMENT_BYTES) {
    setFieldError(documentForm, 'document', '檔案不可超過 4 MB。', 'The file may be at most 4 MB.');
    $('#document').focus();
    return;
  }
  const button = $('#check-document');
  button.disabled = true;
  announce($('#document-status'), '比對中…', 'Comparing…', { busy: true });
  try {
    const answer = await api(`/api/v1/verify/${encodeURIComponent(verified.code)}/document`,
      { method: 'POST', body: file, contentType: 'application/pdf', auth: false });
    announce($('#document-status'), '', '');
    result.append(el('p', { class: answer.matches ? 'success' : 'notice', id: 'document-matches', 'data-matches': String(answer.matches) },
      answer.matches
        ? bi('此檔案與存檔的申請書完全相同，未經變更。', 'This file is identical to the archived form: it is unaltered.', true)
        : bi('此檔案與存檔的申請書不同。', 'This file differs from the archived form.', true)));
    result.append(el('p', { class: answer.sealValid ? 'success' : 'notice', 'data-seal-valid': String(answer.sealValid) },
      answer.sealValid
        ? bi('檔案上的機關封印有效。', 'The agency\'s seal on the file is valid.', true)
        : bi('檔案上的機關封印無效或無法驗證。', 'The agency\'s seal on the file is not valid or cannot be checked.', true)));
    if (answer.detail) {
      result.append(el('p', { lang: 'en' }, answer.detail));
    }
    const hash = await sha256Hex(file);
    if (hash) {
      result.append(el('p', {}, bi('此檔案的 SHA-256', 'This file\'s SHA-256', true), '：', el('span', { class: 'mono' }, hash)));
    }
    result.querySelector('p')?.setAttribute('tabindex', '-1');
    result.querySelector('p')?.focus();
  } catch (error) {
    announce($('#document-status'), '', '');
    showProblem(error, { alert: $('#document-alert'), form: documentForm });
  } finally {
    button.disabled = false;
  }
}

async function start() {
  codeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const code = tidyCode($('#code').value);
    lookUp(code);
  });
  documentForm.addEventListener('submit', checkDocument);
  try {
    config = await webConfig();
  } catch {
    // Scope codes are shown without their names; everything else works without the configuration.
    config = null;
  }
  const fromPath = location.pathname.match(/^\/verify\/([A-Za-z0-9-]{1,64})$/);
  if (fromPath) {
    const code = tidyCode(decodeURIComponent(fromPath[1]));
    $('#code').value = code;
    await lookUp(code);
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

start();
