// Building DOM without HTML strings: every piece of user or server text becomes a text node,
// so an account label or an alert body can never turn into markup (and the page needs no
// 'unsafe-inline' in its Content-Security-Policy).

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (name === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (name === 'value' && 'value' in el) {
      el.value = value;
    } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
      el[name] = true;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h('button', {class: 'x', on: {click}}, 'text', child…) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  apply(el, attrs);
  return append(el, children);
}

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  return append(el, children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

let idSequence = 0;
export function uid(prefix) {
  idSequence += 1;
  return `${prefix}-${idSequence}`;
}

// Numbers and times in the user's locale and time zone.
const numberFormats = new Map();
export function num(value, digits) {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const key = digits === undefined ? 'auto' : digits;
  if (!numberFormats.has(key)) {
    numberFormats.set(key, new Intl.NumberFormat(undefined, digits === undefined
      ? { maximumFractionDigits: 6 } : { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return numberFormats.get(key).format(n);
}

export function money(value) {
  return num(value, 2);
}

/** A fraction (0..1) as a percentage. */
export function percent(value) {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(Number(value));
}

/** A rate the API already gives in percent (winRate: 67.8), as a percentage. */
export function percentPoints(value) {
  if (value === null || value === undefined) return '—';
  return percent(Number(value) / 100);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export function time(value) {
  if (!value) return '—';
  const d = typeof value === 'number' ? new Date(value > 1e12 ? value : value * 1000) : new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : timeFormat.format(d);
}

export function signClass(value) {
  const n = Number(value);
  return n > 0 ? 'pos' : n < 0 ? 'neg' : '';
}

/** Copies text to the clipboard; falls back to selecting a hidden textarea when the API is refused. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    const area = h('textarea', { class: 'offscreen', readonly: true }, text);
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (ignored) { ok = false; }
    area.remove();
    return ok;
  }
}

/** A read-only value with a Copy button; the button says Copied once done. */
export function copyField(label, value, opts = {}) {
  const id = uid('copy');
  const status = h('span', { class: 'copy-status sr-only', role: 'status', 'aria-live': 'polite' });
  const field = opts.multiline
    ? h('textarea', { id, class: 'mono', readonly: true, rows: opts.rows || 3 }, value)
    : h('input', { id, class: 'mono', readonly: true, value, type: 'text' });
  const button = h('button', {
    type: 'button', class: 'secondary copy', 'data-copy': opts.name || '',
    on: {
      click: async () => {
        const ok = await copyText(value);
        status.textContent = ok ? 'Copied' : 'Select the text and copy it';
        button.textContent = ok ? 'Copied ✓' : 'Copy';
        setTimeout(() => { button.textContent = 'Copy'; status.textContent = ''; }, 2500);
      },
    },
  }, 'Copy');
  return h('div', { class: 'copy-field' },
    h('label', { for: id }, label),
    h('div', { class: 'copy-row' }, field, button, status));
}

/** A labelled input; returns {row, input, error}. */
export function field(label, attrs = {}, help) {
  const id = attrs.id || uid('f');
  const errorId = `${id}-error`;
  const helpId = help ? `${id}-help` : null;
  const tag = attrs.tag || 'input';
  const input = tag === 'select'
    ? h('select', { ...attrs, tag: null, options: null, id, name: attrs.name, 'aria-describedby': [helpId, errorId].filter(Boolean).join(' ') },
      (attrs.options || []).map(([value, text]) => h('option', { value, selected: String(attrs.value) === String(value) }, text)))
    : h(tag, { ...attrs, tag: null, id, 'aria-describedby': [helpId, errorId].filter(Boolean).join(' ') },
      tag === 'textarea' ? (attrs.value || '') : null);
  const error = h('p', { class: 'field-error', id: errorId, role: 'alert' });
  const row = h('div', { class: 'field', 'data-field': attrs.name || '' },
    h('label', { for: id }, label), input, help ? h('p', { class: 'help', id: helpId }, help) : null, error);
  return { row, input, error };
}

export function emptyState(title, ...text) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), ...text.map((t) => h('p', null, t)));
}

export function table(columns, rows, opts = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: opts.class || null },
      opts.caption ? h('caption', { class: 'sr-only' }, opts.caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.title)))),
      h('tbody', null, rows.map((row, i) => h('tr', { 'data-row': opts.key ? opts.key(row) : i },
        columns.map((c) => h('td', { class: c.num ? 'num' : c.class || null, 'data-label': c.title }, c.cell(row))))))));
}

/** A confirmation dialog; resolves true when the user confirms. */
export function confirmDialog(title, text, confirmLabel, danger) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title),
      ...(Array.isArray(text) ? text : [text]).map((t) => h('p', null, t)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', value: 'cancel', on: { click: () => dialog.close('cancel') } }, 'Cancel'),
        h('button', { type: 'button', class: danger ? 'danger' : 'primary', id: 'confirm-ok', on: { click: () => dialog.close('ok') } }, confirmLabel)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'ok'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}
