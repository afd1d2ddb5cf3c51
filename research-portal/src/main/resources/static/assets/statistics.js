// The public statistics: the registry's suppressed publication (fetched by the portal, so this page talks to nobody else),
// drawn as bar charts with no library (SVG built element by element: nothing is parsed from a string), each with its
// table of figures; surge notices, the newest witnessed checkpoint. No sign-in.

import { api, showProblem } from '/platform/api.js';
import { $, bi, clear, dateTime, el } from '/platform/ui.js';
import { named, PURPOSE_NAMES } from './portal.js';

const pageAlert = $('#page-alert');
const SVG = 'http://www.w3.org/2000/svg';

const SCOPES = { ...PURPOSE_NAMES, 'covers-all': ['所有二次利用', 'All secondary use'] };
const SEXES = { female: ['女', 'Female'], male: ['男', 'Male'], unknown: ['不詳', 'Unknown'] };
const CHANNELS = { counter: ['臨櫃', 'At a counter'], online: ['線上', 'Online'], proxy: ['代理人', 'Through a proxy'] };
const COUNTIES = {
  'taipei-city': ['臺北市', 'Taipei City'], 'new-taipei-city': ['新北市', 'New Taipei City'], 'taoyuan-city': ['桃園市', 'Taoyuan City'],
  'taichung-city': ['臺中市', 'Taichung City'], 'tainan-city': ['臺南市', 'Tainan City'], 'kaohsiung-city': ['高雄市', 'Kaohsiung City'],
  'keelung-city': ['基隆市', 'Keelung City'], 'hsinchu-city': ['新竹市', 'Hsinchu City'], 'hsinchu-county': ['新竹縣', 'Hsinchu County'],
  'miaoli-county': ['苗栗縣', 'Miaoli County'], 'changhua-county': ['彰化縣', 'Changhua County'], 'nantou-county': ['南投縣', 'Nantou County'],
  'yunlin-county': ['雲林縣', 'Yunlin County'], 'chiayi-city': ['嘉義市', 'Chiayi City'], 'chiayi-county': ['嘉義縣', 'Chiayi County'],
  'pingtung-county': ['屏東縣', 'Pingtung County'], 'yilan-county': ['宜蘭縣', 'Yilan County'], 'hualien-county': ['花蓮縣', 'Hualien County'],
  'taitung-county': ['臺東縣', 'Taitung County'], 'penghu-county': ['澎湖縣', 'Penghu County'], 'kinmen-county': ['金門縣', 'Kinmen County'],
  'lienchiang-county': ['連江縣', 'Lienchiang County'], unknown: ['不詳', 'Unknown'],
};

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  if (text !== null) {
    node.textContent = text;
  }
  return node;
}

/** A published cell in words: the number, or "suppressed". */
function cellText(cell) {
  return cell?.suppressed ? bi('已抑制', 'suppressed', true) : (cell?.count ?? 0).toLocaleString('en');
}

