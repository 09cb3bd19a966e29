import { h, replace, field, emptyState } from './dom.js';
import { get, put } from './api.js';
import { state, accountName } from './app.js';

function hashParam(name) {
  return new URLSearchParams(location.hash.split('?')[1] || '').get(name);
}

/** A form whose fields show the server's field errors inline; fields: [[name, fieldObj, toValue]]. */
function settingsForm({ id, title, intro, fields, extra, load, save, submitLabel, ctx }) {
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const saved = h('p', { class: 'saved', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel || 'Save');
  const form = h('form', {
    class: 'card settings', id, novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        formError.textContent = '';
        saved.textContent = '';
        fields.forEach(([, f]) => { f.error.textContent = ''; f.input.removeAttribute('aria-invalid'); });
        const body = {};
        for (const [name, f, toValue] of fields) body[name] = toValue ? toValue(f.input.value) : f.input.value;
        if (extra && extra.collect) Object.assign(body, extra.collect());
        submit.disabled = true;
        try {
          const answer = await save(body);
          fill(answer);
          saved.textContent = 'Saved: applies from the next alert.';
          ctx.toast(`${title} saved.`);
        } catch (e) {
          const target = fields.find(([name]) => name === e.field);
          if (target) {
            target[1].error.textContent = e.message;
            target[1].input.setAttribute('aria-invalid', 'true');
            target[1].input.focus();
          } else if (extra && extra.showError && extra.showError(e)) {
            // shown next to the extra editor
          } else formError.textContent = e.message;
        } finally {
          submit.disabled = false;
        }
      },
    },
  }, h('h2', null, title), intro ? h('p', { class: 'muted' }, intro) : null, fields.map(([, f]) => f.row), extra ? extra.node : null, formError, saved, submit);
  const fill = (values) => {
    for (const [name, f, , fromValue] of fields) {
      if (values && name in values) f.input.value = fromValue ? fromValue(values[name]) : (values[name] ?? '');
    }
    if (extra && extra.fill) extra.fill(values);
  };
  return { form, fill, load: async () => fill(await load()) };
}

const number = (v) => (v === '' ? undefined : Number(v));
const list = (v) => v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
const joinList = (v) => (v || []).join(', ');

function scopeSelect(current, onChange, withUser) {
  const options = [...(withUser ? [['', 'All my accounts (user-wide)']] : []), ...state.accounts.map((a) => [a.id, accountName(a.id)])];
  const f = field(withUser ? 'Applies to' : 'Account', { tag: 'select', name: 'scope', options, value: current || '' });
  f.input.addEventListener('change', () => onChange(f.input.value));
  return f.row;
}

// ---------------------------------------------------------------- risk
export async function riskPage(container, ctx) {
  const render = async (accountId) => {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
    const zoneList = h('datalist', { id: 'time-zones' }, ['UTC', ...zones].map((z) => h('option', { value: z })));
    const fields = [
      ['max_quantity', field('Maximum quantity per order', { type: 'number', name: 'max_quantity', min: 0, step: 'any', inputmode: 'decimal' }, 'Lots or units; larger entries are refused (rule max_quantity).'), number],
      ['max_daily_loss', field('Maximum daily loss', { type: 'number', name: 'max_daily_loss', min: 0, step: 'any', inputmode: 'decimal' }, '0 = off. Realised loss per trading day after which entries are refused.'), number],
      ['max_open_positions', field('Maximum open positions', { type: 'number', name: 'max_open_positions', min: 1, step: 1, inputmode: 'numeric' }), number],
      ['trading_hours', field('Trading hours', { type: 'text', name: 'trading_hours', placeholder: '09:30-16:00', autocomplete: 'off' }, 'Empty = always; HH:mm-HH:mm in the time zone below (may wrap midnight).')],
      ['time_zone', field('Time zone', { type: 'text', name: 'time_zone', list: 'time-zones', autocomplete: 'off' })],
      ['allowed_symbols', field('Allowed symbols', { type: 'text', name: 'allowed_symbols', placeholder: 'EURUSD, XAUUSD', autocomplete: 'off' }, 'Empty = every symbol. Separate with commas.'), list, joinList],
      ['rate_limit_per_window', field('Alerts per rate-limit window', { type: 'number', name: 'rate_limit_per_window', min: 1, step: 1, inputmode: 'numeric' }), number],
      ['rate_limit_window_seconds', field('Rate-limit window (seconds)', { type: 'number', name: 'rate_limit_window_seconds', min: 1, step: 1, inputmode: 'numeric' }), number],
    ];
    const path = accountId ? `/api/accounts/${accountId}/risk_config` : '/api/user/risk_config';
    const form = settingsForm({
      id: 'risk-form', ctx, fields,
      title: accountId ? `Risk controls of ${accountName(Number(accountId))}` : 'Risk controls for all accounts',
      intro: 'Entries (open, reverse) that break a rule are refused with the rule named in the webhook log; exits are always allowed.',
      load: () => get(path), save: (body) => put(path, body),
    });
    replace(container,
      h('p', { class: 'lead' }, 'Limits every alert is checked against before an order is placed.'),
      scopeSelect(accountId, (v) => { history.replaceState(null, '', v ? `#/risk?account=${v}` : '#/risk'); render(v); }, true),
      zoneList, form.form);
    await form.load();
  };
  await render(hashParam('account') || '');
}

