import { h, replace, field, emptyState, table, copyField, time, confirmDialog, money, signClass } from './dom.js';
import { get, post, del } from './api.js';
import { state, accountName, loadAccounts } from './app.js';

// Copy trading: the master panel (publish an account, its followers as aliases and counts) and the
// follower view (follow a master, subscriptions with pause / resume / cancel, protection events).
// Groups: the master's groups (invite code and link, members by alias, settlement for the last 30 days)
// and, in the follower view, joining with a code (a link #/copy?join=CODE fills it in) and leaving.

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

async function masterPanel(ctx, masters, groups) {
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
    list, form, await groupsPanel(ctx, own, groups));
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

const DAY_MS = 86400000;

function actionButton(ctx, label, name, run, danger) {
  return h('button', {
    type: 'button', class: danger ? 'danger small' : 'secondary small', 'data-action': name,
    on: { click: async () => { try { await run(); ctx.redraw(); } catch (e) { ctx.toast(e.message, 'error'); } } },
  }, label);
}

/** One of the master's groups: invite code and link, members (aliases), and the settlement of the last 30 days. */
async function groupCard(ctx, g) {
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY_MS);
  const [detail, report] = await Promise.all([get(`/groups/${g.group_id}`),
    get(`/groups/${g.group_id}/settlement?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`)]);
  const open = g.status === 'active';
  const members = detail.members.length === 0
    ? emptyState('No member yet', 'Share the invite code or link; members appear here by alias.')
    : table([
      { title: 'Member', cell: (m) => m.alias },
      { title: 'Status', cell: (m) => h('span', { class: `badge ${m.status === 'active' ? 'active' : 'paused'}` }, m.status) },
      { title: 'Joined', cell: (m) => time(m.joined_at) },
      {
        title: 'Actions', cell: (m) => (m.status !== 'active' || !open ? '—' : actionButton(ctx, 'Remove', 'remove-member', async () => {
          if (await confirmDialog(`Remove ${m.alias}?`, 'The member leaves the group; their past settlement stays.', 'Remove', true)) {
            await del(`/groups/${g.group_id}/members/${m.member_id}`);
          }
        }, true)),
      },
    ], detail.members, { caption: `Members of ${g.name}`, key: (m) => m.member_id });
  const settlement = h('div', { class: 'settlement' },
    h('h4', null, 'Settlement, last 30 days'),
    h('p', { class: 'muted' }, `Net realised profit on the orders copied from ${g.master_name} and the ${money(g.fee_percent)} % fee owed. A report: no money moves.`),
    report.members.length === 0 ? emptyState('Nothing to settle', 'No member in this period.') : table([
      { title: 'Member', cell: (m) => m.alias },
      { title: 'Orders', num: true, cell: (m) => String(m.orders) },
      { title: 'Net profit', num: true, cell: (m) => h('span', { class: signClass(m.net_profit) }, money(m.net_profit)) },
      { title: 'Fee owed', num: true, cell: (m) => money(m.fee) },
    ], report.members, { caption: `Settlement of ${g.name}`, key: (m) => m.member_id }),
    h('p', { class: 'totals' }, `Total: ${report.orders} orders, net profit ${money(report.net_profit)}, fees ${money(report.fees)}`));
  return h('article', { class: 'card group', 'data-group': g.group_id },
    h('h3', null, `${g.name} `, h('span', { class: `badge ${open ? 'active' : 'cancelled'}` }, g.status)),
    h('p', { class: 'muted' }, `Follows ${g.master_name} · fee ${money(g.fee_percent)} % · ${g.members_active} active member${g.members_active === 1 ? '' : 's'}`),
    open ? h('div', { class: 'invite' },
      copyField('Invite code', g.invite_code, { name: 'invite-code' }),
      copyField('Invite link', g.invite_url, { name: 'invite-url' })) : null,
    open ? h('div', { class: 'actions' },
      actionButton(ctx, 'New invite code', 'regenerate-code', () => post(`/groups/${g.group_id}/invite_code/regenerate`)),
      actionButton(ctx, 'Close group', 'close-group', async () => {
        if (await confirmDialog(`Close ${g.name}?`, 'Nobody can join any more and every membership ends.', 'Close group', true)) {
          await del(`/groups/${g.group_id}`);
        }
      }, true)) : null,
    h('h4', null, 'Members'), members, settlement);
}

