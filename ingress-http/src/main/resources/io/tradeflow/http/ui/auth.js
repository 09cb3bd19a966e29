import { h, field } from './dom.js';
import { logIn, signUp } from './api.js';

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
    action: async (email, password) => { await logIn(email, password); navigate('accounts'); },
    alternative: h('p', null, 'New here? ', h('a', { href: '#/signup' }, 'Create an account')),
  });
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