// ---------------------------------------------------------------- alert settings
function symbolMapEditor() {
  const rows = h('div', { class: 'symbol-map', role: 'group', 'aria-labelledby': 'symbol-map-title' });
  const error = h('p', { class: 'field-error', id: 'symbol-map-error', role: 'alert' });
  let n = 0;
  const addRow = (ticker = '', instrument = '') => {
    n += 1;
    const t = h('input', { type: 'text', id: `map-ticker-${n}`, value: ticker, placeholder: 'NQ1!', autocomplete: 'off', class: 'map-ticker' });
    const i = h('input', { type: 'text', id: `map-instrument-${n}`, value: instrument, placeholder: 'MNQ', autocomplete: 'off', class: 'map-instrument' });
    const row = h('div', { class: 'map-row' },
      h('label', { for: t.id, class: 'sr-only' }, 'TradingView ticker'), t,
      h('span', { 'aria-hidden': 'true' }, '→'),
      h('label', { for: i.id, class: 'sr-only' }, 'Broker instrument'), i,
      h('button', { type: 'button', class: 'secondary small', 'aria-label': 'Remove this mapping', on: { click: () => row.remove() } }, 'Remove'));
    rows.append(row);
    return t;
  };
  const node = h('fieldset', { class: 'field' },
    h('legend', { id: 'symbol-map-title' }, 'Symbol map'),
    h('p', { class: 'help' }, 'TradingView ticker → your broker\'s instrument, e.g. NQ1! → MNQ. Unmapped tickers get the suffix.'),
    h('div', { class: 'map-head', 'aria-hidden': 'true' }, h('span', null, 'TradingView ticker'), h('span', null, 'Broker instrument')),
    rows,
    h('button', { type: 'button', class: 'secondary small', id: 'map-add', on: { click: () => addRow().focus() } }, 'Add mapping'),
    error);
  return {
    node,
    fill: (values) => {
      replace(rows);
      Object.entries((values && values.symbol_map) || {}).forEach(([k, v]) => addRow(k, v));
    },
    collect: () => {
      const map = {};
      for (const row of rows.querySelectorAll('.map-row')) {
        const k = row.querySelector('.map-ticker').value.trim();
        const v = row.querySelector('.map-instrument').value.trim();
        if (k || v) map[k] = v;
      }
      error.textContent = '';
      return { symbol_map: map };
    },
    showError: (e) => {
      if (e.field !== 'symbol_map') return false;
      error.textContent = e.message;
      return true;
    },
  };
}

export async function alertSettingsPage(container, ctx) {
  if (state.accounts.length === 0) {
    container.append(emptyState('No accounts yet.', 'Alert settings belong to an account: connect one under Accounts first.'),
      h('a', { class: 'button primary', href: '#/accounts' }, 'Go to Accounts'));
    return;
  }
  const render = async (accountId) => {
    const base = `/api/accounts/${accountId}`;
    const fields = [
      ['pyramiding', field('Pyramiding (entries per direction)', { type: 'number', name: 'pyramiding', min: 1, max: 100, step: 1, inputmode: 'numeric' }, '1 = a second entry in the same direction is refused unless the alert says add.'), number],
      ['duplicate_window_seconds', field('Duplicate window (seconds)', { type: 'number', name: 'duplicate_window_seconds', min: 0, step: 1, inputmode: 'numeric' }, 'The same signal again within this window is refused. 0 = off.'), number],
      ['max_signal_age_seconds', field('Maximum signal age (seconds)', { type: 'number', name: 'max_signal_age_seconds', min: 0, step: 1, inputmode: 'numeric' }, 'Alerts whose ts/time is older are refused. 0 = off.'), number],
      ['idempotency_window_seconds', field('Idempotency window (seconds)', { type: 'number', name: 'idempotency_window_seconds', min: 1, step: 1, inputmode: 'numeric' }, 'How long an alert id is remembered.'), number],
      ['symbol_suffix', field('Symbol suffix', { type: 'text', name: 'symbol_suffix', maxlength: 8, autocomplete: 'off', placeholder: '.m' })],
    ];
    const editor = symbolMapEditor();
    const settings = settingsForm({
      id: 'alert-settings-form', ctx, fields, extra: editor,
      title: `How alerts of ${accountName(Number(accountId))} are read`,
      load: () => get(`${base}/alert_settings`), save: (body) => put(`${base}/alert_settings`, body),
    });
    const sourcesField = ['allowed_sources', field('Allowed source addresses', { tag: 'textarea', name: 'allowed_sources', rows: 4, autocomplete: 'off', placeholder: '52.89.214.238\n34.212.75.30' },
      'One IP address or CIDR block per line (TradingView: 52.89.214.238, 34.212.75.30, 54.218.53.128, 52.32.178.7). Empty = any address.'),
    (v) => list(v), (v) => (v || []).join('\n')];
    const sources = settingsForm({
      id: 'sources-form', ctx, fields: [sourcesField], title: 'Allowed sources',
      load: () => get(`${base}/allowed_sources`), save: (body) => put(`${base}/allowed_sources`, body),
    });
    replace(container,
      h('p', { class: 'lead' }, 'Per account: symbol translation, duplicates, stale signals and where alerts may come from.'),
      scopeSelect(accountId, (v) => { history.replaceState(null, '', `#/alerts?account=${v}`); render(v); }, false),
      settings.form, sources.form);
    await Promise.all([settings.load(), sources.load()]);
  };
  await render(hashParam('account') || String(state.accounts[0].id));
}
