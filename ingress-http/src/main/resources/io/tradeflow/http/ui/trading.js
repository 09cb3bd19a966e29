import { h, replace, field, table, emptyState, confirmDialog, num, money, time, signClass } from './dom.js';
import { get, post, query } from './api.js';
import { accountName, accountOptions } from './app.js';

const PAGE = 25;

function pnl(value) {
  return h('span', { class: signClass(value) }, money(value));
}

function updatedNote() {
  return h('p', { class: 'updated muted', 'aria-live': 'off' });
}

// ---------------------------------------------------------------- positions
export async function positionsPage(container, ctx) {
  const summary = h('div', { class: 'summary' });
  const list = h('div', { class: 'positions' });
  const pending = h('div', { class: 'pending' });
  const note = updatedNote();
  container.append(h('p', { class: 'lead' }, 'Open positions of all your accounts, updated live.'), summary, list,
    h('h2', { class: 'section-title' }, 'Pending orders'), pending, note);
  const close = async (p) => {
    const ok = await confirmDialog(`Close ${p.symbol}?`, [`Closes the ${p.side} position of ${num(p.quantity)} ${p.symbol} on ${accountName(p.account_id)} at the last price.`], 'Close position', true);
    if (!ok) return;
    try {
      const answer = await post('/api/orders/close', { account_id: p.account_id, symbol: p.symbol });
      ctx.toast(answer && answer.realized_pnl !== undefined ? `${p.symbol} closed: P&L ${money(answer.realized_pnl)}.` : `${p.symbol} closed.`);
      await refresh();
    } catch (e) { ctx.toast(`Could not close ${p.symbol}: ${e.message}`, 'error'); }
  };
  const refresh = async () => {
    const answer = await get('/api/positions?with_accounts=true');
    const positions = answer.positions || [];
    replace(summary, (answer.accounts || []).map((a) => h('div', { class: 'stat' },
      h('span', { class: 'stat-label' }, accountName(a.account_id)),
      h('span', { class: 'stat-value' }, money(a.equity)),
      h('span', { class: 'muted' }, 'equity · open ', pnl(a.unrealized_pnl), ' · realised ', pnl(a.realized_pnl)))));
    replace(list, positions.length === 0
      ? emptyState('No open positions.', 'Send an alert to an account\'s webhook URL (see Accounts) and the position appears here as soon as it fills (the page is live).')
      : table([
        { title: 'Account', cell: (p) => accountName(p.account_id) },
        { title: 'Symbol', cell: (p) => h('strong', null, p.symbol) },
        { title: 'Side', cell: (p) => h('span', { class: ['badge', p.side === 'long' ? 'ok' : 'bad'] }, p.side) },
        { title: 'Quantity', num: true, cell: (p) => num(p.quantity) },
        { title: 'Average price', num: true, cell: (p) => num(p.average_price) },
        { title: 'Last price', num: true, cell: (p) => num(p.last_price) },
        { title: 'Stop loss', num: true, cell: (p) => num(p.stop_loss) },
        { title: 'Take profit', num: true, cell: (p) => num(p.take_profit) },
        { title: 'Unrealised P&L', num: true, cell: (p) => pnl(p.unrealized_pnl) },
        { title: '', cell: (p) => h('button', { type: 'button', class: 'danger-outline small', 'data-close': p.symbol, 'aria-label': `Close ${p.symbol} on ${accountName(p.account_id)}`, on: { click: () => close(p) } }, 'Close') },
      ], positions, { caption: 'Open positions', key: (p) => `${p.account_id}:${p.symbol}` }));
    const waiting = (await get('/api/orders?status=pending&limit=100')).orders || [];
    replace(pending, waiting.length === 0
      ? h('p', { class: 'muted' }, 'No pending orders. Limit and stop entries on paper accounts wait here until the price reaches them; an alert with action cancel removes them.')
      : table([
        { title: 'Placed', cell: (o) => time(o.created_at) },
        { title: 'Order', class: 'mono', cell: (o) => o.id },
        { title: 'Account', cell: (o) => accountName(o.account_id) },
        { title: 'Symbol', cell: (o) => h('strong', null, o.symbol) },
        { title: 'Side', cell: (o) => o.side },
        { title: 'Type', cell: (o) => o.order_type },
        { title: 'Quantity', num: true, cell: (o) => num(o.quantity) },
        { title: 'At price', num: true, cell: (o) => num(o.order_price) },
      ], waiting, { caption: 'Pending orders', key: (o) => o.id }));
    note.textContent = `Updated ${time(Date.now())}`;
  };
  ctx.live(refresh, 2000);
}

// ---------------------------------------------------------------- shared filters
function filterBar(fields, onApply) {
  const form = h('form', {
    class: 'filters', role: 'search',
    on: { submit: (e) => { e.preventDefault(); onApply(); } },
  }, fields.map((f) => f.row), h('button', { type: 'submit', class: 'secondary' }, 'Apply'));
  return form;
}

