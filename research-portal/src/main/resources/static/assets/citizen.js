// The citizen's page: their opt-out status, every filing with its proof checked here in the browser
// (inclusion.js: the Merkle path recomputed with WebCrypto against the checkpoint the portal found signed by
// the registry and cosigned by the witness), where their data was used, the releases that left them out, the
// legal exemptions and their e-mail subscriptions. No identifier ever appears in a URL.

import { api, showProblem } from '/platform/api.js';
import { $, bi, clear, dateTime, el, saveBlob } from '/platform/ui.js';
import { named, PURPOSE_NAMES, startSignedInPage } from './portal.js';
import { verifyInclusion } from './inclusion.js';

const pageAlert = $('#page-alert');
const failed = (error) => showProblem(error, { alert: pageAlert });

const FILING_NAMES = {
  'opt-out-filed': ['退出', 'Opt-out'],
  'opt-out-withdrawn': ['撤回退出', 'Withdrawal'],
  'scopes-changed': ['變更用途', 'Purposes changed'],
};
const CHANNEL_NAMES = {
  counter: ['臨櫃', 'Counter'],
  online: ['線上', 'Online'],
  proxy: ['代理人', 'Proxy'],
};

function purposes(codes) {
  const list = el('span', {});
  (codes ?? []).forEach((code, i) => {
    if (i > 0) {
      list.append('、');
    }
    list.append(named(PURPOSE_NAMES, code));
  });
  return list;
}

function cellText(value) {
  return el('td', {}, value ?? '');
}

/** Each cell's column name as its data-label: a "stack" table shows it above the cell on a phone (platform app.css). */
function labelCells(table) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.replace(/\s+/g, ' ').trim());
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.cells].forEach((cell, i) => {
      if (!cell.hasAttribute('colspan') && names[i]) {
        cell.dataset.label = names[i];
      }
    });
  }
}

/** The proof cell: "checking", then "verified" only after this page recomputed the path and the checkpoint was witnessed. */
async function proofCell(cell, filing) {
  const receipt = filing.receipt;
  if (!receipt) {
    cell.append(el('span', { class: 'proof-pending' }, bi('等待記錄', 'Waiting for the log', true)));
    return;
  }
  const state = el('span', { class: 'proof', 'data-proof': 'checking' }, bi('驗證中', 'Checking', true));
  cell.append(state);
  const inclusion = await verifyInclusion(receipt);
  const witnessed = receipt.checkpointCheck?.registrySignatureVerified && receipt.checkpointCheck?.witnessCosignatureVerified;
  clear(state);
  if (inclusion.verified && witnessed) {
    state.dataset.proof = 'verified';
    state.append(el('strong', {}, bi('已驗證', 'Verified', true)),
      el('span', { class: 'note' }, ` (${receipt.treeSize}) `));
  } else {
    state.dataset.proof = 'not-verified';
    const why = !inclusion.verified
      ? bi('證明路徑與檢查點不符', 'The proof does not lead to the checkpoint', true)
      : bi('檢查點未經見證者副簽', 'The checkpoint is not cosigned by the witness', true);
    state.append(el('strong', {}, bi('未驗證', 'Not verified', true)), '：', why);
  }
}

function showStatus(overview) {
  const body = clear($('#status tbody'));
  for (const scope of overview.optedOut) {
    body.append(el('tr', {}, el('td', {}, named(PURPOSE_NAMES, scope.scope)), el('td', { class: 'nowrap' }, dateTime(scope.since))));
  }
  if (overview.optedOut.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 2 }, bi('您目前沒有退出任何用途。', 'You have not opted out of any purpose.', true))));
  }
  $('#file-online').href = overview.onlineFilingUrl;
}

function showFilings(overview) {
  const body = clear($('#filings tbody'));
  const checks = [];
  for (const filing of [...overview.filings].reverse()) {
    const proof = el('td', {});
    body.append(el('tr', {},
      el('td', {}, named(FILING_NAMES, filing.type)),
      el('td', {}, purposes(filing.scopes)),
      el('td', {}, named(CHANNEL_NAMES, filing.channel)),
      el('td', { class: 'nowrap' }, dateTime(filing.effectiveAt)),
      cellText(filing.logIndex == null ? '' : String(filing.logIndex)),
      proof));
    checks.push(proofCell(proof, filing));
  }
  if (overview.filings.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 6 }, bi('沒有申請紀錄。', 'No filings.', true))));
  }
  return Promise.all(checks);
}

