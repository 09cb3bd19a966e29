import { h, field, replace, time, copyText } from './dom.js';
import { get, post, setSession } from './api.js';

/** Recovery codes, shown once, with a copy button. */
function recoveryCodes(codes) {
  return h('div', { class: 'recovery', id: 'recovery-codes' },
    h('p', null, h('strong', null, 'Save these recovery codes now: '),
      'each signs you in once if you lose your device, and they are never shown again.'),
    h('ol', { class: 'recovery-codes' }, codes.map((c) => h('li', null, c))),
    h('button', { type: 'button', class: 'secondary small', on: { click: () => copyText(codes.join('\n')) } }, 'Copy the codes'));
}

/** The profile page's account-security card: email verification, last login, two-factor enrolment. */
export async function securityCard(ctx) {
  const card = h('section', { class: 'card', id: 'security' });
  const draw = async () => {
    const s = await get('/auth/2fa');
    const p = ctx.state.profile || {};
    const verifyNote = h('span', { role: 'status' });
    const parts = [
      h('h2', null, 'Sign-in security'),
      h('dl', { class: 'facts' },
        h('dt', null, 'Email'), h('dd', { id: 'email-status' }, s.email_verified ? 'confirmed' : 'not confirmed ',
          s.email_verified || !s.mail_enabled ? null : h('button', {
            type: 'button', class: 'secondary small', id: 'resend-verification',
            on: { click: async () => {
              try { await post('/auth/verify_email/resend'); verifyNote.textContent = ' Link sent: check your inbox.'; } catch (e) { verifyNote.textContent = ` ${e.message}`; }
            } },
          }, 'Send the link again'), verifyNote),
        h('dt', null, 'Last login'), h('dd', null, time(p.last_login)),
        h('dt', null, 'Two-factor'), h('dd', { id: 'twofa-status' }, s.totp ? 'on (authenticator app)' : s.email_otp ? 'on (code by email)' : 'off'),
        s.two_factor_enabled ? [h('dt', null, 'Recovery codes left'), h('dd', null, String(s.recovery_codes_left))] : null),
    ];
    if (!s.two_factor_enabled) {
      parts.push(h('p', { class: 'muted' }, p.role === 'admin'
        ? 'Admins must turn on two-factor sign-in: admin pages refuse a session without it.'
        : 'A second step at sign-in (a code from your phone) keeps your accounts safe even if your password leaks.'));
      parts.push(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: 'enrol-totp', on: { click: () => enrolTotp(card, draw, ctx) } }, 'Set up an authenticator app'),
        s.mail_enabled ? h('button', {
          type: 'button', class: 'secondary', id: 'enable-email-otp', disabled: !s.email_verified,
          title: s.email_verified ? '' : 'Confirm your email address first',
          on: { click: async () => {
            try {
              const answer = await post('/auth/2fa/email/enable');
              setSession(answer);
              await draw();
              card.append(recoveryCodes(answer.recovery_codes));
            } catch (e) { ctx.toast(e.message, 'error'); }
          } },
        }, 'Use codes by email instead') : null));
    } else {
      const password = field('Password', { type: 'password', name: 'password', autocomplete: 'current-password' });
      parts.push(h('details', null, h('summary', null, 'Turn two-factor off'),
        h('form', {
          on: { submit: async (e) => {
            e.preventDefault();
            password.error.textContent = '';
            try { await post('/auth/2fa/disable', { password: password.input.value }); await draw(); } catch (err) { password.error.textContent = err.message; }
          } },
        }, password.row, h('button', { type: 'submit', class: 'danger' }, 'Turn off'))));
    }
    replace(card, ...parts);
  };
  await draw();
  return card;
}

async function enrolTotp(card, draw, ctx) {
  let setup;
  try { setup = await post('/auth/2fa/totp/setup'); } catch (e) { ctx.toast(e.message, 'error'); return; }
  const code = field('Code from the app', { name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 },
    'Enter the 6-digit code the app shows to finish.');
  const qr = h('img', { class: 'qr', id: 'totp-qr', alt: 'QR code to scan with an authenticator app',
    src: `data:image/svg+xml;base64,${btoa(setup.qr_svg)}` });
  replace(card,
    h('h2', null, 'Set up an authenticator app'),
    h('ol', null,
      h('li', null, 'Open an authenticator app (Google Authenticator, 1Password, Authy, …) and scan this code:'),
      h('li', { class: 'muted' }, 'Cannot scan? Enter this key by hand: ', h('code', { class: 'secret-text', id: 'totp-secret' }, setup.secret)),
      h('li', null, 'Type the code it shows below.')),
    qr,
    h('form', {
      id: 'totp-confirm',
      on: { submit: async (e) => {
        e.preventDefault();
        code.error.textContent = '';
        try {
          const answer = await post('/auth/2fa/totp/confirm', { code: code.input.value.trim() });
          setSession(answer);
          await draw();
          card.append(recoveryCodes(answer.recovery_codes));
          ctx.toast('Two-factor sign-in is on.');
        } catch (err) { code.error.textContent = err.message; code.input.focus(); }
      } },
    }, code.row, h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Turn on'),
      h('button', { type: 'button', class: 'secondary', on: { click: () => draw() } }, 'Cancel'))));
  code.input.focus();
}