async function groupsPanel(ctx, own, groups) {
  const cards = [];
  for (const g of groups) cards.push(await groupCard(ctx, g));
  if (own.length === 0) return h('div', { id: 'copy-groups' }, cards);
  const fields = {
    master_id: field('Master', { tag: 'select', name: 'master_id', options: own.map((m) => [m.master_id, m.name]) }),
    name: field('Group name', { type: 'text', name: 'name', maxlength: 60, placeholder: 'VIP members', autocomplete: 'off' }),
    fee_percent: field('Performance fee (%)', { type: 'number', name: 'fee_percent', min: 0, max: 100, step: '0.01', value: '20', inputmode: 'decimal' },
      'Owed on each member\'s net profit from your copied signals.'),
  };
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', {
    class: 'card settings', id: 'create-group', novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        clearErrors(fields, error);
        try {
          await post('/groups', { master_id: Number(fields.master_id.input.value), name: fields.name.input.value,
            fee_percent: fields.fee_percent.input.value === '' ? undefined : Number(fields.fee_percent.input.value) });
          ctx.toast('Group created: share its invite code.');
          ctx.redraw();
        } catch (e) { formError(e, fields, error); }
      },
    },
  }, h('h3', null, 'Create a group'), Object.values(fields).map((f) => f.row), error,
  h('button', { type: 'submit', class: 'primary' }, 'Create group'));
  return h('div', { id: 'copy-groups' },
    h('h3', null, 'Groups'),
    cards.length === 0 ? emptyState('No group yet', 'Create a group to invite members and settle performance fees.') : cards, form);
}

/** The follower's side of groups: join with a code (prefilled from an invite link) and the memberships. */
function joinGroup(ctx, memberships, code) {
  const fields = {
    invite_code: field('Invite code', { type: 'text', name: 'invite_code', maxlength: 10, value: code || '', autocomplete: 'off', placeholder: 'ABCD2345EF' }),
    alias: field('Alias the master sees', { type: 'text', name: 'alias', maxlength: 32, autocomplete: 'off', placeholder: 'optional' },
      'Your email and accounts stay private.'),
  };
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', {
    class: 'card settings', id: 'join-group', novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        clearErrors(fields, error);
        const body = { invite_code: fields.invite_code.input.value.trim() };
        if (fields.alias.input.value.trim()) body.alias = fields.alias.input.value.trim();
        try {
          const joined = await post('/groups/join', body);
          ctx.toast(`Joined ${joined.group_name}. Follow ${joined.master_name} to copy its signals.`);
          if (location.hash.includes('?')) history.replaceState(null, '', '#/copy');
          ctx.redraw();
        } catch (e) { formError(e, fields, error); }
      },
    },
  }, h('h2', null, 'Join a group'), fields.invite_code.row, fields.alias.row, error,
  h('button', { type: 'submit', class: 'primary' }, 'Join'));
  const list = memberships.length === 0 ? null : table([
    { title: 'Group', cell: (m) => m.group_name },
    { title: 'Master', cell: (m) => m.master_name },
    { title: 'Fee', num: true, cell: (m) => `${money(m.fee_percent)} %` },
    { title: 'Alias', cell: (m) => m.alias },
    { title: 'Status', cell: (m) => h('span', { class: `badge ${m.status === 'active' ? 'active' : 'cancelled'}` }, m.status) },
    {
      title: 'Actions', cell: (m) => (m.status !== 'active' ? '—' : actionButton(ctx, 'Leave', 'leave-group', async () => {
        if (await confirmDialog(`Leave ${m.group_name}?`, 'Your subscriptions stay; cancel them separately.', 'Leave group', true)) {
          await post(`/groups/${m.group_id}/leave`);
        }
      }, true)),
    },
  ], memberships, { caption: 'Your groups', key: (m) => m.member_id });
  return h('div', { class: 'copy-groups-member', id: 'my-groups' },
    list ? h('h3', null, 'Groups you belong to') : null, list, form);
}

export async function copyPage(container, ctx) {
  const shown = { token: null };
  const draw = async () => {
    if (!state.accounts.length) await loadAccounts();
    const [masters, subs, summary, events, groups] = await Promise.all([get('/masters'), get('/subscriptions'),
      get('/protection-events/summary'), get('/protection-events?limit=20'), get('/groups')]);
    const code = new URLSearchParams(location.hash.split('?')[1] || '').get('join');
    const local = { ...ctx, redraw: () => draw().catch((e) => ctx.toast(e.message, 'error')) };
    const token = shown.token ? h('div', { class: 'card notice', id: 'license-token' },
      h('p', null, 'Save this license token now: it is shown only once. Your EA sends it to report protection events.'),
      copyField('License token', shown.token, { name: 'license' })) : null;
    shown.token = null;
    replace(container,
      token,
      h('section', { class: 'copy-follower', 'aria-labelledby': 'copy-follower-title' },
        h('h2', { id: 'copy-follower-title' }, 'Follower view'),
        subscriptionsTable(local, subs.subscriptions), followForm(local, masters.masters, shown),
        joinGroup(local, groups.memberships, code)),
      protectionSection(summary, events.events),
      await masterPanel(local, masters.masters, groups.groups));
  };
  await draw();
}
