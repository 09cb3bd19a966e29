import { h, replace, field, table, emptyState, time, copyField, confirmDialog } from './dom.js';
import { get, put, post, patch, del, query } from './api.js';

/** Notification settings: which event goes where, the webhook channels, test sends. */
export async function notificationsPage(container, ctx) {
  const prefs = await get('/notifications/preferences');
  const { channels } = await get('/notifications/channels');
  const grid = preferencesGrid(prefs, ctx);
  container.append(
    mailNote(prefs),
    grid,
    channelsCard(channels, ctx, () => notificationsPage(replaceWith(container), ctx)),
    h('p', null, h('a', { href: '#/deliveries', id: 'to-deliveries' }, 'See the delivery log →')));
}

function replaceWith(container) {
  replace(container);
  return container;
}

function mailNote(prefs) {
  if (!prefs.mail_enabled) {
    return h('p', { class: 'banner', id: 'mail-note' }, 'Email is not configured on this server: only webhooks deliver.');
  }
  if (!prefs.email_verified) {
    return h('p', { class: 'banner', id: 'mail-note' }, 'Emails go only to a confirmed address: confirm yours from the Profile page.');
  }
  return null;
}

function preferencesGrid(prefs, ctx) {
  const status = h('p', { class: 'saved', role: 'status' });
  const boxes = [];
  const rows = prefs.events.map((e) => {
    const email = h('input', { type: 'checkbox', checked: e.email, 'data-event': e.event, 'data-channel': 'email', 'aria-label': `${e.description}: email` });
    const webhook = h('input', { type: 'checkbox', checked: e.webhook, 'data-event': e.event, 'data-channel': 'webhook', 'aria-label': `${e.description}: webhooks` });
    boxes.push(email, webhook);
    return { ...e, email, webhook };
  });
  const form = h('form', {
    class: 'card', id: 'notification-preferences',
    on: { submit: async (event) => {
      event.preventDefault();
      status.textContent = '';
      const preferences = {};
      for (const r of rows) preferences[r.event] = { email: r.email.checked, webhook: r.webhook.checked };
      try {
        await put('/notifications/preferences', { preferences });
        status.textContent = 'Saved.';
        ctx.toast('Notification preferences saved.');
      } catch (e) { status.textContent = e.message; }
    } },
  },
  h('h2', null, 'What you are told, and where'),
  table([
    { title: 'Event', cell: (r) => r.description },
    { title: 'Email', cell: (r) => r.email, class: 'check' },
    { title: 'Webhooks', cell: (r) => r.webhook, class: 'check' },
  ], rows, { key: (r) => r.event, caption: 'Notification preferences' }),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary' }, 'Save preferences'),
    prefs.mail_enabled && prefs.email_verified ? h('button', {
      type: 'button', class: 'secondary', id: 'test-email',
      on: { click: async () => {
        try {
          const { delivery } = await post('/notifications/email/test');
          ctx.toast(delivery.status === 'sent' ? 'Test email sent.' : `Test email failed: ${delivery.last_error}`, delivery.status === 'sent' ? 'info' : 'error');
        } catch (e) { ctx.toast(e.message, 'error'); }
      } },
    }, 'Send a test email') : null),
  status);
  return form;
}