function toIso(localValue) {
  if (!localValue) return '';
  const d = new Date(localValue);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pager(total, offset, onPage) {
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + PAGE, total);
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', class: 'secondary small', disabled: offset === 0, on: { click: () => onPage(Math.max(0, offset - PAGE)) } }, '← Newer'),
    h('span', null, `${num(from)}–${num(to)} of ${num(total)}`),
    h('button', { type: 'button', class: 'secondary small', disabled: to >= total, on: { click: () => onPage(offset + PAGE) } }, 'Older →'));
}

// ---------------------------------------------------------------- orders
export async function ordersPage(container, ctx) {
  const account = field('Account', { tag: 'select', name: 'account_id', options: accountOptions(true) });
  const status = field('Status', { tag: 'select', name: 'status', options: [['', 'Any'], ['filled', 'Filled'], ['pending', 'Pending'], ['cancelled', 'Cancelled']] });
  const from = field('From', { type: 'datetime-local', name: 'from' });
  const to = field('To', { type: 'datetime-local', name: 'to' });
  const list = h('div', { class: 'orders' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const note = updatedNote();
  let offset = 0;
  const refresh = async () => {
    let answer;
    try {
      answer = await get(`/api/orders${query({ account_id: account.input.value, status: status.input.value, from: toIso(from.input.value), to: toIso(to.input.value), limit: PAGE, offset })}`);
      error.textContent = '';
    } catch (e) { error.textContent = e.message; throw e; }
    const orders = answer.orders || [];
    replace(list, orders.length === 0
      ? emptyState(offset === 0 ? 'No orders match.' : 'No more orders.', 'Orders appear here when an alert is accepted or a position is closed. Change the filters, or send an alert from TradingView.')
      : [table([
        { title: 'Time', cell: (o) => time(o.created_at) },
        { title: 'Order', class: 'mono', cell: (o) => o.id },
        { title: 'Account', cell: (o) => accountName(o.account_id) },
        { title: 'Symbol', cell: (o) => h('strong', null, o.symbol) },
        { title: 'Side', cell: (o) => o.side },
        { title: 'Type', cell: (o) => o.order_type || 'market' },
        { title: 'Quantity', num: true, cell: (o) => num(o.quantity) },
        { title: 'Price', num: true, cell: (o) => num(o.fill_price || o.order_price) },
        { title: 'Status', cell: (o) => h('span', { class: ['badge', o.status === 'filled' ? 'ok' : o.status === 'pending' ? 'warn' : 'muted'] }, o.status) },
        { title: 'Realised P&L', num: true, cell: (o) => pnl(o.realized_pnl) },
        { title: 'Reason', cell: (o) => o.reason || null },
      ], orders, { caption: 'Orders', key: (o) => o.id }),
      pager(answer.total || 0, offset, (next) => { offset = next; ctx.live(refresh, 5000); })]);
    note.textContent = `Updated ${time(Date.now())}`;
  };
  container.append(filterBar([account, status, from, to], () => { offset = 0; ctx.live(refresh, 5000); }), error, list, note);
  ctx.live(refresh, 5000);
}

// ---------------------------------------------------------------- webhook log
const OUTCOMES = ['ACCEPTED', 'INVALID_PAYLOAD', 'UNAUTHORIZED', 'ACCOUNT_DISABLED', 'TRIAL_LIMIT', 'TRIAL_EXPIRED', 'RISK_REJECTED',
  'SOURCE_NOT_ALLOWED', 'DUPLICATE', 'IDEMPOTENCY_CONFLICT', 'STALE_SIGNAL', 'RATE_LIMITED', 'BROKER_ERROR', 'INTERNAL_ERROR', 'OVERLOADED'];

const EXPLAIN = {
  ACCEPTED: 'Routed: the order was placed.',
  INVALID_PAYLOAD: 'The alert message could not be read: fix the field named below in your TradingView alert message.',
  UNAUTHORIZED: 'The API key was missing or unknown: check the key in the webhook URL (regenerated keys replace old ones).',
  ACCOUNT_DISABLED: 'The account is switched off: turn it on in Accounts.',
  TRIAL_LIMIT: 'The free trial\'s trades are used up: upgrade to keep trading.',
  TRIAL_EXPIRED: 'The free trial has ended: upgrade to keep trading.',
  RISK_REJECTED: 'One of your risk controls refused this entry (the rule is named below): change it under Risk controls if it should pass.',
  SOURCE_NOT_ALLOWED: 'The alert came from an address outside the account\'s allowed sources (Alert settings).',
  DUPLICATE: 'Refused as a duplicate: a position in that direction is already open (raise pyramiding or send add), or the same signal came within the duplicate window.',
  IDEMPOTENCY_CONFLICT: 'The alert\'s id was already used with a different message.',
  STALE_SIGNAL: 'The signal\'s time was older than the account\'s maximum signal age.',
  RATE_LIMITED: 'Too many alerts in the rate-limit window (Risk controls).',
  BROKER_ERROR: 'The broker refused the order or could not be reached: see the reason.',
  INTERNAL_ERROR: 'A TradeFlow bug on this alert; the reason carries an error id for support.',
  OVERLOADED: 'TradeFlow was momentarily full; TradingView does not retry, so re-send if needed.',
};

const RULES = {
  emergency_stop: 'Your emergency stop was active: reset it (banner at the top of the page) to accept entries again.',
  max_quantity: 'The order was larger than your maximum quantity per order (Risk controls).',
  allowed_symbols: 'The symbol is not in your allowed symbols (Risk controls).',
  trading_hours: 'The alert came outside your trading hours (Risk controls).',
  max_daily_loss: 'Today\'s realised loss reached your maximum daily loss (Risk controls); entries resume tomorrow.',
  max_open_positions: 'You already had the maximum number of open positions (Risk controls).',
  margin: 'The account\'s equity could not carry the position at the configured leverage.',
};

function explain(e) {
  if (e.outcome === 'RISK_REJECTED' && RULES[e.field]) return `A risk control refused this entry. ${RULES[e.field]}`;
  return EXPLAIN[e.outcome] || '';
}

function outcomeBadge(outcome) {
  const kind = outcome === 'ACCEPTED' ? 'ok' : outcome === 'DUPLICATE' || outcome === 'STALE_SIGNAL' ? 'warn' : 'bad';
  return h('span', { class: ['badge', kind] }, outcome);
}

function logEntry(entry) {
  // The alert's body and TradeFlow's answer arrive with the contract issue; shown when the API has them.
  const e = { ...entry, body: entry.body ?? entry.raw_body ?? entry.payload, answer: entry.answer ?? entry.response };
  const refused = e.outcome !== 'ACCEPTED';
  return h('article', { class: ['log-entry', refused ? 'refused' : 'accepted'], 'data-intent': e.intent_id, 'data-outcome': e.outcome },
    h('header', null,
      outcomeBadge(e.outcome),
      e.http_status ? h('span', { class: 'muted' }, `HTTP ${e.http_status}`) : null,
      h('span', { class: 'summary-text' }, e.summary || ''),
      h('time', { datetime: e.received_at }, time(e.received_at))),
    h('p', { class: 'explain' }, explain(e)),
    h('dl', { class: 'facts' },
      e.reason ? [h('dt', null, 'Reason'), h('dd', { class: 'reason' }, e.reason)] : null,
      e.field ? [h('dt', null, e.outcome === 'RISK_REJECTED' ? 'Rule' : 'Field'), h('dd', { class: 'mono field-name' }, e.field)] : null,
      h('dt', null, 'Account'), h('dd', null, e.account_id ? accountName(e.account_id) : '—'),
      e.order_id ? [h('dt', null, 'Order'), h('dd', { class: 'mono' }, e.order_id)] : null,
      e.strategy ? [h('dt', null, 'Strategy'), h('dd', null, e.strategy)] : null,
      e.client_id ? [h('dt', null, 'Alert id'), h('dd', { class: 'mono' }, e.client_id)] : null,
      h('dt', null, 'Latency'), h('dd', null, e.latency_us !== null && e.latency_us !== undefined ? `${num(e.latency_us)} µs` : '—'),
      h('dt', null, 'Intent'), h('dd', { class: 'mono' }, e.intent_id)),
    e.body || e.answer ? h('details', null, h('summary', null, 'Alert body and answer'),
      e.body ? [h('h4', null, 'Body received'), h('pre', { class: 'mono' }, typeof e.body === 'string' ? e.body : JSON.stringify(e.body, null, 2))] : null,
      e.answer ? [h('h4', null, 'Answer sent'), h('pre', { class: 'mono' }, typeof e.answer === 'string' ? e.answer : JSON.stringify(e.answer, null, 2))] : null) : null);
}

export async function logPage(container, ctx) {
  const account = field('Account', { tag: 'select', name: 'account_id', options: accountOptions(true) });
  const outcome = field('Outcome', { tag: 'select', name: 'outcome', options: [['', 'Any'], ...OUTCOMES.map((o) => [o, o])] });
  const from = field('From', { type: 'datetime-local', name: 'from' });
  const to = field('To', { type: 'datetime-local', name: 'to' });
  const list = h('div', { class: 'log' });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const note = updatedNote();
  let offset = 0;
  const refresh = async () => {
    let answer;
    try {
      answer = await get(`/api/logs/webhooks${query({ account_id: account.input.value, outcome: outcome.input.value, from: toIso(from.input.value), to: toIso(to.input.value), limit: PAGE, offset })}`);
      error.textContent = '';
    } catch (e) { error.textContent = e.message; throw e; }
    const entries = answer.entries || [];
    replace(list, entries.length === 0
      ? emptyState(offset === 0 ? 'No alerts match.' : 'No more alerts.', 'Every alert TradeFlow receives appears here, accepted or refused, with the reason. Copy a template from Accounts into a TradingView alert to send the first one.')
      : [entries.map(logEntry), pager(answer.total || 0, offset, (next) => { offset = next; ctx.live(refresh, 3000); })]);
    note.textContent = `Updated ${time(Date.now())}`;
  };
  container.append(h('p', { class: 'lead' }, 'Every alert received, newest first: what TradeFlow decided and why.'),
    filterBar([account, outcome, from, to], () => { offset = 0; ctx.live(refresh, 3000); }), error, list, note);
  ctx.live(refresh, 3000);
}
