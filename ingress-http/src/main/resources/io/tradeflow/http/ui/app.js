// TradeFlow's web dashboard: plain ES modules served by TradeFlow itself (no build step, no CDN).
import { h, replace, confirmDialog, num, time } from './dom.js';
import {
  currentSession, onSessionChange, get, post, logOut, stopImpersonation, refresh,
} from './api.js';
import { loginPage, signupPage, forgotPage, resetPage, verifyPage } from './auth.js';
import { accountsPage } from './accounts.js';
import { positionsPage, ordersPage, logPage } from './trading.js';
import { riskPage, alertSettingsPage } from './settings.js';
import { analyticsPage } from './analytics.js';
import { adminPage } from './admin.js';
import { profilePage } from './profile.js';
import { startLive, stopLive as stopStream, onLive, liveIndicator } from './live.js';
import { notificationsPage, deliveriesPage } from './notifications.js';
import { copyPage } from './copy.js';
import { billingPage } from './billing.js';

const PAGES = [
  { path: 'accounts', title: 'Accounts', render: accountsPage },
  { path: 'positions', title: 'Positions', render: positionsPage },
  { path: 'orders', title: 'Orders', render: ordersPage },
  { path: 'log', title: 'Webhook log', render: logPage },
  { path: 'risk', title: 'Risk controls', render: riskPage },
  { path: 'alerts', title: 'Alert settings', render: alertSettingsPage },
  { path: 'analytics', title: 'Analytics', render: analyticsPage },
  { path: 'notifications', title: 'Notifications', render: notificationsPage },
  { path: 'deliveries', title: 'Delivery log', render: deliveriesPage },
  { path: 'copy', title: 'Copy trading', render: copyPage },
  { path: 'profile', title: 'Profile', render: profilePage },
  { path: 'billing', title: 'Billing', render: billingPage },
  { path: 'admin', title: 'Admin', render: adminPage, admin: true },
];

const root = document.getElementById('app');

/** What the shell knows about the user: their profile (trial, emergency stop) and accounts. */
export const state = { profile: null, accounts: [], usage: null, billing: null };

// ---- live updates: pushed by the live stream (live.js), no polling ----
const LIVE_TYPES = ['order_update', 'position_update', 'balance_update', 'pnl_update', 'alert_decided'];
let pageLive = null;
/**
 * Runs fn now, and again whenever the live stream reports a change (or asks for a reload). The
 * tables come from the database, which the journal's projection updates milliseconds after the
 * event: fn runs shortly after the message and once more a moment later.
 */
export function live(fn, _intervalMs, types = LIVE_TYPES) {
  stopLive();
  const me = { stopped: false, timer: null, again: null };
  pageLive = me;
  const run = async () => {
    if (me.stopped) return;
    try { await fn(); } catch (e) { /* the page shows its own error */ }
  };
  me.off = onLive((m) => {
    if (me.stopped || (m.type !== 'reload' && !types.includes(m.type))) return;
    clearTimeout(me.timer);
    clearTimeout(me.again);
    me.timer = setTimeout(run, 100);
    me.again = setTimeout(run, 800);
  });
  run();
}
function stopLive() {
  if (pageLive) {
    pageLive.stopped = true;
    clearTimeout(pageLive.timer);
    clearTimeout(pageLive.again);
    pageLive.off();
    pageLive = null;
  }
}

