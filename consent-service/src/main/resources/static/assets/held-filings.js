// The counter's queue of held filings: what the registry refused for a stated reason, kept with the
// filing until a clerk sends it again or closes it with a reason the citizen is told.

import { api, showProblem } from '/platform/api.js';
import { $, append, bi, clear, dateTime, el, named } from '/platform/ui.js';
import { KIND_NAMES } from './names.js';

const HELD = '/api/v1/counter/held-filings';

function resolutionForm(filing) {
  const id = filing.filingId.replace(/[^A-Za-z0-9-]/g, '-');
  const reason = el('textarea', { id: `reason-${id}`, name: 'reason', rows: '2', maxlength: '500', required: '' });
  const action = el('select', { id: `action-${id}`, name: 'action' },
    el('option', { value: 'retry' }, '重新送交登錄中心 Send to the registry again'),
    el('option', { value: 'close' }, '結案（拒收），理由告知民眾 Close as refused; the citizen is told the reason'));
  const form = el('form', { class: 'resolution', 'data-filing-id': filing.filingId, novalidate: '' },
    el('label', { for: `action-${id}` }, bi('處理方式', 'Resolution', true)), action,
    el('label', { for: `reason-${id}` }, bi('理由', 'Reason', true)), reason,
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, bi('送出', 'Resolve', true))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const alert = $('#held-alert');
    clear(alert);
    if (!reason.value.trim()) {
      append(alert, bi('請填寫理由。', 'Give a reason.', true));
      reason.focus();
      return;
    }
    try {
      await api(`${HELD}/${encodeURIComponent(filing.filingId)}/resolution`,
        { method: 'POST', json: { action: action.value, reason: reason.value.trim() } });
      await loadHeld();
      append(clear($('#held-status')), action.value === 'retry'
        ? bi(`${filing.filingId} 已重新排入送交。`, `${filing.filingId} is queued for delivery again.`, true)
        : bi(`${filing.filingId} 已結案。`, `${filing.filingId} is closed.`, true));
    } catch (error) {
      showProblem(error, { alert, focus: true });
    }
  });
  return form;
}

function heldTable(held) {
  if (held.length === 0) {
    return el('p', {}, bi('目前沒有待處理的申請。', 'Nothing is waiting.', true));
  }
  const head = el('tr', {}, [
    ['申請編號', 'Filing ID'], ['申請內容', 'Request'], ['登錄中心的理由', 'The registry’s reason'], ['處理', 'Resolve'],
  ].map(([zh, en]) => el('th', { scope: 'col' }, bi(zh, en))));
  const rows = held.map((filing) => el('tr', { 'data-filing-id': filing.filingId },
    el('th', { scope: 'row' }, el('span', { class: 'mono nowrap' }, filing.filingId),
      el('span', { class: 'note' }, dateTime(filing.heldAt))),
    el('td', {}, named(KIND_NAMES, filing.kind), el('span', { class: 'note mono' }, filing.maskedNationalId)),
    el('td', {}, el('span', { class: 'note' }, filing.registryDetail ?? ''), el('span', { class: 'note mono' }, filing.problemType ?? '')),
    el('td', {}, resolutionForm(filing))));
  return el('table', {}, el('caption', {}, bi('待處理的申請', 'Held filings', true)), el('thead', {}, head), el('tbody', {}, rows));
}

export async function loadHeld() {
  const status = $('#held-status');
  append(clear(status), bi('載入中…', 'Loading…', true));
  try {
    const held = await api(HELD);
    clear($('#held-list')).append(heldTable(held));
    append(clear(status), bi(`共 ${held.length} 件待處理`, `${held.length} waiting`, true));
  } catch (error) {
    clear(status);
    showProblem(error, { alert: $('#held-alert'), focus: false });
  }
}

export function startHeldQueue() {
  $('#held').hidden = false;
  $('#refresh-held').addEventListener('click', loadHeld);
  return loadHeld();
}