/** A labelled horizontal bar chart (hidden from screen readers) and its table of figures. */
function barChart(id, zh, en, categories, names) {
  const max = Math.max(1, ...categories.map((c) => c.count ?? 0));
  const row = 20;
  const chart = svg('svg', { viewBox: `0 0 360 ${categories.length * row + 4}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  categories.forEach((category, i) => {
    const y = i * row + 2;
    const pair = names[category.category];
    chart.append(svg('text', { x: 0, y: y + 14, class: 'chart-label' }, pair ? pair[0] : category.category));
    if (category.suppressed) {
      chart.append(svg('text', { x: 112, y: y + 14, class: 'chart-note' }, '已抑制 suppressed'));
    } else {
      const width = Math.max(category.count > 0 ? 1 : 0, Math.round((category.count / max) * 190));
      chart.append(svg('rect', { x: 110, y: y + 3, width, height: row - 6, class: 'chart-bar' }));
      chart.append(svg('text', { x: 114 + width, y: y + 14, class: 'chart-value' }, category.count.toLocaleString('en')));
    }
  });
  const table = el('table', {}, el('caption', {}, bi(zh, en, true)),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, bi('類別', 'Category', true)), el('th', { scope: 'col' }, bi('人數', 'People', true)))),
    el('tbody', {}, ...categories.map((category) => el('tr', { 'data-category': category.category, 'data-suppressed': String(!!category.suppressed) },
      el('th', { scope: 'row' }, named(names, category.category)), el('td', {}, cellText(category))))));
  return el('figure', { class: 'chart-figure', id },
    el('figcaption', {}, el('h3', {}, bi(zh, en, true))), chart, el('div', { class: 'table-wrap' }, table));
}

/** The daily series as vertical bars (opt-outs filed), with the figures in a table that opens on request. */
function seriesChart(series) {
  const days = series.days ?? [];
  const max = Math.max(1, ...days.map((d) => d.optOutsFiled?.count ?? 0));
  const width = 360;
  const height = 140;
  const step = width / Math.max(days.length, 1);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 16}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  days.forEach((day, i) => {
    const cell = day.optOutsFiled;
    if (cell && !cell.suppressed && cell.count > 0) {
      const h = Math.max(1, Math.round((cell.count / max) * height));
      chart.append(svg('rect', { x: (i * step).toFixed(2), y: height - h, width: Math.max(step - 1, 1).toFixed(2), height: h, class: 'chart-bar' }));
    } else if (cell?.suppressed) {
      chart.append(svg('rect', { x: (i * step).toFixed(2), y: height - 2, width: Math.max(step - 1, 1).toFixed(2), height: 2, class: 'chart-suppressed' }));
    }
  });
  chart.append(svg('text', { x: 0, y: height + 14, class: 'chart-label' }, series.from ?? ''));
  chart.append(svg('text', { x: width, y: height + 14, class: 'chart-label', 'text-anchor': 'end' }, series.to ?? ''));
  const table = el('table', {}, el('caption', {}, bi('每日件數', 'Filings per day', true)),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, bi('日期', 'Day', true)), el('th', { scope: 'col' }, bi('選擇退出', 'Opt-outs', true)),
      el('th', { scope: 'col' }, bi('撤回', 'Withdrawals', true)))),
    el('tbody', {}, ...days.slice().reverse().map((day) => el('tr', {}, el('th', { scope: 'row', class: 'nowrap' }, day.day),
      el('td', {}, cellText(day.optOutsFiled)), el('td', {}, cellText(day.withdrawals))))));
  return el('figure', { class: 'chart-figure', id: 'chart-series' },
    el('figcaption', {}, bi(`${series.from} 至 ${series.to} 每日收到的選擇退出申請（已抑制的日子以細線標示）`,
      `Opt-outs filed per day from ${series.from} to ${series.to} (suppressed days as a thin line)`)),
    chart,
    el('p', {}, bi(`期間合計：選擇退出 `, 'In total: opt-outs ', true), cellText(series.optOutsFiledTotal), ' · ',
      bi('撤回 ', 'withdrawals ', true), cellText(series.withdrawalsTotal)),
    el('details', {}, el('summary', {}, bi('每日數字', 'The figures per day', true)), el('div', { class: 'table-wrap' }, table)));
}

function render(view) {
  const registry = view.registry;
  const optedOut = registry.optedOut;
  clear($('#total')).append(bi('總人數 ', 'In all: ', true), cellText(optedOut.total));
  clear($('#as-of')).append(bi(`統計時間 ${dateTime(registry.asOf)}；下次更新不早於 ${dateTime(registry.nextUpdate)}`,
    `As of ${dateTime(registry.asOf)}; next update no earlier than ${dateTime(registry.nextUpdate)}`));
  clear($('#charts')).append(
    barChart('chart-scope', '依目的', 'By purpose', optedOut.byScope.categories, SCOPES),
    ...(optedOut.byChannel ? [barChart('chart-channel', '依最近一次申請管道', 'By the channel of their latest filing', optedOut.byChannel.categories, CHANNELS)] : []),
    barChart('chart-sex', '依性別', 'By sex', optedOut.bySex.categories, SEXES),
    barChart('chart-age', '依年齡層', 'By age band', optedOut.byAgeBand.categories, {}),
    barChart('chart-county', '依縣市', 'By county', optedOut.byCounty.categories, COUNTIES));
  clear($('#series')).append(seriesChart(registry.dailyFilings));
  const surges = view.surges ?? [];
  clear($('#surges')).append(surges.length === 0
    ? el('p', { 'data-surges': '0' }, bi('近期沒有申請激增。', 'No surge recently.', true))
    : el('ul', { 'data-surges': String(surges.length) }, ...surges.map((surge) => el('li', {}, bi(
      `${surge.day}：${surge.optOutsFiled} 件（預期約 ${surge.expected}）`, `${surge.day}: ${surge.optOutsFiled} opt-outs filed (about ${surge.expected} expected)`, true)))));
  const checkpoint = view.checkpoint;
  const facts = clear($('#checkpoint'));
  if (!checkpoint) {
    facts.append(el('dt', {}, bi('狀態', 'Status', true)), el('dd', {}, bi('目前無法取得。', 'Cannot be fetched now.', true)));
  } else {
    facts.dataset.verified = String(checkpoint.verified);
    facts.append(el('dt', {}, bi('日誌', 'Log', true)), el('dd', { class: 'mono' }, checkpoint.origin),
      el('dt', {}, bi('大小（事件數）', 'Size (events)', true)), el('dd', {}, String(checkpoint.size)),
      el('dt', {}, bi('根雜湊', 'Root hash', true)), el('dd', { class: 'mono' }, checkpoint.rootHash),
      el('dt', {}, bi('驗證', 'Verified', true)), el('dd', {}, checkpoint.verified
        ? bi('登錄系統簽章與見證者共同簽章皆已驗證', 'Registry signature and witness cosignature verified', true)
        : bi(`未驗證：${checkpoint.problem ?? ''}`, `Not verified: ${checkpoint.problem ?? ''}`, true)));
  }
}

const HISTORY_NAMES = { byScope: SCOPES, byChannel: CHANNELS, byCounty: COUNTIES, bySex: SEXES, byAgeBand: {} };

/** One table over time: a row per day (newest first), a column per category. */
function renderHistory(days, table) {
  const container = clear($('#history'));
  if (days.length === 0) {
    container.append(el('p', {}, bi('尚無紀錄。', 'Nothing recorded yet.', true)));
    return;
  }
  const categories = [];
  for (const day of days) {
    for (const category of day.tables[table] ?? []) {
      if (!categories.includes(category.category)) {
        categories.push(category.category);
      }
    }
  }
  const names = HISTORY_NAMES[table];
  container.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'history-heading' }, el('table', { 'data-table': table },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, bi('日期', 'Day', true)),
      ...categories.map((category) => el('th', { scope: 'col' }, named(names, category))))),
    el('tbody', {}, ...days.map((day) => el('tr', { 'data-day': day.day }, el('th', { scope: 'row', class: 'nowrap' }, day.day),
      ...categories.map((category) => el('td', {}, cellText((day.tables[table] ?? []).find((c) => c.category === category))))))))));
}

async function start() {
  try {
    render(await api('/api/v1/public/statistics', { auth: false }));
    const days = await api('/api/v1/public/statistics/history?days=30', { auth: false });
    renderHistory(days, $('#history-table').value);
    $('#history-table').addEventListener('change', () => renderHistory(days, $('#history-table').value));
  } catch (error) {
    showProblem(error, { alert: pageAlert, focus: false });
  }
  document.documentElement.dataset.ready = 'true';
}

start();
