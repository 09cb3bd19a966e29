import { h, field, replace } from './dom.js';
import { logIn, signUp, verifyLogin, publicPost } from './api.js';

function authForm(container, { title, intro, submitLabel, action, alternative, passwordHelp, autocomplete }) {
  const email = field('Email', { type: 'email', name: 'email', required: true, autocomplete: 'email' });
  const password = field('Password', { type: 'password', name: 'password', required: true, minlength: 8, autocomplete }, passwordHelp);
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', {
    class: 'card auth-card', novalidate: true,
    on: {
      submit: async (event) => {
        event.preventDefault();
        for (const f of [email, password]) f.error.textContent = '';
        formError.textContent = '';
        button.disabled = true;
        try {
          await action(email.input.value.trim(), password.input.value);
        } catch (e) {
          const target = e.field === 'email' ? email : e.field === 'password' ? password : null;
          if (target) { target.error.textContent = e.message; target.input.focus(); } else formError.textContent = e.message;
        } finally {
          button.disabled = false;
        }
      },
    },
  }, h('h1', null, title), h('p', { class: 'muted' }, intro), email.row, password.row, formError, button, alternative);
  container.append(h('div', { class: 'auth-brand' }, h('img', { src: '/ui/favicon.svg', alt: '', width: 32, height: 32 }), 'TradeFlow'), form);
  email.input.focus();
}

export function loginPage(container, { navigate }) {
  document.title = 'Log in · TradeFlow';
  authForm(container, {
    title: 'Log in',
    intro: 'Route your TradingView alerts to your broker accounts.',
    submitLabel: 'Log in',
    autocomplete: 'current-password',
    action: async (email, password) => {
      const challenge = await logIn(email, password);
      if (challenge) secondStep(container, challenge, navigate); else navigate('accounts');
    },
    alternative: h('div', null,
      h('p', null, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')),
      h('p', null, h('a', { href: '#/forgot', id: 'forgot-link' }, 'Forgot your password?'))),
  });
}

/** A small form on the auth layout: fields, one button, a status line; {form, status, button}. */
function simpleForm(container, { title, intro, fields, submitLabel, onSubmit, footer, id }) {
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', {
    class: 'card auth-card', novalidate: true, id,
    on: {
      submit: async (event) => {
        event.preventDefault();
        for (const f of fields) f.error.textContent = '';
        formError.textContent = '';
        button.disabled = true;
        try {
          await onSubmit(status);
        } catch (e) {
          const target = fields.find((f) => f.input.name === e.field);
          if (target) { target.error.textContent = e.message; target.input.focus(); } else formError.textContent = e.message;
        } finally {
          button.disabled = false;
        }
      },
    },
  }, h('h1', null, title), intro ? h('p', { class: 'muted' }, intro) : null, ...fields.map((f) => f.row), formError, status, button, footer);
  replace(container, h('div', { class: 'auth-brand' }, h('img', { src: '/ui/favicon.svg', alt: '', width: 32, height: 32 }), 'TradeFlow'), form);
  if (fields[0]) fields[0].input.focus();
  return { form, status, button };
}

/** Login's second step: the authenticator's (or the emailed) code, or a recovery code. */
function secondStep(container, challenge, navigate) {
  const byEmail = challenge.two_factor_method === 'email';
  const code = field(byEmail ? 'Code from the email' : 'Code from your authenticator app',
    { name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]*', required: true },
    byEmail ? 'We just emailed you a 6-digit code. It expires in a few minutes.' : 'The 6-digit code your app shows for TradeFlow.');
  const recovery = field('Recovery code', { name: 'recovery_code', type: 'text', autocomplete: 'off', maxlength: 20 },
    'Lost your device? Use one of the recovery codes you saved (each works once).');
  recovery.row.hidden = true;
  const toggle = h('button', {
    type: 'button', class: 'link', id: 'use-recovery',
    on: {
      click: () => {
        recovery.row.hidden = !recovery.row.hidden;
        code.row.hidden = !recovery.row.hidden;
        toggle.textContent = recovery.row.hidden ? 'Use a recovery code instead' : 'Use the code instead';
        (recovery.row.hidden ? code : recovery).input.focus();
      },
    },
  }, 'Use a recovery code instead');
  simpleForm(container, {
    id: 'second-step',
    title: 'Two-factor sign-in',
    intro: 'Your password was right. One more step proves it is you.',
    fields: [code, recovery],
    submitLabel: 'Verify',
    footer: h('p', null, toggle, ' · ', h('a', { href: '#/login', on: { click: () => location.reload() } }, 'Start over')),
    onSubmit: async () => {
      if (recovery.row.hidden) {
        await verifyLogin(challenge.challenge_token, code.input.value.trim(), null);
      } else {
        await verifyLogin(challenge.challenge_token, null, recovery.input.value.trim());
      }
      navigate('accounts');
    },
  });
}

