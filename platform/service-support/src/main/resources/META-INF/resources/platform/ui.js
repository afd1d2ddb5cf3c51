// DOM helpers for the pages. Everything is built with createElement and textContent: the pages run
// under Trusted Types with no policy, so no HTML is ever parsed from a string (and no data can inject any).

/** An element: el('p', {class: 'hint', id: 'x'}, 'text', child, ...). Attributes set to null or false are left out. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** zh-TW, then English marked lang="en": block-level (its own line) or inline. */
export function bi(zh, en, inline = false) {
  const fragment = document.createDocumentFragment();
  fragment.append(el('span', {}, zh), inline ? ' ' : '', el('span', { lang: 'en', class: inline ? 'en-inline' : 'en' }, en));
  return fragment;
}

/** A node's text with a space between its parts (a label's Chinese and English sit in separate elements). */
export function words(node) {
  const parts = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    parts.push(walker.currentNode.nodeValue);
  }
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Writes a message into a live region; busy shows a spinner and sets aria-busy on the region's section. */
export function announce(region, zh, en, { busy = false } = {}) {
  clear(region);
  if (zh || en) {
    append(region, bi(zh, en, true));
  }
  region.classList.toggle('busy', busy);
  region.closest('section')?.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** Shows or hides a section and, when shown, moves the focus to its heading (for screen readers and keyboards). */
export function showSection(section, visible, { focus = visible } = {}) {
  section.hidden = !visible;
  if (visible && focus) {
    const heading = section.querySelector('h2, h3') ?? section;
    if (!heading.hasAttribute('tabindex')) {
      heading.setAttribute('tabindex', '-1');
    }
    heading.focus();
  }
}

// ---- field errors: an element [data-error-for="field"] beside each input or fieldset, linked by aria-describedby

function errorSlot(root, field) {
  // "scopes[0]" is about "scopes"; "nationalId" may be the page's "representative.nationalId".
  const base = field.replace(/\[\d+\]/g, '');
  return root.querySelector(`[data-error-for="${CSS.escape(field)}"]`)
    ?? root.querySelector(`[data-error-for="${CSS.escape(base)}"]`)
    ?? root.querySelector(`[data-error-for$=".${CSS.escape(base)}"]`);
}

/** The control (input, select or fieldset) that a field's error belongs to. */
function controlOf(slot) {
  const id = slot.dataset.control;
  return id ? document.getElementById(id) : null;
}

/** aria-invalid on the control, or on every input of a fieldset (a group has no aria-invalid of its own). */
function markInvalid(control, invalid) {
  if (!control) {
    return;
  }
  const targets = control.tagName === 'FIELDSET' ? control.querySelectorAll('input') : [control];
  control.classList.toggle('invalid', invalid);
  for (const target of targets) {
    if (invalid) {
      target.setAttribute('aria-invalid', 'true');
    } else {
      target.removeAttribute('aria-invalid');
    }
  }
}

/** Shows a message beside a field; false when the page has no place for that field. */
export function setFieldError(root, field, zh, en) {
  const slot = errorSlot(root, field);
  if (!slot) {
    return false;
  }
  if (slot.childNodes.length > 0) {
    slot.append(' ');
  }
  slot.append(zh ? bi(zh, en, true) : el('span', { lang: 'en' }, en));
  markInvalid(controlOf(slot), true);
  return true;
}

/** Clears one field's message, e.g. as soon as the field is edited. */
export function clearFieldError(root, field) {
  const slot = errorSlot(root, field);
  if (slot) {
    clear(slot);
    markInvalid(controlOf(slot), false);
  }
}

export function clearFieldErrors(root) {
  for (const slot of root.querySelectorAll('[data-error-for]')) {
    clear(slot);
    markInvalid(controlOf(slot), false);
  }
}

/** Focuses the first field with an error, so keyboard and screen-reader users land on it. */
export function focusFirstError(root) {
  const slot = Array.from(root.querySelectorAll('[data-error-for]')).find((s) => s.childNodes.length > 0);
  const control = slot ? controlOf(slot) : null;
  if (!control) {
    return false;
  }
  const target = control.tagName === 'FIELDSET' ? control.querySelector('input, select, textarea') ?? control : control;
  target.focus();
  return true;
}

/** A name pair for a code, or the code itself in both places when the page does not know it. */
export function named(table, code) {
  const pair = table[code];
  return pair ? bi(pair[0], pair[1], true) : document.createTextNode(code ?? '');
}

/** Date and time in Taiwan's time zone, for people: 2026/11/25 14:05 (UTC+8). */
export function dateTime(iso) {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${new Intl.DateTimeFormat('zh-TW', {
    timeZone: 'Asia/Taipei', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(date)} (UTC+8)`;
}

/** Saves a blob as a file, through a temporary link (the API needs a token, so a plain link cannot fetch it). */
export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
