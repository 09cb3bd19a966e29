import { h, replace, field, copyField, emptyState, confirmDialog, time, num, money } from './dom.js';
import { get, post, patch, del, BASE } from './api.js';
import { loadAccounts } from './app.js';

const BROKERS = [
  { id: 'paper', name: 'Paper', about: 'The built-in simulated broker: no credentials, fills at the alert\'s price. Start here.' },
  { id: 'tradelocker', name: 'TradeLocker', about: 'Your TradeLocker login (demo or live). TradeFlow logs in first and refuses credentials the broker refuses.' },
  { id: 'projectx', name: 'ProjectX / Topstep', about: 'Your ProjectX user name and API key (ProjectX dashboard → API).' },
  { id: 'mtx', name: 'MetaTrader 4/5', about: 'Runs through the TradeFlow EA in your terminal: TradeFlow issues a license token for it.' },
];

function webhookUrl(key) {
  return `${location.origin}${BASE}/webhook?key=${key}`;
}

const UNIFY_TEMPLATE = '{"version":"unify.v1","id":"{{ticker}}-{{timenow}}","ts":"{{timenow}}","intent":{"action":"open","side":"{{strategy.order.action}}","type":"market","symbol":"{{ticker}}","qty":"{{strategy.order.contracts}}","price":"{{close}}"}}';
const TRADERSPOST_TEMPLATE = '{"ticker":"{{ticker}}","action":"{{strategy.order.action}}","sentiment":"{{strategy.market_position}}","quantity":"{{strategy.order.contracts}}","price":"{{close}}","time":"{{timenow}}","interval":"{{interval}}"}';
function pineTemplate(key) {
  return `${key},{{strategy.order.action}},{{ticker}},risk={{strategy.order.contracts}},sl=30,tp=60`;
}

/** The webhook URL and the three alert languages' ready messages, each with a Copy button. */
export function templates(key, unifyMessage, knownKey) {
  return h('section', { class: 'templates', 'aria-label': 'Alert templates' },
    copyField('Webhook URL (paste into the TradingView alert\'s Webhook URL)', webhookUrl(key), { name: 'webhook-url' }),
    knownKey ? null : h('p', { class: 'help' }, 'Replace <your API key> with the key you stored when the account was created (or regenerate it).'),
    h('h3', null, 'Alert message — pick one language'),
    copyField('unify.v1 (TradeFlow native JSON)', unifyMessage || UNIFY_TEMPLATE, { multiline: true, rows: 3, name: 'template-unify' }),
    copyField('TradersPost-style JSON (same webhook URL)', TRADERSPOST_TEMPLATE, { multiline: true, rows: 3, name: 'template-traderspost' }),
    copyField(`PineConnector-style text (webhook URL ${location.origin}${BASE}/webhook — the key is the first field)`, pineTemplate(key), { multiline: true, rows: 2, name: 'template-pine' }));
}

function eaSteps(token) {
  return h('section', { class: 'ea-steps', 'aria-label': 'MetaTrader EA install steps' },
    h('h3', null, 'Install the TradeFlow EA'),
    h('p', null, 'Download the EA: ',
      h('a', { href: '/ui/ea/mql5/TradeFlowBridge.mq5', download: 'TradeFlowBridge.mq5' }, 'MetaTrader 5 (.mq5)'), ' · ',
      h('a', { href: '/ui/ea/mql4/TradeFlowBridge.mq4', download: 'TradeFlowBridge.mq4' }, 'MetaTrader 4 (.mq4)')),
    h('ol', null,
      h('li', null, 'In MetaTrader: File → Open Data Folder; copy the file into MQL5/Experts (MT5) or MQL4/Experts (MT4); in the Navigator right-click Expert Advisors → Refresh.'),
      h('li', null, `Tools → Options → Expert Advisors: tick Allow algorithmic trading and Allow WebRequest for listed URL, and add ${location.origin}.`),
      h('li', null, 'Drag the EA onto one chart and fill in RouterUrl (this address) and LicenseToken' + (token ? ' (below).' : ' (shown once when the account was created).')),
      h('li', null, 'The account shows Connected here while the EA sends heartbeats.')));
}

