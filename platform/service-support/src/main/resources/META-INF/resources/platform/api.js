// Calls to the serving service's own API (every service with pages serves this file as /platform/api.js)
// with the signed-in person's bearer token, and its problem details (RFC 9457) shown where they belong: `detail` in the page's alert, `errors[]` beside their fields.

import { accessToken, forget } from './auth.js';
import { bi, clear, el, focusFirstError, setFieldError } from './ui.js';

/** A refused or failed request: the HTTP status (0 when the service could not be reached) and its problem. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** The problem's short name: "application-incomplete" for urn:nhi-optout:problem:application-incomplete. */
  get type() {
    return (this.problem.type ?? '').replace(/^urn:nhi-optout:problem:/, '');
  }
}

const SIGNED_OUT = {
  title: 'Not signed in',
  zh: '尚未登入或登入已逾時，請重新登入。',
  detail: 'You are not signed in, or your session has ended; please sign in again.',
};

/**
 * Calls the API. Options: method, json (sent as JSON), body with contentType (raw bytes, e.g. a File),
 * blob (answer as a Blob), auth (default true), idempotencyKey (for calls that create something). Returns the parsed JSON (null for 204).
 */
export async function api(path, { method = 'GET', json, body, contentType, blob = false, auth = true, idempotencyKey = null } = {}) {
  const headers = { Accept: blob ? '*/*' : 'application/json, application/problem+json' };
  if (idempotencyKey) {
    headers['Idempotency-Key'] = idempotencyKey;
  }
  if (auth) {
    const token = await accessToken();
    if (!token) {
      throw new ApiError(401, SIGNED_OUT);
    }
    headers.Authorization = `Bearer ${token}`;
  }
  let payload = body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (contentType) {
    headers['Content-Type'] = contentType;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, cache: 'no-store' });
  } catch {
    throw new ApiError(0, {
      title: 'Service unreachable',
      zh: '無法連線到服務，請檢查網路後再試。',
      detail: 'Cannot reach the service; check the network and try again.',
    });
  }
  if (!response.ok) {
    let problem = null;
    if ((response.headers.get('Content-Type') ?? '').includes('json')) {
      try {
        problem = await response.json();
      } catch {
        problem = null;
      }
    }
    if (response.status === 401 && auth) {
      // The token was refused: this tab's session is over.
      forget();
      problem = { ...SIGNED_OUT, ...(problem ?? {}), zh: SIGNED_OUT.zh };
    }
    throw new ApiError(response.status, problem ?? { title: response.statusText, detail: `HTTP ${response.status}` });
  }
  if (response.status === 204) {
    return null;
  }
  if (blob) {
    return response.blob();
  }
  return (response.headers.get('Content-Type') ?? '').includes('json') ? response.json() : response.text();
}

/** A Chinese lead for the service's problems, which it words in English only. */
function chineseFor(status, hasFieldErrors) {
  if (hasFieldErrors || status === 400) {
    return '申請內容有誤，請修正標示的欄位。';
  }
  return {
    403: '您的帳號沒有執行此操作的權限。',
    404: '找不到這筆資料，可能已逾時或不存在。',
    409: '此申請目前的狀態不允許這個操作。',
    413: '檔案過大。',
    415: '不支援這種檔案格式。',
    422: '內容未通過檢查。',
  }[status] ?? (status >= 500 ? '服務暫時無法處理，請稍後再試。' : '無法完成這個操作。');
}

/**
 * Shows a refusal: each `errors[]` entry beside its field in `form` (those without a place on the page
 * go into the alert), and the problem's title and detail in `alert`, which is a role="alert" region.
 * Moves the focus to the first field in error, else to the alert (unless focus is false).
 */
export function showProblem(error, { alert, form = null, focus = true }) {
  const problem = error instanceof ApiError
    ? { ...error.problem, zh: error.problem.zh ?? chineseFor(error.status, Array.isArray(error.problem.errors) && error.problem.errors.length > 0) }
    : error?.zh ? { zh: error.zh, detail: error.en } : { detail: String(error?.message ?? error) };
  clear(alert);
  // The service writes its problems in English; the page's own have a Chinese text too.
  const english = [problem.title, problem.detail].filter((text, i, all) => text && all.indexOf(text) === i).join(': ');
  const heading = el('p', {}, problem.zh ? bi(problem.zh, english, true) : el('span', { lang: 'en' }, english));
  alert.append(heading);
  const unplaced = [];
  for (const fieldError of Array.isArray(problem.errors) ? problem.errors : []) {
    if (!form || !setFieldError(form, fieldError.field ?? '', null, fieldError.message ?? '')) {
      unplaced.push(fieldError);
    }
  }
  if (unplaced.length > 0) {
    alert.append(el('ul', {}, unplaced.map((e) => el('li', { lang: 'en' }, e.field ? `${e.field}: ${e.message}` : e.message))));
  }
  if (focus && !(form && focusFirstError(form))) {
    if (!alert.hasAttribute('tabindex')) {
      alert.setAttribute('tabindex', '-1');
    }
    alert.focus();
  }
}

/** A quality-gate refusal's reasons (`issues: [{code, zh, en}]`), zh-TW first. */
export function issueList(issues) {
  return el('ul', { class: 'issues' }, (issues ?? []).map((issue) => el('li', { 'data-code': issue.code }, bi(issue.zh, issue.en, true))));
}
