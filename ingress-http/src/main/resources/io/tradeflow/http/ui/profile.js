import { h, time, num } from './dom.js';
import { securityCard } from './security.js';

export async function profilePage(container, ctx) {
  await ctx.refreshProfile();
  const p = ctx.state.profile;
  container.append(
    h('section', { class: 'card' },
      h('h2', null, 'Your account'),
      h('dl', { class: 'facts' },
        p.name ? [h('dt', null, 'Name'), h('dd', null, p.name)] : null,
        h('dt', null, 'Email'), h('dd', { id: 'profile-email' }, p.email),
        h('dt', null, 'Role'), h('dd', null, p.role),
        h('dt', null, 'Plan'), h('dd', null, p.plan),
        h('dt', null, 'Trades used'), h('dd', null, num(p.trades_count)),
        h('dt', null, 'Emergency stop'), h('dd', null, p.emergency_stop ? 'active' : 'off'),
        h('dt', null, 'Member since'), h('dd', null, time(p.created_at)))),
    h('section', { class: 'card' },
      h('h2', null, 'Name and password'),
      h('p', { class: 'muted' }, 'Changing your name or password from the dashboard is not available yet: the API has no route for it. Log out and use a new account, or ask an admin.')),
    await securityCard(ctx));
}