function secretPanel(answer, onDone) {
  const account = answer.account || {};
  const key = answer.api_key;
  return h('section', { class: 'card secret', id: 'new-key', 'aria-labelledby': 'new-key-title' },
    h('h2', { id: 'new-key-title' }, account.label ? `Connect TradingView to “${account.label}”` : 'Your new API key'),
    h('p', { class: 'warning' }, 'Copy the API key now: it is shown only this once. TradeFlow keeps only a hash of it.'),
    copyField('API key', key, { name: 'api-key' }),
    answer.license_token ? copyField('EA license token (paste into the EA\'s LicenseToken input; shown once)', answer.license_token, { name: 'license-token' }) : null,
    answer.license_token ? eaSteps(answer.license_token) : null,
    templates(key, answer.alert_message, true),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', id: 'secret-done', on: { click: onDone } }, 'I have stored the key')));
}

function brokerFields(broker) {
  const fields = [];
  const add = (name, label, attrs = {}, help) => { const f = field(label, { name, ...attrs }, help); fields.push([name, f]); return f; };
  add('label', 'Label', { type: 'text', maxlength: 100, placeholder: `${broker} account`, autocomplete: 'off' }, 'How the account appears in TradeFlow.');
  if (broker === 'tradelocker') {
    add('credentials.environment', 'Environment', { tag: 'select', options: [['demo', 'Demo'], ['live', 'Live']], value: 'demo' });
    add('credentials.email', 'TradeLocker email', { type: 'email', required: true, autocomplete: 'off' });
    add('credentials.password', 'TradeLocker password', { type: 'password', required: true, autocomplete: 'new-password' });
    add('credentials.server', 'Server', { type: 'text', required: true, autocomplete: 'off' }, 'As on the TradeLocker login screen.');
    add('credentials.account_number', 'Account id (optional)', { type: 'text', autocomplete: 'off' }, 'Empty: the first account of the login.');
  } else if (broker === 'projectx') {
    add('credentials.username', 'ProjectX user name', { type: 'text', required: true, autocomplete: 'off' });
    add('credentials.api_key', 'ProjectX API key', { type: 'password', required: true, autocomplete: 'new-password' });
  } else if (broker === 'mtx') {
    add('credentials.platform', 'Platform', { tag: 'select', options: [['mt5', 'MetaTrader 5'], ['mt4', 'MetaTrader 4']], value: 'mt5' });
    add('credentials.account_number', 'MetaTrader login (account number)', { type: 'text', inputmode: 'numeric', required: true, autocomplete: 'off' });
    add('credentials.server', 'Broker server', { type: 'text', required: true, autocomplete: 'off' });
    add('credentials.symbol_suffix', 'Symbol suffix (optional)', { type: 'text', autocomplete: 'off', placeholder: '.m' }, 'What your broker appends to symbols, e.g. EURUSD.m → .m');
  }
  return fields;
}

function registerForm(onRegistered) {
  const wrap = h('section', { class: 'card', id: 'connect', 'aria-labelledby': 'connect-title' });
  let broker = 'paper';
  const draw = () => {
    const fields = brokerFields(broker);
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const submit = h('button', { type: 'submit', class: 'primary', id: 'register-submit' }, `Connect ${BROKERS.find((b) => b.id === broker).name} account`);
    const chooser = h('fieldset', { class: 'broker-choice' }, h('legend', null, 'Broker'),
      BROKERS.map((b) => {
        const id = `broker-${b.id}`;
        return h('span', { class: 'choice' },
          h('input', { type: 'radio', name: 'broker', id, value: b.id, checked: b.id === broker, on: { change: () => { broker = b.id; draw(); document.getElementById(id).focus(); } } }),
          h('label', { for: id }, b.name));
      }));
    const form = h('form', {
      novalidate: true,
      on: {
        submit: async (event) => {
          event.preventDefault();
          formError.textContent = '';
          fields.forEach(([, f]) => { f.error.textContent = ''; });
          const body = { credentials: {} };
          for (const [name, f] of fields) {
            const value = f.input.value.trim();
            if (name === 'label') { if (value) body.label = value; } else if (value) body.credentials[name.slice('credentials.'.length)] = value;
          }
          if (broker === 'paper') delete body.credentials;
          submit.disabled = true;
          try {
            const answer = await post(`/register/${broker}`, body);
            broker = 'paper';
            draw();
            onRegistered(answer);
          } catch (e) {
            const target = fields.find(([name]) => name === e.field);
            if (target) { target[1].error.textContent = e.message; target[1].input.focus(); } else formError.textContent = e.message;
          } finally {
            submit.disabled = false;
          }
        },
      },
    }, chooser, h('p', { class: 'muted' }, BROKERS.find((b) => b.id === broker).about),
    fields.map(([, f]) => f.row), broker === 'mtx' ? eaSteps(null) : null, formError, submit);
    replace(wrap, h('h2', { id: 'connect-title' }, 'Connect an account'), form);
  };
  draw();
  return wrap;
}

function accountCard(account, ctx, redraw) {
  const status = h('p', { class: 'account-status', role: 'status' });
  const syncOut = h('div', { class: 'sync-out' });
  const details = h('details', { class: 'account-templates' },
    h('summary', null, 'Webhook URL and alert templates'),
    templates('<your API key>', null, false),
    account.broker === 'mtx' ? eaSteps(null) : null);
  const toggleId = `toggle-${account.id}`;
  const toggle = h('input', {
    type: 'checkbox', role: 'switch', id: toggleId, checked: account.enabled,
    on: {
      change: async () => {
        try {
          const answer = await patch(`/api/accounts/${account.id}/toggle`, { enabled: toggle.checked });
          account.enabled = answer.enabled;
          ctx.toast(`${account.label} is now ${answer.enabled ? 'on: alerts are routed' : 'off: every alert is refused'}.`);
          redraw();
        } catch (e) { toggle.checked = account.enabled; ctx.toast(e.message, 'error'); }
      },
    },
  });
  const keys = (account.api_keys || []).map((k) => k.prefix).join(', ') || 'none';
  return h('article', { class: 'card account', 'data-account': account.id, 'aria-labelledby': `acc-${account.id}` },
    h('header', { class: 'account-head' },
      h('h2', { id: `acc-${account.id}` }, account.label),
      h('span', { class: 'badge' }, account.broker),
      h('span', { class: ['badge', account.connected ? 'ok' : 'bad'] }, account.connected ? 'Connected' : 'Not connected'),
      h('span', { class: ['badge', account.enabled ? 'ok' : 'muted'] }, account.enabled ? 'On' : 'Off')),
    h('dl', { class: 'facts' },
      h('dt', null, 'Account id'), h('dd', null, `#${account.id}`),
      h('dt', null, 'API key'), h('dd', { class: 'mono' }, keys),
      h('dt', null, 'Created'), h('dd', null, time(account.created_at))),
    h('div', { class: 'switch-row' }, toggle, h('label', { for: toggleId }, 'Route alerts to this account')),
    h('div', { class: 'actions wrap' },
      h('button', {
        type: 'button', class: 'secondary', 'data-action': 'sync',
        on: {
          click: async () => {
            status.textContent = 'Syncing…';
            try {
              const s = await post(`/api/accounts/${account.id}/sync`);
              status.textContent = `Synced at ${time(s.synced_at)}.`;
              replace(syncOut, h('dl', { class: 'facts' },
                s.balance !== null && s.balance !== undefined ? [h('dt', null, 'Balance'), h('dd', null, `${money(s.balance)} ${s.currency || ''}`)] : null,
                s.equity !== null && s.equity !== undefined ? [h('dt', null, 'Equity'), h('dd', null, `${money(s.equity)} ${s.currency || ''}`)] : null,
                h('dt', null, 'Open positions'), h('dd', null, num((s.positions || []).length))));
            } catch (e) { status.textContent = `Sync failed: ${e.message}`; }
          },
        },
      }, 'Sync'),
      h('a', { class: 'button secondary', href: `#/risk?account=${account.id}` }, 'Risk controls'),
      h('a', { class: 'button secondary', href: `#/alerts?account=${account.id}` }, 'Alert settings'),
      h('button', {
        type: 'button', class: 'secondary', 'data-action': 'regenerate',
        on: {
          click: async () => {
            const ok = await confirmDialog('Regenerate the API key?', [`The current key of “${account.label}” stops working on the very next alert.`, 'Update your TradingView alerts with the new key.'], 'Regenerate key', true);
            if (!ok) return;
            try {
              const answer = await post(`/api/accounts/${account.id}/api_key/regenerate`);
              ctx.showSecret({ ...answer, account });
            } catch (e) { ctx.toast(e.message, 'error'); }
          },
        },
      }, 'Regenerate key'),
      h('button', {
        type: 'button', class: 'danger-outline', 'data-action': 'delete',
        on: {
          click: async () => {
            const ok = await confirmDialog('Delete this account?', [`“${account.label}” stops taking alerts and its key is revoked. Its history stays.`], 'Delete account', true);
            if (!ok) return;
            try {
              await del(`/api/accounts/${account.id}`);
              ctx.toast(`${account.label} deleted.`);
              redraw();
            } catch (e) {
              if (e.code === 'OPEN_POSITIONS') {
                const force = await confirmDialog('The account has open positions', ['Deleting it now closes every open position at market first.'], 'Close positions and delete', true);
                if (force) {
                  try { await del(`/api/accounts/${account.id}?force=true`); ctx.toast(`${account.label}: positions closed, account deleted.`); redraw(); } catch (e2) { ctx.toast(e2.message, 'error'); }
                }
              } else ctx.toast(e.message, 'error');
            }
          },
        },
      }, 'Delete')),
    status, syncOut, details);
}

export async function accountsPage(container, ctx) {
  const secretArea = h('div', { class: 'secret-area' });
  const list = h('div', { class: 'accounts' });
  const draw = async () => {
    const accounts = await loadAccounts();
    replace(list, accounts.length === 0
      ? emptyState('No accounts yet.', 'Connect a paper account below to get an API key and a webhook URL, then paste them into a TradingView alert.')
      : accounts.map((a) => accountCard(a, ctx, draw)));
  };
  ctx.showSecret = (answer) => {
    replace(secretArea, secretPanel(answer, () => { replace(secretArea); draw(); }));
    secretArea.scrollIntoView({ block: 'start' });
    const first = secretArea.querySelector('button.copy');
    if (first) first.focus();
  };
  container.append(
    h('p', { class: 'lead' }, 'Each account has its own API key and webhook URL. Point a TradingView alert at it and TradeFlow routes the order.'),
    secretArea, list,
    registerForm((answer) => { ctx.showSecret(answer); draw(); }));
  await draw();
}
