import { h, replace, table, num, money, percentPoints, time, confirmDialog } from './dom.js';
import { get, post, startImpersonation } from './api.js';

function stat(label, value) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value));
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
