// api.js — the console's only way to the server: JSON over fetch with the
// session cookie, and the CSRF token on every request that changes state.
//
// A route the server does not have answers 404 "no such resource" (or 405);
// optional() turns that into `undefined`, so a screen for a module that is
// not built yet can say "not available" instead of failing.

let csrf = '';
const listeners = new Set();

export function setCsrf(token) { csrf = token || ''; }
export function onUnauthenticated(fn) { listeners.add(fn); }

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || 'error';
    this.field = err.field || null;
    // A refused schedule lists every conflict (docs/changes.md).
    this.conflicts = Array.isArray(err.conflicts) ? err.conflicts : [];
  }
  // The server has no such route (as opposed to: no such record).
  get routeMissing() {
    return this.status === 405 || (this.status === 404 && /^no such (resource|page)/.test(this.message));
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, init);
  let json = null;
  const text = await res.text();
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const e = new ApiError(res.status, json);
    if (res.status === 401 && path !== '/api/v1/session') listeners.forEach((fn) => fn(e));
    throw e;
  }
  return json;
}

// POST a file as the raw body (an attachment upload, docs/attachments.md):
// the bytes as they are, the CSRF token as for every write.
export async function upload(path, file) {
  const res = await fetch(path, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': csrf },
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) {
    const e = new ApiError(res.status, json);
    if (res.status === 401) listeners.forEach((fn) => fn(e));
    throw e;
  }
  return json;
}

export const get = (p) => api('GET', p);
export const post = (p, b) => api('POST', p, b);
export const patch = (p, b) => api('PATCH', p, b);
export const del = (p) => api('DELETE', p);

// GET a route that may not exist yet: undefined when the server lacks it.
export async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e instanceof ApiError && e.routeMissing) return undefined;
    throw e;
  }
}

// A query string from an object, skipping empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}

// Open tickets (new, assigned, in_progress, pending: the list API's
// status=open, docs/desk.md) matching filters, in one request. The array's
// `more` is true when more than `limit` (at most 500) matched; the rest are
// not fetched.
export async function openTickets(filters = {}, limit = 200) {
  const page = await get(`/api/v1/tickets${qs({ ...filters, status: 'open', limit })}`);
  const items = page.items;
  items.more = !!page.next_cursor;
  return items;
}
