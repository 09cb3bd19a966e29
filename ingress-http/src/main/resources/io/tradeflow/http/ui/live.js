// The live stream: one WebSocket to /api/unify/v1/ws (every account of the signed-in user) that
// tells the pages when an order, position, balance or webhook-log line changed, so they update
// without polling. It authenticates with the in-memory access token, resumes after a drop from the
// last sequence number it saw (with back-off), and asks the pages to reload when the server says
// the missed messages are gone. A small indicator in the header shows whether it is live.
import { BASE, currentSession, refresh } from './api.js';

const listeners = new Set();
const indicators = new Set();
let socket = null;
let wanted = false;
let lastSeq = -1;
let epoch = null;
let backoff = 1000;
let retryTimer = null;
let status = 'offline';

/** Calls fn(message) for each stream message; fn({ type: 'reload' }) when everything must be read again. */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function liveStatus() { return status; }

/** An element showing "Live" or "Offline", kept up to date. */
export function liveIndicator(h) {
  const dot = h('span', { class: 'live-dot', 'aria-hidden': 'true' });
  const label = h('span', { class: 'live-label' });
  const el = h('span', { class: 'live-indicator', id: 'live-indicator', role: 'status', title: 'Live updates' }, dot, label);
  // One header at a time: the newest indicator replaces the previous one.
  indicators.clear();
  indicators.add({ el, label });
  paint();
  return el;
}

function setStatus(next) {
  status = next;
  paint();
}

function paint() {
  for (const i of indicators) {
    i.el.dataset.status = status;
    i.label.textContent = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline';
  }
}

function emit(message) {
  for (const fn of listeners) {
    try { fn(message); } catch (e) { /* a page's handler must not stop the others */ }
  }
}

/** Connects (again) while signed in; safe to call repeatedly. */
export function startLive() {
  wanted = true;
  if (socket || retryTimer) return;
  open();
}

/** Disconnects and forgets the position (sign-out). */
export function stopLive() {
  wanted = false;
  lastSeq = -1;
  epoch = null;
  clearTimeout(retryTimer);
  retryTimer = null;
  if (socket) { const s = socket; socket = null; s.close(1000, 'signed out'); }
  setStatus('offline');
}

function open() {
  const token = currentSession().accessToken;
  if (!wanted || !token) { setStatus('offline'); return; }
  setStatus('connecting');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}${BASE}/ws`);
  socket = ws;
  ws.onopen = () => {
    const hello = { token };
    if (lastSeq >= 0) { hello.since = lastSeq; hello.epoch = epoch; }
    ws.send(JSON.stringify(hello));
  };
  ws.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (message.type === 'connected') {
      const resumed = lastSeq >= 0 && message.epoch === epoch;
      epoch = message.epoch;
      if (!resumed) lastSeq = message.seq;
      backoff = 1000;
      setStatus('live');
      // After a first connection or a reconnection the pages read once: nothing is missed in between.
      if (!resumed) emit({ type: 'reload' });
      return;
    }
    if (message.type === 'pong') return;
    if (typeof message.seq === 'number') lastSeq = message.seq;
    emit(message);
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = null;
    setStatus('offline');
    if (!wanted) return;
    if (event.code === 4401) {
      // The access token expired: renew it with the refresh cookie, then connect again.
      refresh().then((ok) => { if (ok) schedule(0); }).catch(() => {});
      return;
    }
    // Any other close (4008 too slow, a restart, a network drop): back off, then resume from lastSeq.
    schedule(backoff);
    backoff = Math.min(backoff * 2, 30000);
  };
}

function schedule(delay) {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => { retryTimer = null; open(); }, delay + Math.floor(Math.random() * 250));
}

// Keep-alive for proxies that close quiet connections; the server answers {"type":"pong"}.
setInterval(() => {
  if (socket && socket.readyState === WebSocket.OPEN && status === 'live') socket.send('{"type":"ping"}');
}, 30000);