function showUses(used) {
  $('#uses-unavailable').hidden = used.usageAvailable;
  const body = clear($('#uses tbody'));
  for (const use of used.uses) {
    body.append(el('tr', {}, cellText(use.title ?? use.project), cellText(use.institution), el('td', {}, named(PURPOSE_NAMES, use.purpose)),
      cellText(use.legalBasis), el('td', { class: 'nowrap' }, use.usedOn), cellText(use.extractId)));
  }
  if (used.usageAvailable && used.uses.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 6 }, bi('沒有任何研究釋出包含您的資料。', 'No research extract included your data.', true))));
  }
}

function showExcluded(overview) {
  clear($('#excluded-count')).append(bi(`您的資料未被納入 ${overview.excludedFrom} 次釋出。`,
    `Your data was left out of ${overview.excludedFrom} release(s).`));
  const excluded = clear($('#excluded tbody'));
  for (const release of overview.excludedReleases) {
    excluded.append(el('tr', {}, cellText(release.extractId), el('td', {}, named(PURPOSE_NAMES, release.purpose)),
      el('td', { class: 'nowrap' }, dateTime(release.releasedAt))));
  }
  if (overview.excludedReleases.length === 0) {
    excluded.append(el('tr', {}, el('td', { colspan: 3 }, bi('沒有。', 'None.', true))));
  }
}

function showExemptions(overview) {
  const list = clear($('#exemptions'));
  for (const exemption of overview.exemptions) {
    list.append(el('li', {}, el('strong', {}, bi(exemption.traditionalChinese, exemption.english, true)),
      el('p', {}, bi('法律依據', 'Legal basis', true), '：', exemption.legalBasis ?? ''),
      el('p', {}, bi('適用用途', 'Applies to', true), '：', purposes(exemption.scopes))));
  }
  if (overview.exemptions.length === 0) {
    list.append(el('li', {}, bi('沒有適用的法定例外。', 'No legal exemption applies.', true)));
  }
}

function showSubscriptions(subscriptions) {
  $('#sub-data-used').checked = subscriptions.dataUsed;
  $('#sub-status-changed').checked = subscriptions.statusChanged;
}

async function saveSubscriptions(event) {
  event.preventDefault();
  const saved = clear($('#subscriptions-saved'));
  const answer = await api('/api/v1/citizen/subscriptions', {
    method: 'PUT', json: { dataUsed: $('#sub-data-used').checked, statusChanged: $('#sub-status-changed').checked },
  });
  showSubscriptions(answer);
  saved.append(bi('已儲存。', 'Saved.', true));
}

async function start() {
  const user = await startSignedInPage({ role: 'citizen', alert: pageAlert });
  if (user) {
    $('#subscriptions').addEventListener('submit', (event) => saveSubscriptions(event).catch(failed));
    $('#download-report').addEventListener('click', () => api('/api/v1/citizen/report', { blob: true })
      .then((blob) => saveBlob(blob, 'opt-out-report.pdf')).catch(failed));
    try {
      // the overview first: it asks the registry, which also tells the portal the pseudonyms "where my data was used" needs
      const overview = await api('/api/v1/citizen/overview');
      showStatus(overview);
      showExcluded(overview);
      showUses(await api('/api/v1/citizen/uses'));
      showExemptions(overview);
      showSubscriptions(overview.subscriptions);
      $('#view-citizen').hidden = false;
      const checked = showFilings(overview);
      document.querySelectorAll('table.stack').forEach(labelCells);
      await checked;
      document.documentElement.dataset.proofsChecked = 'true';
    } catch (error) {
      failed(error);
    }
  }
  // For the browser tests: the page has finished starting.
  document.documentElement.dataset.ready = 'true';
}

start();
