import { h, replace, field, emptyState, table, copyField, time, confirmDialog } from './dom.js';
import { get, post, del } from './api.js';
import { state, accountName, loadAccounts } from './app.js';

// Copy trading: the master panel (publish an account, its followers as aliases and counts) and the
// follower view (follow a master, subscriptions with pause / resume / cancel, protection events).

const SIZINGS = [['multiplier', 'Multiplier of the master\'s size'], ['qty', 'Fixed size'],
  ['percent_equity', '% of my equity'], ['risk_percent', 'Risk % of my equity (needs a stop loss)']];

function formError(e, fields, fallback) {
  const target = fields[e.field];
  if (target) {
    target.error.textContent = e.message;
    target.input.setAttribute('aria-invalid', 'true');
  } else fallback.textContent = e.message;
}

function clearErrors(fields, fallback) {
  Object.values(fields).forEach((f) => { f.error.textContent = ''; f.input.removeAttribute('aria-invalid'); });
  fallback.textContent = '';
}

async function masterPanel(ctx, masters) {
  const own = masters.filter((m) => m.own);
  const fields = {
    account_id: field('Account to publish', { tag: 'select', name: 'account_id', options: state.accounts.map((a) => [a.id, accountName(a.id)]) },
      'Its accepted alerts are copied to every follower under their own rules.'),
    name: field('Name followers see', { type: 'text', name: 'name', maxlength: 60, placeholder: 'London breakout', autocomplete: 'off' }),
  };
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', {
    class: 'card settings', id: 'publish-master', novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        clearErrors(fields, error);
        try {
          await post('/masters', { account_id: Number(fields.account_id.input.value), name: fields.name.input.value });
          ctx.toast('Published as a master.');
          ctx.redraw();
        } catch (e) { formError(e, fields, error); }
      },
    },
  }, h('h2', null, 'Publish a master'), fields.account_id.row, fields.name.row, error,
  h('button', { type: 'submit', class: 'primary' }, 'Publish'));
  const rows = [];
  for (const m of own) {
    const f = await get(`/masters/${m.master_id}/followers`);
    rows.push({ ...m, ...f });
  }
  const list = rows.length === 0
    ? emptyState('No master yet', 'Publish one of your accounts to let others copy its alerts.')
    : table([
      { title: 'Master', cell: (m) => m.name },
      { title: 'Account', cell: (m) => accountName(m.account_id) },
      { title: 'Followers', num: true, cell: (m) => `${m.followers_active} active / ${m.followers_total}` },
      { title: 'Follower accounts', num: true, cell: (m) => String(m.follower_accounts) },
      { title: 'Who', cell: (m) => (m.followers.length ? m.followers.map((f) => `${f.alias} (${f.status})`).join(', ') : '—') },
    ], rows, { caption: 'Your masters', key: (m) => m.master_id });
  return h('section', { class: 'copy-master', 'aria-labelledby': 'copy-master-title' },
    h('h2', { id: 'copy-master-title' }, 'Master panel'),
    h('p', { class: 'muted' }, 'Followers appear as aliases with counts; their accounts and emails stay private.'),
    list, form);
}

function followForm(ctx, masters, shown) {
  const followable = masters.filter((m) => !m.own);
  if (followable.length === 0) return emptyState('No master to follow yet', 'Published masters of other users appear here.');
  const fields = {
    master_id: field('Master', { tag: 'select', name: 'master_id', options: followable.map((m) => [m.master_id, m.name]) }),
    account_ids: field('My account', { tag: 'select', name: 'account_ids', options: state.accounts.map((a) => [a.id, accountName(a.id)]) },
      'The account that copies the master.'),
    sizing: field('Sizing', { tag: 'select', name: 'sizing', options: SIZINGS }),
    size: field('Multiplier or size', { type: 'number', name: 'size', min: 0, step: 'any', value: '1', inputmode: 'decimal' },
      'Multiplier (1 = same size), lots for a fixed size, or a percentage.'),
    symbol_map: field('Symbol map', { type: 'text', name: 'symbol_map', placeholder: 'EURUSD=EURUSD.M', autocomplete: 'off' },
      'Optional: master symbol=my symbol, separated by commas.'),
  };
  const error = h('p', { class: 'form-error', role: 'alert' });
  return h('form', {
    class: 'card settings', id: 'follow-master', novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        clearErrors(fields, error);
        const sizing = fields.sizing.input.value;
        const size = Number(fields.size.input.value);
        const body = { master_id: Number(fields.master_id.input.value), account_ids: [Number(fields.account_ids.input.value)], sizing };
        if (sizing === 'multiplier') body.multiplier = size; else body.size_value = size;
        const map = {};
        fields.symbol_map.input.value.split(',').map((s) => s.trim()).filter(Boolean).forEach((entry) => {
          const [from, to] = entry.split('=');
          map[(from || '').trim()] = (to || '').trim();
        });
        if (Object.keys(map).length) body.symbol_map = map;
        try {
          const created = await post('/subscriptions', body);
          shown.token = created.license_token;
          ctx.toast('Subscribed: copies start with the master\'s next alert.');
          ctx.redraw();
        } catch (e) {
          formError(e, { ...fields, multiplier: fields.size, size_value: fields.size }, error);
        }
      },
    },
  }, h('h2', null, 'Follow a master'), Object.values(fields).map((f) => f.row), error,
  h('button', { type: 'submit', class: 'primary' }, 'Follow'));
}