function channelsCard(channels, ctx, redraw) {
  const label = field('Name', { name: 'label', type: 'text', maxlength: 100, placeholder: 'Discord #alerts' });
  const url = field('Webhook URL', { name: 'url', type: 'url', required: true, placeholder: 'https://discord.com/api/webhooks/…' },
    'Discord and Slack incoming webhooks work as they are; for Telegram, the bot’s sendMessage URL with ?chat_id=<chat>. Other receivers can check the X-TradeFlow-Signature header.');
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const secretArea = h('div', { id: 'channel-secret' });
  const list = channels.length === 0
    ? emptyState('No webhooks yet', 'Add a Discord or Slack webhook URL to get notifications in a channel.')
    : table([
      { title: 'Name', cell: (c) => c.label },
      { title: 'URL', cell: (c) => h('span', { class: 'mono url' }, c.url) },
      { title: 'On', cell: (c) => h('input', { type: 'checkbox', checked: c.enabled, 'aria-label': `${c.label} enabled`,
        on: { change: async (e) => { try { await patch(`/notifications/channels/${c.id}`, { enabled: e.target.checked }); } catch (err) { ctx.toast(err.message, 'error'); } } } }) },
      { title: 'Actions', cell: (c) => h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: 'secondary small', 'data-test-channel': c.id,
          on: { click: async () => {
            try {
              const { delivery } = await post(`/notifications/channels/${c.id}/test`);
              ctx.toast(delivery.status === 'sent' ? `Test sent to ${c.label}.` : `Test failed: ${delivery.last_error}`, delivery.status === 'sent' ? 'info' : 'error');
            } catch (e) { ctx.toast(e.message, 'error'); }
          } } }, 'Send test'),
        h('button', { type: 'button', class: 'danger small', 'data-delete-channel': c.id,
          on: { click: async () => {
            if (!await confirmDialog('Delete webhook', `Stop sending notifications to ${c.label}?`, 'Delete', true)) return;
            try { await del(`/notifications/channels/${c.id}`); redraw(); } catch (e) { ctx.toast(e.message, 'error'); }
          } } }, 'Delete')) },
    ], channels, { key: (c) => c.id, caption: 'Webhook channels' });
  return h('section', { class: 'card', id: 'notification-channels' },
    h('h2', null, 'Webhooks'),
    list,
    secretArea,
    h('form', {
      id: 'add-channel', novalidate: true,
      on: { submit: async (event) => {
        event.preventDefault();
        formError.textContent = '';
        url.error.textContent = '';
        try {
          const answer = await post('/notifications/channels', { label: label.input.value.trim() || undefined, url: url.input.value.trim() });
          await redraw();
          const area = document.getElementById('channel-secret');
          if (area) {
            replace(area, h('div', { class: 'secret-once' },
              h('p', null, h('strong', null, 'Signing secret, shown once: '), 'receivers that check signatures need it.'),
              copyField('Secret', answer.secret, { name: 'channel-secret' })));
          }
        } catch (e) {
          if (e.field === 'url') url.error.textContent = e.message; else formError.textContent = e.message;
        }
      } },
    }, h('h3', null, 'Add a webhook'), label.row, url.row, formError, h('button', { type: 'submit', class: 'primary' }, 'Add webhook')));
}

/** The delivery log: every notification sent, retried or failed, newest first. */
export async function deliveriesPage(container) {
  const limit = 25;
  const offset = Number(new URLSearchParams(location.hash.split('?')[1] || '').get('offset') || 0);
  const answer = await get(`/notifications/deliveries${query({ limit, offset })}`);
  if (answer.deliveries.length === 0 && offset === 0) {
    container.append(emptyState('Nothing sent yet', 'Notifications and test sends appear here with their status.'));
    return;
  }
  container.append(table([
    { title: 'When', cell: (d) => time(d.created_at) },
    { title: 'Event', cell: (d) => d.event },
    { title: 'Channel', cell: (d) => (d.channel === 'email' ? 'email' : `webhook #${d.channel_id}`) },
    { title: 'Message', cell: (d) => d.title },
    { title: 'Status', cell: (d) => h('span', { class: `status ${d.status}` }, d.status) },
    { title: 'Attempts', cell: (d) => String(d.attempts), num: true },
    { title: 'Detail', cell: (d) => (d.status === 'pending' ? `next try ${time(d.next_attempt_at)}` : d.last_error || (d.sent_at ? `sent ${time(d.sent_at)}` : '')) },
  ], answer.deliveries, { key: (d) => d.id, caption: 'Notification deliveries' }),
  h('nav', { class: 'pager', 'aria-label': 'Pages' },
    offset > 0 ? h('a', { href: `#/deliveries?offset=${Math.max(0, offset - limit)}` }, '← Newer') : null,
    h('span', null, ` ${offset + 1}–${offset + answer.deliveries.length} of ${answer.total} `),
    offset + limit < answer.total ? h('a', { href: `#/deliveries?offset=${offset + limit}`, id: 'older' }, 'Older →') : null));
}
