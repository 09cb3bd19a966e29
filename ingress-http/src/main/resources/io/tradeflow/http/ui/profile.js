import { h, time, num, field } from './dom.js';
import { patch, post, setSession } from './api.js';
import { securityCard } from './security.js';

export async function profilePage(container, ctx) {
  await ctx.refreshProfile();
  const p = ctx.state.profile;
  container.append(
    h('section', { class: 'card' },
      h('h2', null, 'Your account'),
      h('dl', { class: 'facts' },
        h('dt', null, 'Name'), h('dd', { id: 'profile-name' }, p.name || '—'),
        h('dt', null, 'Email'), h('dd', { id: 'profile-email' }, p.email),
        h('dt', null, 'Role'), h('dd', null, p.role),
        h('dt', null, 'Plan'), h('dd', null, p.plan),
        h('dt', null, 'Trades used'), h('dd', null, num(p.trades_count)),
        h('dt', null, 'Emergency stop'), h('dd', null, p.emergency_stop ? 'active' : 'off'),
        h('dt', null, 'Member since'), h('dd', null, time(p.created_at)))),
    nameAndPasswordCard(ctx, p),
    await securityCard(ctx));
}

/** Renames the user (PATCH /user/profile) and changes the password (every other session ends). */
function nameAndPasswordCard(ctx, p) {
  const name = field('Name', { name: 'name', type: 'text', value: p.name || '', maxlength: 100, autocomplete: 'name' });
  const oldPassword = field('Current password', { name: 'old_password', type: 'password', autocomplete: 'current-password' });
  const newPassword = field('New password', { name: 'new_password', type: 'password', autocomplete: 'new-password' },
    'Signing in elsewhere ends when it changes.');
  const fail = (fields, err) => {
    const f = fields.find((x) => x.row.dataset.field === err.field) || fields[0];
    f.error.textContent = err.message;
    f.input.focus();
  };
  return h('section', { class: 'card', id: 'name-and-password' },
    h('h2', null, 'Name and password'),
    h('form', {
      id: 'rename',
      on: { submit: async (e) => {
        e.preventDefault();
        name.error.textContent = '';
        try {
          await patch('/user/profile', { name: name.input.value.trim() });
          await ctx.refreshProfile();
          document.getElementById('profile-name').textContent = ctx.state.profile.name || '—';
          ctx.toast('Name saved.');
        } catch (err) { fail([name], err); }
      } },
    }, name.row, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Save name'))),
    h('form', {
      id: 'change-password',
      on: { submit: async (e) => {
        e.preventDefault();
        oldPassword.error.textContent = '';
        newPassword.error.textContent = '';
        try {
          const answer = await post('/auth/change_password',
            { old_password: oldPassword.input.value, new_password: newPassword.input.value });
          setSession(answer);
          oldPassword.input.value = '';
          newPassword.input.value = '';
          ctx.toast('Password changed; every other session has been signed out.');
        } catch (err) { fail([oldPassword, newPassword], err); }
      } },
    }, oldPassword.row, newPassword.row,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Change password'))));
}
