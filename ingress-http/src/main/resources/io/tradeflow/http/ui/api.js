// The dashboard API client. The access token lives in memory only (never in localStorage); the
// refresh token travels in an HttpOnly cookie scoped to /api/unify/v1/auth/ that no script can
// read: a reload renews the session through it, and the refresh_token in the JSON answers is ignored.

export const BASE = '/api/unify/v1';

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `request failed (${status})`);
    this.status = status;
    this.code = error.code || `HTTP_${status}`;
    this.field = error.field || null;
    this.body = body;
  }
}

const session = {
  accessToken: null,
  user: null,
  /** While an admin acts as a user: the admin's own session, restored when impersonation ends. */
  admin: null,
  impersonating: null,
};

const listeners = new Set();
export function onSessionChange(listener) { listeners.add(listener); }
function changed() { listeners.forEach((l) => l(session)); }

export function currentSession() { return session; }

export function setSession(answer) {
  session.accessToken = answer.access_token;
  session.user = answer.user || session.user;
  changed();
}

export function clearSession() {
  session.accessToken = null;
  session.user = null;
  session.admin = null;
  session.impersonating = null;
  changed();
}

export function startImpersonation(answer) {
  session.admin = { accessToken: session.accessToken, user: session.user };
  session.impersonating = { user: answer.user, until: Date.now() + (answer.expires_in || 300) * 1000 };
  session.accessToken = answer.access_token;
  session.user = answer.user;
  changed();
}

export function stopImpersonation() {
  if (!session.admin) return;
  Object.assign(session, { accessToken: session.admin.accessToken, user: session.admin.user });
  session.admin = null;
  session.impersonating = null;
  changed();
}

async function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(BASE + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store',
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return { status: response.status, json };
}

let refreshing = null;
/** Renews the access token with the refresh cookie; false when there is no valid one. */
export async function refresh() {
  if (!refreshing) {
    refreshing = send('POST', '/auth/refresh', {})
      .then((r) => {
        if (r.status === 200) { setSession(r.json); return true; }
        return false;
      })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** Calls the API with the session's token, renewing it once on a 401; throws ApiError on failure. */
export async function api(method, path, body) {
  let r = await send(method, path, body, session.accessToken);
  if (r.status === 401 && session.accessToken && !session.impersonating && await refresh()) {
    r = await send(method, path, body, session.accessToken);
  }
  if (r.status === 401 && session.accessToken) {
    if (session.impersonating) stopImpersonation(); else clearSession();
    throw new ApiError(r.status, r.json);
  }
  if (r.status < 200 || r.status >= 300) throw new ApiError(r.status, r.json);
  return r.json;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body === undefined ? {} : body);
export const del = (path) => api('DELETE', path);

export async function signUp(email, password) {
  const r = await send('POST', '/auth/signup', { email, password });
  if (r.status !== 201 && r.status !== 200) throw new ApiError(r.status, r.json);
  setSession(r.json);
}

/** Signs in; resolves null when signed in, or {challenge_token, two_factor_method} when a second step is needed. */
export async function logIn(email, password) {
  const r = await send('POST', '/auth/login', { email, password });
  if (r.status !== 200) throw new ApiError(r.status, r.json);
  if (r.json.two_factor_required) return r.json;
  setSession(r.json);
  return null;
}

/** The second step of a two-factor login: a code, or a recovery code. */
export async function verifyLogin(challengeToken, code, recoveryCode) {
  const body = recoveryCode ? { challenge_token: challengeToken, recovery_code: recoveryCode } : { challenge_token: challengeToken, code };
  const r = await send('POST', '/auth/login/verify', body);
  if (r.status !== 200) throw new ApiError(r.status, r.json);
  setSession(r.json);
}

/** A call that needs no session (forgot, reset, verify); resolves the JSON answer, throws ApiError. */
export async function publicPost(path, body) {
  const r = await send('POST', path, body);
  if (r.status < 200 || r.status >= 300) throw new ApiError(r.status, r.json);
  return r.json;
}

export async function logOut() {
  // Ends the session behind the cookie (and clears the cookie), then forgets the access token.
  try { await send('POST', '/auth/logout', {}); } catch (e) { /* signed out locally anyway */ }
  clearSession();
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