export function forgotPage(container) {
  document.title = 'Forgot password · TradeFlow';
  const email = field('Email', { type: 'email', name: 'email', required: true, autocomplete: 'email' });
  simpleForm(container, {
    id: 'forgot',
    title: 'Reset your password',
    intro: 'Enter the email address of your account. If it has one, we send a link to choose a new password.',
    fields: [email],
    submitLabel: 'Send the link',
    footer: h('p', null, h('a', { href: '#/login' }, 'Back to log in')),
    onSubmit: async (status) => {
      const answer = await publicPost('/auth/forgot_password', { email: email.input.value.trim() });
      status.textContent = `${answer.message[0].toUpperCase()}${answer.message.slice(1)}. Check your inbox (and spam folder).`;
    },
  });
}

function tokenFromHash() {
  const q = location.hash.split('?')[1] || '';
  return new URLSearchParams(q).get('token') || '';
}

export function resetPage(container, { navigate }) {
  document.title = 'Choose a new password · TradeFlow';
  const password = field('New password', { type: 'password', name: 'new_password', required: true, minlength: 8, autocomplete: 'new-password' },
    'At least 8 characters, with an uppercase letter, a lowercase letter and a digit.');
  const token = tokenFromHash();
  simpleForm(container, {
    id: 'reset',
    title: 'Choose a new password',
    intro: token ? 'Every session of your account is signed out once the password changes.' : 'This page needs the link from the reset email.',
    fields: [password],
    submitLabel: 'Change password',
    footer: h('p', null, h('a', { href: '#/forgot' }, 'Ask for a new link'), ' · ', h('a', { href: '#/login' }, 'Log in')),
    onSubmit: async (status) => {
      const answer = await publicPost('/auth/reset_password', { token, new_password: password.input.value });
      status.textContent = `${answer.message[0].toUpperCase()}${answer.message.slice(1)}.`;
      password.input.value = '';
      setTimeout(() => navigate('login'), 2500);
    },
  });
}

export async function verifyPage(container) {
  document.title = 'Confirm email · TradeFlow';
  const { status, button } = simpleForm(container, {
    id: 'verify', title: 'Confirm your email', intro: null, fields: [], submitLabel: 'Continue',
    footer: null, onSubmit: async () => { location.hash = '#/accounts'; },
  });
  status.textContent = 'Checking the link…';
  try {
    await publicPost('/auth/verify_email', { token: tokenFromHash() });
    status.textContent = 'Your email address is confirmed. Thank you!';
  } catch (e) {
    status.textContent = `${e.message}.`;
  }
  button.focus();
}

export function signupPage(container, { navigate }) {
  document.title = 'Sign up · TradeFlow';
  authForm(container, {
    title: 'Create your account',
    intro: 'Start a free trial: connect a paper account in one click and send your first alert.',
    submitLabel: 'Sign up',
    autocomplete: 'new-password',
    passwordHelp: 'At least 8 characters.',
    action: async (email, password) => { await signUp(email, password); navigate('accounts'); },
    alternative: h('p', null, 'Already have an account? ', h('a', { href: '#/login' }, 'Log in')),
  });
}
