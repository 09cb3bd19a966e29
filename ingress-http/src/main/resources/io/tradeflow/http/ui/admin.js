import { h, replace, table, num, money, percentPoints, time, confirmDialog, field } from './dom.js';
import { get, post, startImpersonation } from './api.js';

function stat(label, value) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value));
}

/** Revenue from the subscriptions Stripe reported: active per plan, MRR and 30-day churn. */
function revenueSection(revenue) {
  const r = revenue || { active_subscriptions: {}, mrr: 0, canceled_last_30_days: 0, churn_rate: 0 };
  return h('section', { class: 'card', id: 'admin-revenue' }, h('h2', null, 'Revenue'),
    h('div', { class: 'summary' },
      stat('MRR', money(r.mrr)),
      ...Object.entries(r.active_subscriptions).map(([plan, n]) => stat(`Active ${plan}`, num(n))),
      stat('Cancelled (30 days)', num(r.canceled_last_30_days)),
      stat('Churn (30 days)', percentPoints(r.churn_rate * 100))));
}

/** Change a user's plan by hand, suspend or reactivate; every action is audited. */
function userActions(ctx) {
  const id = field('User id', { type: 'number', min: '1', id: 'admin-user-id', required: 'required' });
  const plan = h('select', { id: 'admin-plan' }, ['trial', 'starter', 'pro', 'elite'].map((p) => h('option', { value: p }, p)));
  const reason = field('Reason (audited)', { type: 'text', id: 'admin-reason', maxlength: '500' });
  const run = async (label, path, body) => {
    const userId = id.input.value;
    if (!userId) { ctx.toast('Enter a user id', 'error'); return; }
    try {
      await post(`/admin/users/${userId}/${path}`, body);
      ctx.toast(`${label}: user #${userId}`);
    } catch (e) { ctx.toast(e.message, 'error'); }
  };
  return h('section', { class: 'card', id: 'admin-user-actions' }, h('h2', null, 'Plan and suspension'),
    h('p', { class: 'muted' }, 'A plan set here applies from the user\'s next alert. Suspending refuses every alert, ends their sessions and refuses login until reactivated.'),
    id.row,
    h('div', { class: 'field' }, h('label', { for: 'admin-plan' }, 'Plan'), plan),
    reason.row,
    h('div', { class: 'actions wrap' },
      h('button', { type: 'button', class: 'primary', id: 'admin-set-plan', on: { click: () => run('Plan changed', 'plan', { plan: plan.value, ...(reason.input.value ? { reason: reason.input.value } : {}) }) } }, 'Set plan'),
      h('button', { type: 'button', class: 'danger', id: 'admin-suspend', on: { click: () => run('Suspended', 'suspend') } }, 'Suspend'),
      h('button', { type: 'button', class: 'secondary', id: 'admin-reactivate', on: { click: () => run('Reactivated', 'reactivate') } }, 'Reactivate')));
}

export async function adminPage(container, ctx) {
  const [stats, users, accounts] = await Promise.all([get('/admin/stats'), get('/admin/users?limit=100'), get('/admin/accounts?limit=100')]);
  const impersonate = async (u) => {
    const ok = await confirmDialog(`Act as ${u.email}?`, ['For 5 minutes you see and change everything as this user, without admin rights. The impersonation is written to the admin audit log.'], 'Impersonate');
    if (!ok) return;
    try {
      const answer = await post(`/admin/impersonate/${u.id}`);
      startImpersonation(answer);
      ctx.navigate('accounts');
    } catch (e) { ctx.toast(e.message, 'error'); }
  };
  container.append(
    h('p', { class: 'lead' }, 'Every admin call, including this page, is recorded in the admin audit log.'),
    h('div', { class: 'summary' },
      stat('Users', num(stats.users)), stat('Active users', num(stats.activeUsers)), stat('Trades', num(stats.totalTrades)),
      stat('Net P&L', money(stats.totalPnL)), stat('Win rate', percentPoints(stats.winRate))),
    revenueSection(stats.revenue),
    userActions(ctx),
    h('section', { class: 'card' }, h('h2', null, `Users (${num(users.total)})`),
      table([
        { title: 'Id', cell: (u) => `#${u.id}` },
        { title: 'Email', cell: (u) => u.email },
        { title: 'Role', cell: (u) => u.role },
        { title: 'Plan', cell: (u) => u.plan },
        { title: 'Trades', num: true, cell: (u) => num(u.trades_count) },
        { title: 'Emergency stop', cell: (u) => (u.emergency_stop ? h('span', { class: 'badge bad' }, 'active') : 'no') },
        { title: 'Signed up', cell: (u) => time(u.created_at) },
        { title: '', cell: (u) => (u.role === 'admin' ? '' : h('button', { type: 'button', class: 'secondary small', 'data-impersonate': u.email, on: { click: () => impersonate(u) } }, 'Impersonate')) },
      ], users.users || [], { caption: 'Users', key: (u) => u.email })),
    h('section', { class: 'card' }, h('h2', null, 'Accounts'),
      table([
        { title: 'Id', cell: (a) => `#${a.id}` },
        { title: 'User', cell: (a) => `#${a.user_id}` },
        { title: 'Broker', cell: (a) => a.broker },
        { title: 'Label', cell: (a) => a.label },
        { title: 'On', cell: (a) => (a.enabled ? 'yes' : 'no') },
        { title: 'Keys (masked)', class: 'mono', cell: (a) => (a.api_keys || []).join(', ') },
        { title: 'Created', cell: (a) => time(a.created_at) },
      ], accounts.accounts || [], { caption: 'Accounts' })),
    h('section', { class: 'card' }, h('h2', null, 'Audit log'),
      h('p', { class: 'muted' }, 'Every admin call is written to the admin_audit table. Its dashboard route does not exist yet; until it does, read it in the database.')));
}