// ---- toasts ----
let toastArea;
export function toast(message, kind = 'info') {
  const item = h('div', { class: ['toast', kind], role: kind === 'error' ? 'alert' : 'status' }, message);
  toastArea.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

export async function loadAccounts() {
  const answer = await get('/api/user/brokers');
  state.accounts = answer.accounts || [];
  return state.accounts;
}

export function accountName(id) {
  const account = state.accounts.find((a) => a.id === id);
  return account ? `${account.label} (#${id})` : `#${id}`;
}

export function accountOptions(withAll) {
  const options = state.accounts.map((a) => [a.id, `${a.label} · ${a.broker} (#${a.id})`]);
  return withAll ? [['', 'All accounts'], ...options] : options;
}

async function loadProfile() {
  state.profile = await get('/user/profile');
  try {
    // The billing route comes with the contract issue; until it exists the trial is computed from the profile.
    state.usage = await get('/api/billing/usage');
  } catch (e) {
    state.usage = null;
  }
  try {
    state.billing = await get('/api/billing/status');
  } catch (e) {
    state.billing = null;
  }
  renderBanners();
}

// ---- shell ----
let bannerArea;
let main;
let nav;

function navigate(path) {
  if (location.hash !== `#/${path}`) location.hash = `#/${path}`; else route();
}
export { navigate };

function trialBanner() {
  const p = state.profile;
  if (!p || p.plan !== 'trial') return null;
  const u = state.usage || {};
  const maxTrades = u.trades_limit ?? u.max_trades ?? 100;
  const used = u.trades_used ?? u.trades_count ?? p.trades_count ?? 0;
  const days = u.days_limit ?? u.trial_days ?? 3;
  const created = new Date(p.created_at);
  const daysLeft = u.days_remaining ?? Math.max(0, Math.ceil(days - (Date.now() - created.getTime()) / 86400000));
  const tradesLeft = u.trades_remaining ?? Math.max(0, maxTrades - used);
  return h('div', { class: 'banner trial', id: 'trial-banner' },
    h('span', null, 'Free trial: ', h('strong', null, `${num(tradesLeft)} trades`), ' / ',
      h('strong', null, `${num(daysLeft)} ${daysLeft === 1 ? 'day' : 'days'}`), ' left'),
    h('button', {
      type: 'button', class: 'secondary small', id: 'trial-upgrade',
      on: { click: () => navigate('billing') },
    }, 'Upgrade'));
}

/** A failed payment (grace: routing continues) or a lapsed plan (entries refused). */
function billingBanner() {
  const b = state.billing;
  if (!b || (b.status !== 'grace' && b.status !== 'lapsed')) return null;
  const text = b.status === 'grace'
    ? `Payment failed: routing continues until ${time(b.grace_ends_at)}. Update your payment method.`
    : 'Your plan has lapsed: new entries are refused, exits still work.';
  return h('div', { class: ['banner', b.status], id: 'billing-banner', role: 'alert' },
    h('span', null, text),
    h('button', { type: 'button', class: 'secondary small', on: { click: () => navigate('billing') } }, 'Billing'));
}

function stopBanner() {
  const p = state.profile;
  if (!p || !p.emergency_stop) return null;
  return h('div', { class: 'banner stopped', id: 'stop-banner', role: 'alert' },
    h('strong', null, 'Emergency stop is active.'),
    ' New entries are refused on every account; exits still work.',
    h('button', { type: 'button', class: 'secondary small', id: 'stop-reset', on: { click: resetStop } }, 'Reset emergency stop'));
}

function impersonationBanner() {
  const s = currentSession();
  if (!s.impersonating) return null;
  return h('div', { class: 'banner impersonating', id: 'impersonation-banner', role: 'alert' },
    h('strong', null, 'Impersonating '), s.impersonating.user.email,
    ` (user #${s.impersonating.user.id}) until ${time(s.impersonating.until)}. Everything you do here is done as this user.`,
    h('button', { type: 'button', class: 'secondary small', id: 'impersonation-stop', on: { click: () => { stopImpersonation(); navigate('admin'); } } }, 'Stop impersonating'));
}

function renderBanners() {
  if (bannerArea) replace(bannerArea, impersonationBanner(), stopBanner(), billingBanner(), trialBanner());
  if (emergencyButton) emergencyButton.disabled = !!(state.profile && state.profile.emergency_stop);
}

async function emergencyStop() {
  const ok = await confirmDialog('Emergency stop',
    ['This blocks every new entry on all your accounts, then closes every open position at market.',
      'Alerts that exit positions keep working. You can lift the block afterwards with Reset.'],
    'Stop everything', true);
  if (!ok) return;
  try {
    const answer = await post('/api/user/emergency_stop');
    const closed = (answer.closed || []).length;
    toast(`Emergency stop active: ${closed} position${closed === 1 ? '' : 's'} closed.`, 'warn');
  } catch (e) {
    toast(`Emergency stop failed: ${e.message}`, 'error');
  }
  await loadProfile().catch(() => {});
  route();
}

async function resetStop() {
  try {
    await post('/api/user/emergency_stop/reset');
    toast('Emergency stop lifted: new entries are accepted again.');
  } catch (e) {
    toast(`Reset failed: ${e.message}`, 'error');
  }
  await loadProfile().catch(() => {});
  route();
}

let emergencyButton;

function shell() {
  const s = currentSession();
  const isAdmin = (s.user && s.user.role === 'admin');
  emergencyButton = h('button', { type: 'button', class: 'emergency', id: 'emergency-stop', on: { click: emergencyStop } }, 'Emergency Stop');
  nav = h('nav', { class: 'nav', 'aria-label': 'Main' },
    h('ul', null, PAGES.filter((p) => !p.admin || isAdmin).map((p) => h('li', null,
      h('a', { href: `#/${p.path}`, 'data-nav': p.path }, p.title)))));
  bannerArea = h('div', { class: 'banners' });
  main = h('main', { id: 'main', tabindex: '-1' });
  toastArea = h('div', { class: 'toasts', 'aria-live': 'polite' });
  replace(root,
    h('a', { class: 'skip', href: '#main', on: { click: (e) => { e.preventDefault(); main.focus(); } } }, 'Skip to content'),
    h('header', { class: 'top' },
      h('a', { class: 'brand', href: '#/accounts' }, h('img', { src: '/ui/favicon.svg', alt: '', width: 24, height: 24 }), 'TradeFlow'),
      h('div', { class: 'top-actions' },
        liveIndicator(h),
        h('span', { class: 'who', id: 'who' }, s.user ? s.user.email : ''),
        emergencyButton,
        h('button', { type: 'button', class: 'secondary small', id: 'logout', on: { click: () => logOut() } }, 'Log out'))),
    nav, bannerArea, main, toastArea);
  renderBanners();
}

let shellFor = null;

async function route() {
  stopLive();
  const path = (location.hash.replace(/^#\/?/, '') || '').split('?')[0];
  const s = currentSession();
  // The links of the reset and verification mails work signed in or out.
  const publicPage = { signup: signupPage, forgot: forgotPage, reset: resetPage, verify: verifyPage }[path];
  if (!s.accessToken || path === 'reset' || path === 'verify') {
    shellFor = null;
    toastArea = h('div', { class: 'toasts', 'aria-live': 'polite' });
    const page = (!s.accessToken || path !== 'signup') && publicPage ? publicPage : loginPage;
    const container = h('main', { id: 'main', class: 'auth' });
    replace(root, container, toastArea);
    page(container, { navigate, toast });
    return;
  }
  const page = PAGES.find((p) => p.path === path);
  if (!page) { navigate('accounts'); return; }
  const key = `${s.user && s.user.id}:${!!s.impersonating}`;
  if (shellFor !== key) {
    shell();
    shellFor = key;
    // A new user (or impersonation) gets its own stream.
    stopStream();
    startLive();
    await Promise.all([loadProfile(), loadAccounts()]).catch((e) => toast(e.message, 'error'));
  } else {
    // The trial count and the emergency stop change with every alert: refresh them on each page.
    loadProfile().catch(() => {});
  }
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.nav === page.path) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  document.title = `${page.title} · TradeFlow`;
  replace(main, h('h1', null, page.title));
  const body = h('div', { class: 'page', id: `page-${page.path}` });
  main.append(body);
  try {
    await page.render(body, { navigate, toast, live, state, refreshProfile: loadProfile });
  } catch (e) {
    body.append(h('p', { class: 'error' }, `Could not load this page: ${e.message}`));
  }
}

onSessionChange((s) => {
  // Signed out (or the session expired): back to the login page. Other changes redraw on the next route().
  if (!s.accessToken) stopStream();
  if (!s.accessToken && shellFor !== null) { shellFor = null; navigate('login'); }
});
window.addEventListener('hashchange', route);
// A reload keeps the user signed in through the refresh cookie; without one, the login page.
refresh().catch(() => false).finally(route);
