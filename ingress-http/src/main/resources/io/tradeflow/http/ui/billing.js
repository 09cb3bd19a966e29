// Plans and billing: the caller's plan and its state, every plan's price and limits, upgrade through
// Stripe Checkout and manage (payment method, invoices, cancellation) through Stripe's customer portal.
import { h, num, time } from './dom.js';
import { get, post } from './api.js';

const STATUS_BADGE = { active: 'ok', grace: 'warn', lapsed: 'bad' };

function limit(value, one, many) {
  if (value === 0) return `Unlimited ${many}`;
  return `${num(value)} ${value === 1 ? one : many}`;
}

function planCard(p, current, configured, ctx) {
  const isCurrent = p.plan === current.plan;
  const price = p.price_per_month > 0 ? `${num(p.price_per_month)} / month` : 'Free';
  let action = null;
  if (isCurrent) {
    action = h('span', { class: 'badge ok' }, 'Current plan');
  } else if (p.purchasable) {
    action = h('button', {
      type: 'button', class: 'primary', 'data-upgrade': p.plan, disabled: configured ? null : 'disabled',
      on: { click: async (ev) => {
        ev.target.disabled = true;
        try {
          const answer = await post('/billing/create-checkout-session', { plan: p.plan });
          window.location.assign(answer.url);
        } catch (e) { ctx.toast(e.message, 'error'); ev.target.disabled = false; }
      } },
    }, `Choose ${p.plan}`);
  }
  return h('section', { class: ['card', 'plan', isCurrent ? 'current' : null], 'data-plan': p.plan },
    h('h2', null, p.plan.charAt(0).toUpperCase() + p.plan.slice(1)),
    h('p', { class: 'plan-price' }, price),
    h('ul', { class: 'plan-limits' },
      // The trial is bounded by its trades and days, not by alerts a day.
      p.plan === 'trial' && p.trial_trades != null
        ? h('li', null, `${limit(p.trial_trades, 'trade', 'trades')} within ${limit(p.trial_days, 'day', 'days')}`)
        : h('li', null, limit(p.alerts_per_day, 'entry alert a day', 'entry alerts a day')),
      h('li', null, limit(p.broker_accounts, 'broker account', 'broker accounts')),
      h('li', null, p.brokers.length ? `Brokers: ${p.brokers.join(', ')}` : 'Every broker'),
      h('li', null, p.copy_followers ? `${num(p.copy_followers)} copy-trading followers` : 'No copy-trading followers (following masters is allowed)'),
      h('li', null, `Webhook log kept ${num(p.log_retention_days)} days`)),
    action);
}

export async function billingPage(container, ctx) {
  const s = await get('/api/billing/status');
  const warnings = [];
  if (!s.configured) {
    warnings.push(h('p', { class: 'notice', id: 'billing-not-configured' },
      'Billing is not configured on this server: the operator has to set billing.stripe.secret-key and billing.stripe.webhook-secret. Everything else works.'));
  }
  if (s.status === 'grace') {
    warnings.push(h('p', { class: 'notice warn', id: 'billing-grace', role: 'alert' },
      `Your last payment failed. Routing continues until ${time(s.grace_ends_at)}; update your payment method to keep trading.`));
  } else if (s.status === 'lapsed') {
    warnings.push(h('p', { class: 'notice bad', id: 'billing-lapsed', role: 'alert' },
      'Your plan has lapsed: new entries are refused (PLAN_LAPSED); exits still work. Pay the open invoice or choose a plan.'));
  }
  const manage = h('button', {
    type: 'button', class: 'secondary', id: 'billing-manage', disabled: s.configured ? null : 'disabled',
    on: { click: async () => {
      try { window.location.assign((await post('/billing/create-portal-session')).url); } catch (e) { ctx.toast(e.message, 'error'); }
    } },
  }, 'Manage billing');
  container.append(
    ...warnings,
    h('section', { class: 'card', id: 'billing-current' },
      h('h2', null, 'Your plan'),
      h('dl', { class: 'facts' },
        h('dt', null, 'Plan'), h('dd', { id: 'billing-plan' }, s.plan),
        h('dt', null, 'Status'), h('dd', null, h('span', { class: ['badge', STATUS_BADGE[s.status]], id: 'billing-status' }, s.status)),
        s.current_period_end ? [h('dt', null, s.cancel_at_period_end ? 'Ends' : 'Renews'), h('dd', null, time(s.current_period_end))] : null,
        s.grace_ends_at ? [h('dt', null, 'Grace ends'), h('dd', null, time(s.grace_ends_at))] : null),
      // The portal needs a Stripe customer: one exists once a plan was bought.
      s.plan !== 'trial' ? h('div', { class: 'actions' }, manage) : null),
    h('div', { class: 'plans' }, s.plans.map((p) => planCard(p, s, s.configured, ctx))));
}