function subscriptionsTable(ctx, subscriptions) {
  if (subscriptions.length === 0) return emptyState('No subscription', 'Follow a master to copy its alerts.');
  const action = (s, label, run, danger) => h('button', {
    type: 'button', class: danger ? 'danger small' : 'secondary small', 'data-action': label.toLowerCase(),
    on: { click: async () => { try { await run(s); ctx.redraw(); } catch (e) { ctx.toast(e.message, 'error'); } } },
  }, label);
  return table([
    { title: 'Master', cell: (s) => s.master_name },
    { title: 'Accounts', cell: (s) => s.account_ids.map(accountName).join(', ') },
    { title: 'Sizing', cell: (s) => `${s.sizing} ${s.size_value}` },
    { title: 'Symbol map', cell: (s) => Object.entries(s.symbol_map).map(([a, b]) => `${a}→${b}`).join(', ') || '—' },
    { title: 'Status', cell: (s) => h('span', { class: `badge ${s.status}` }, s.status) },
    { title: 'Since', cell: (s) => time(s.created_at) },
    {
      title: 'Actions', cell: (s) => (s.status === 'cancelled' ? '—' : h('div', { class: 'actions' },
        s.status === 'active' ? action(s, 'Pause', (x) => post(`/subscriptions/${x.subscription_id}/pause`))
          : action(s, 'Resume', (x) => post(`/subscriptions/${x.subscription_id}/resume`)),
        action(s, 'Cancel', async (x) => {
          if (await confirmDialog('Cancel the subscription?', 'Its accounts stop copying and its license token stops working.', 'Cancel subscription', true)) {
            await del(`/subscriptions/${x.subscription_id}`);
          }
        }, true))),
    },
  ], subscriptions, { caption: 'Your subscriptions', key: (s) => s.subscription_id });
}

const REASONS = {
  'ACCOUNT_DISABLED/subscription': 'Subscription paused',
  'RISK_REJECTED/max_followers': 'Master\'s follower limit reached',
  'RISK_REJECTED/emergency_stop': 'Emergency stop active',
  'ACCOUNT_DISABLED': 'Account switched off',
};
const reasonText = (code) => (REASONS[code] ? `${REASONS[code]} (${code})` : code);

function protectionSection(summary, events) {
  const reasons = Object.entries(summary.by_reason);
  return h('section', { class: 'card', id: 'protection-events', 'aria-labelledby': 'protection-title' },
    h('h2', { id: 'protection-title' }, 'Protection events'),
    h('p', { class: 'muted' }, 'Signals your accounts did not take: refused by the router (paused, limits, emergency stop) or by your EA.'),
    reasons.length === 0 ? emptyState('None', 'Every copied signal was taken.')
      : h('ul', { class: 'reasons' }, reasons.map(([reason, n]) => h('li', null, `${reasonText(reason)}: ${n}`))),
    events.length === 0 ? null : table([
      { title: 'When', cell: (e) => time(e.created_at) },
      { title: 'Source', cell: (e) => e.source },
      { title: 'Reason', cell: (e) => reasonText(e.reason) },
      { title: 'Account', cell: (e) => (e.account_id ? accountName(e.account_id) : '—') },
      { title: 'Symbol', cell: (e) => e.symbol || '—' },
      { title: 'Details', cell: (e) => e.details || '' },
    ], events, { caption: 'Latest protection events', key: (e) => e.id }));
}

export async function copyPage(container, ctx) {
  const shown = { token: null };
  const draw = async () => {
    if (!state.accounts.length) await loadAccounts();
    const [masters, subs, summary, events] = await Promise.all([get('/masters'), get('/subscriptions'),
      get('/protection-events/summary'), get('/protection-events?limit=20')]);
    const local = { ...ctx, redraw: () => draw().catch((e) => ctx.toast(e.message, 'error')) };
    const token = shown.token ? h('div', { class: 'card notice', id: 'license-token' },
      h('p', null, 'Save this license token now: it is shown only once. Your EA sends it to report protection events.'),
      copyField('License token', shown.token, { name: 'license' })) : null;
    shown.token = null;
    replace(container,
      token,
      h('section', { class: 'copy-follower', 'aria-labelledby': 'copy-follower-title' },
        h('h2', { id: 'copy-follower-title' }, 'Follower view'),
        subscriptionsTable(local, subs.subscriptions), followForm(local, masters.masters, shown)),
      protectionSection(summary, events.events),
      await masterPanel(local, masters.masters));
  };
  await draw();
}
