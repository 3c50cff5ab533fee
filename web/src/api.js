// The API client: JSON in and out, the session's tokens, and the two kinds of "403".
//
// Errors from our API have one shape: {"error": {"code", "message", "details"}}. Authentication
// failures do not: API Gateway answers them before our code runs, with 401 {"message": "Unauthorized"}
// (no token) or 403 {"Message": "User is not authorized to access this resource"} (a bad or expired
// token). Those mean "refresh the token, then log in again"; a 403 with our error body means the role
// does not allow the action and is shown as it is.
//
// Refresh tokens rotate on every use and presenting a spent one revokes the whole family (every tab
// logged out), so a refresh is single-flight: concurrent requests share one refresh promise, and tabs
// share one through the Web Locks API where the browser has it.
//
// In a browser those gateway answers carry no CORS headers (API Gateway adds none to its own
// responses unless configured to), so a cross-origin SPA cannot read them: fetch just fails as if the
// network were down. So when an authenticated call "cannot reach the server" but a public route
// answers, the failure is taken for the gateway's refusal: the token is refreshed and a read is
// retried once (a write is not repeated blindly: the user is asked to try again).
//
// Everything that touches the outside (fetch, storage, the clock, the lock) is injected, so the
// logic runs under `node --test` with fakes.

export const STORAGE_KEY = "booking.session";
// The device tokens this browser was given at log-in, per e-mail address: presenting one at the next
// log-in lets the account's owner in while strangers' bad passwords have locked it (OWASP's device
// cookie). Kept across log-outs, as the device is the same.
export const DEVICES_KEY = "booking.devices";
/** Refresh this long before the access token's expiry rather than send one about to lapse. */
export const REFRESH_AHEAD_MS = 30_000;
/** A GET that could not reach the server is tried once more after this pause. */
export const NETWORK_RETRY_DELAY_MS = 800;

const NETWORK_MESSAGE = "We couldn't reach the server. Check your connection and try again.";
const SESSION_MESSAGE = "Your session has ended. Please log in again.";
const NOT_SENT_MESSAGE = "Your session had expired and has just been renewed. Please try again.";
const SERVER_MESSAGE = "Something went wrong on our side. Please try again in a moment.";

export class ApiError extends Error {
  /**
   * kind: "http" (an answer from the API), "network" (no answer), "session_expired" (the tokens are
   * gone: the user has to log in again), "rate_limited" (429, see retryAfter).
   */
  constructor(message, { status = 0, code = "error", details = {}, kind = "http", retryAfter = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details || {};
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  /** The 422 reasons by field path ("booking_policy.slot_interval_min" → "Expected `int` >= 5"). */
  get fields() {
    const fields = this.details && this.details.fields;
    return fields && typeof fields === "object" ? fields : {};
  }
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), at least 1. */
export function parseRetryAfter(value, nowMs = Date.now()) {
  if (value == null || value === "") return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Math.max(1, parseInt(text, 10));
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - nowMs) / 1000));
}

export function waitMessage(seconds) {
  return `Too many attempts. ${retryWords(seconds)}`;
}

/** "Try again in 40 seconds." from a Retry-After (null: not said). */
export function retryWords(seconds) {
  if (seconds == null) return "Please wait a moment and try again.";
  const unit = seconds === 1 ? "second" : "seconds";
  const minutes = seconds > 90 ? ` (about ${Math.round(seconds / 60)} minutes)` : "";
  return `Try again in ${seconds} ${unit}${minutes}.`;
}

function hasOurErrorShape(body) {
  return body !== null && typeof body === "object" && typeof body.error === "object" && body.error !== null;
}

/**
 * Is this an API Gateway authorizer failure (the token is missing, expired or invalid)? Every 401, and
 * a 403 without our `error` key; a 403 with it is a real permission error.
 */
export function isAuthFailure(status, body) {
  if (status === 401) return true;
  return status === 403 && !(body !== null && typeof body === "object" && "error" in body);
}

/** Our error shape, 429 and gateway bodies turned into an ApiError. */
export function errorFrom(status, body, headers, nowMs = Date.now()) {
  const ours = hasOurErrorShape(body) ? body.error : null;
  if (status === 429) {
    const retryAfter =
      parseRetryAfter(headers && headers.get ? headers.get("Retry-After") : null, nowMs) ??
      (ours && ours.details && Number.isFinite(ours.details.retry_after) ? ours.details.retry_after : null);
    return new ApiError(waitMessage(retryAfter), {
      status, code: "rate_limited", details: (ours && ours.details) || {}, kind: "rate_limited", retryAfter,
    });
  }
  if (ours) {
    return new ApiError(ours.message || `Request failed (HTTP ${status}).`, {
      status, code: ours.code || "error", details: ours.details || {},
    });
  }
  if (status >= 500) return new ApiError(SERVER_MESSAGE, { status, code: "server_error" });
  return new ApiError(`The request failed (HTTP ${status}).`, { status, code: "http_error" });
}

function memoryStorage() {
  const data = new Map();
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

function defaultLock(name, fn) {
  const locks = globalThis.navigator && globalThis.navigator.locks;
  return locks && typeof locks.request === "function" ? locks.request(name, fn) : fn();
}

/**
 * @param {object} options
 * @param {string} options.baseUrl            the API's origin (and stage path if any), no trailing slash needed
 * @param {Function} [options.fetch]          a fetch implementation (tests pass a fake)
 * @param {Storage} [options.storage]         where tokens live (localStorage in the browser)
 * @param {Function} [options.onSessionExpired] called once when the tokens are dropped (go to /login)
 * @param {Function} [options.lock]           (name, fn) => Promise: cross-tab mutual exclusion
 * @param {Function} [options.now]            the clock, in ms
 * @param {Function} [options.sleep]          (ms) => Promise, the pause before retrying a GET
 */
export function createApi({
  baseUrl,
  fetch: fetchImpl = (...args) => globalThis.fetch(...args),
  storage = globalThis.localStorage || memoryStorage(),
  onSessionExpired = () => {},
  lock = defaultLock,
  now = () => Date.now(),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
} = {}) {
  const base = String(baseUrl || "").replace(/\/+$/, "");
  let refreshing = null; // the one refresh in flight in this tab
  let lossReported = false;
  let loggingOut = false;

  // --- the session ---------------------------------------------------------------------------

  function readSession() {
    try {
      const raw = storage.getItem(STORAGE_KEY);
      const session = raw ? JSON.parse(raw) : null;
      return session && typeof session === "object" ? session : null;
    } catch {
      return null;
    }
  }

  /** Keep the tokens of a login, signup, invitation or refresh answer. */
  function saveSession(answer) {
    const session = {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      expires_at: Number.isFinite(answer.expires_in) ? now() + answer.expires_in * 1000 : null,
    };
    storage.setItem(STORAGE_KEY, JSON.stringify(session));
    lossReported = false;
    return session;
  }

  function readDevices() {
    try {
      const devices = JSON.parse(storage.getItem(DEVICES_KEY) || "{}");
      return devices && typeof devices === "object" ? devices : {};
    } catch {
      return {};
    }
  }

  function deviceLogin(email, password) {
    const address = String(email).trim().toLowerCase();
    const known = readDevices()[address];
    const body = known ? { email, password, device_token: known } : { email, password };
    return post("/auth/login", body, { auth: false }).then((answer) => {
      if (answer && answer.device_token) {
        storage.setItem(DEVICES_KEY, JSON.stringify({ ...readDevices(), [address]: answer.device_token }));
      }
      return answer;
    });
  }

  function clearSession() {
    storage.removeItem(STORAGE_KEY);
  }

  function isLoggedIn() {
    const s = readSession();
    return Boolean(s && (s.access_token || s.refresh_token));
  }

  function sessionLost() {
    clearSession();
    if (!lossReported && !loggingOut) {
      lossReported = true;
      try {
        onSessionExpired();
      } catch {
        /* navigation failures must not hide the error */
      }
    }
    return new ApiError(SESSION_MESSAGE, { status: 401, code: "session_expired", kind: "session_expired" });
  }

  // --- one HTTP exchange -----------------------------------------------------------------------

  function urlFor(path, query) {
    let url = base + path;
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
      const qs = params.toString();
      if (qs) url += (url.includes("?") ? "&" : "?") + qs;
    }
    return url;
  }

  async function readBody(res) {
    if (res.status === 204 || res.status === 205) return null;
    let text;
    try {
      text = await res.text();
    } catch {
      return null;
    }
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      return { message: text };
    }
  }

  async function send(method, path, { body, query, headers = {} } = {}, accessToken = null) {
    const init = { method, headers: { Accept: "application/json", ...headers } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    if (accessToken) init.headers.Authorization = `Bearer ${accessToken}`;
    let res;
    for (let attempt = 0; ; attempt += 1) {
      try {
        res = await fetchImpl(urlFor(path, query), init);
        break;
      } catch (cause) {
        if (cause && cause.name === "AbortError") throw cause;
        // A read is safe to send again: one more try after a pause rides out a blip (or a dev server
        // restarting). Writes are never repeated blindly.
        if (method === "GET" && attempt === 0) {
          await sleep(NETWORK_RETRY_DELAY_MS);
          continue;
        }
        const error = new ApiError(NETWORK_MESSAGE, { code: "network_error", kind: "network" });
        error.cause = cause;
        throw error;
      }
    }
    return { status: res.status, ok: res.ok, headers: res.headers, data: await readBody(res) };
  }

  // --- tokens --------------------------------------------------------------------------------

  function nearlyExpired(session) {
    return Number.isFinite(session.expires_at) && now() >= session.expires_at - REFRESH_AHEAD_MS;
  }

  /**
   * A fresh access token in place of `staleAccess`. Single-flight: callers share the refresh in
   * flight; one that arrives after another refresh already replaced its token just takes the new one.
   */
  function refreshSession(staleAccess) {
    if (!refreshing) {
      refreshing = Promise.resolve()
        .then(() => lock("booking-auth-refresh", () => rotate(staleAccess)))
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  }

  async function rotate(staleAccess) {
    // Read again inside the lock: another tab (or an earlier refresh here) may have rotated already.
    const current = readSession();
    if (current && current.access_token && current.access_token !== staleAccess && !nearlyExpired(current)) {
      return current.access_token;
    }
    if (!current || !current.refresh_token) throw sessionLost();
    const answer = await send("POST", "/auth/refresh", { body: { refresh_token: current.refresh_token } });
    if (answer.ok && answer.data && answer.data.access_token) return saveSession(answer.data).access_token;
    if (answer.status === 429 || answer.status >= 500) throw errorFrom(answer.status, answer.data, answer.headers, now());
    throw sessionLost(); // 401 invalid/spent/revoked refresh token (or anything else unexpected)
  }

  /** Does the API answer at all (a public route, readable cross-origin)? */
  async function serverAnswers() {
    try {
      await fetchImpl(urlFor("/system/version"), { method: "GET", headers: { Accept: "application/json" } });
      return true;
    } catch {
      return false;
    }
  }

  /** `send` for an authenticated call; an unreadable refusal from a reachable server is marked `opaque`. */
  async function sendWithToken(method, path, options, token) {
    try {
      return await send(method, path, options, token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.kind !== "network" || !(await serverAnswers())) throw err;
      return { status: 0, ok: false, opaque: true, headers: null, data: null };
    }
  }

  async function currentAccessToken() {
    const session = readSession();
    if (!session || (!session.access_token && !session.refresh_token)) throw sessionLost();
    if (session.access_token && !nearlyExpired(session)) return session.access_token;
    return refreshSession(session.access_token || null);
  }

  // --- requests ------------------------------------------------------------------------------

  function finish(answer) {
    if (answer.ok) return answer.data;
    throw errorFrom(answer.status, answer.data, answer.headers, now());
  }

  /**
   * One API call. `auth: false` for the public /auth entry points. An authenticated call that the
   * gateway refuses is retried once after a refresh; if the refresh fails the session is dropped.
   */
  async function request(method, path, { auth = true, ...options } = {}) {
    if (!auth) return finish(await send(method, path, options));
    let token = await currentAccessToken();
    let answer = await sendWithToken(method, path, options, token);
    if (answer.opaque || isAuthFailure(answer.status, answer.data)) {
      token = await refreshSession(token);
      if (answer.opaque && method !== "GET") {
        throw new ApiError(NOT_SENT_MESSAGE, { code: "not_sent", kind: "network" });
      }
      answer = await sendWithToken(method, path, options, token);
      if (answer.opaque) throw new ApiError(NETWORK_MESSAGE, { code: "network_error", kind: "network" });
      if (isAuthFailure(answer.status, answer.data)) throw sessionLost();
    }
    return finish(answer);
  }

  const get = (path, options) => request("GET", path, options);
  const post = (path, body, options = {}) => request("POST", path, { ...options, body });
  const patch = (path, body, options = {}) => request("PATCH", path, { ...options, body });
  const put = (path, body, options = {}) => request("PUT", path, { ...options, body });
  const del = (path, options) => request("DELETE", path, options);

  // --- auth --------------------------------------------------------------------------------------

  async function startSession(promise) {
    const answer = await promise;
    saveSession(answer);
    return answer;
  }

  /**
   * End this session's refresh-token family on the server (best effort: an expired access token is
   * refreshed first, a spent refresh token still names its family) and forget the tokens.
   */
  async function logout() {
    const session = readSession();
    loggingOut = true;
    try {
      if (session && session.refresh_token) {
        await request("POST", "/auth/logout", { body: { refresh_token: session.refresh_token } });
      }
    } catch {
      /* offline or already ended: the tokens are forgotten all the same */
    } finally {
      loggingOut = false;
      clearSession();
    }
  }

  /** The whole team: every page of members (following next_cursor) and the open invitations. */
  async function listTeam({ pageSize = 100, maxPages = 50 } = {}) {
    const members = [];
    let invitations = [];
    let cursor = null;
    for (let i = 0; i < maxPages; i += 1) {
      const page = await get("/business/users", { query: { limit: pageSize, cursor } });
      members.push(...(page.items || []));
      if (i === 0) invitations = page.invitations || [];
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return { members, invitations };
  }

  /** Every item of a list route, following next_cursor (at most maxPages pages of pageSize). */
  async function listAll(path, query = {}, { pageSize = 200, maxPages = 50, auth = true } = {}) {
    const items = [];
    let cursor = null;
    for (let i = 0; i < maxPages; i += 1) {
      const page = await get(path, { query: { ...query, limit: pageSize, cursor }, auth });
      items.push(...((page && page.items) || []));
      cursor = page && page.next_cursor;
      if (!cursor) break;
    }
    return items;
  }

  const enc = encodeURIComponent;
  const withKey = (key) => (key ? { headers: { "Idempotency-Key": key } } : {});
  const pub = { auth: false }; // customers' routes: no token, no refresh, never "log in again"

  return {
    request, get, post, patch, put, delete: del,
    session: { read: readSession, save: saveSession, clear: clearSession, isLoggedIn },
    refresh: () => refreshSession((readSession() || {}).access_token || null),

    signup: (data) => startSession(post("/auth/signup", data, { auth: false })),
    login: (email, password) => startSession(deviceLogin(email, password)),
    acceptInvitation: (token, name, password) =>
      startSession(post("/auth/invitations/accept", { token, name, password }, { auth: false })),
    forgotPassword: (email) => post("/auth/password/forgot", { email }, { auth: false }),
    resetPassword: (token, password) => post("/auth/password/reset", { token, password }, { auth: false }),
    verifyEmail: (token) => post("/auth/email/verify", { token }, { auth: false }),
    logout,
    me: () => get("/auth/me"),

    getBusiness: () => get("/business"),
    updateBusiness: (changes) => patch("/business", changes),
    listTeam,
    invite: (email, role, idempotencyKey) =>
      post("/business/users/invitations", { email, role }, { headers: { "Idempotency-Key": idempotencyKey } }),
    changeRole: (userId, role) => patch(`/business/users/${enc(userId)}`, { role }),
    removeMember: (userId) => del(`/business/users/${enc(userId)}`),

    // the calendar: what appointments refer to, by id (archived and inactive ones too, for old bookings)
    listAll,
    listStaff: () => listAll("/staff", { include_inactive: true }),
    listServices: () => listAll("/services", { include_archived: true }),
    listLocations: () => listAll("/locations", { include_archived: true }),
    searchCustomers: (q, limit = 10) => get("/customers", { query: { q, limit } }),
    getCustomer: (customerId) => get(`/customers/${enc(customerId)}`),
    listAppointments: (from, to, filters = {}) => listAll("/appointments", { from, to, ...filters }),
    getAppointment: (appointmentId) => get(`/appointments/${enc(appointmentId)}`),
    appointmentHistory: (appointmentId) => get(`/appointments/${enc(appointmentId)}/history`),
    /** action: confirm | complete | no-show | cancel | reschedule (the path segment); body carries `version`. */
    appointmentAction: (appointmentId, action, body = {}) => post(`/appointments/${enc(appointmentId)}/${action}`, body),
    createAppointment: (body, idempotencyKey) => post("/appointments", body, withKey(idempotencyKey)),
    availability: (query) => get("/availability", { query }),

    // notifications: channels, reminders and sender (PUT carries only what changed, and `version`), the
    // wording of each message per channel (PUT customises, DELETE goes back to the default), the log
    notificationSettings: () => get("/notifications/settings"),
    updateNotificationSettings: (changes) => put("/notifications/settings", changes),
    notificationTemplates: () => get("/notifications/templates"),
    /** content: {subject, body} (e-mail) or {name, language, parameters} (WhatsApp), optional `version`. */
    saveTemplate: (key, content) => put(`/notifications/templates/${enc(key)}`, content),
    resetTemplate: (key) => del(`/notifications/templates/${enc(key)}`),
    /** One page, newest first: {limit, cursor, appointment_id, customer_id} (unset ones left out). */
    notificationLog: (query = {}) => get("/notifications/log", { query }),

    // the public booking page and the customer's manage link
    publicProfile: (slug) => get(`/public/${enc(slug)}`, pub),
    publicAvailability: (slug, query) => get(`/public/${enc(slug)}/availability`, { ...pub, query }),
    publicBook: (slug, body, idempotencyKey) =>
      post(`/public/${enc(slug)}/bookings`, body, { ...pub, ...withKey(idempotencyKey) }),
    managedBooking: (token) => get(`/public/bookings/${enc(token)}`, pub),
    /** Times the booking could move to: same service, staff and place, its own time left free. */
    managedBookingSlots: (token, query) => get(`/public/bookings/${enc(token)}/availability`, { ...pub, query }),
    cancelManaged: (token, reason) => post(`/public/bookings/${enc(token)}/cancel`, { reason: reason || null }, pub),
    rescheduleManaged: (token, startAt) => post(`/public/bookings/${enc(token)}/reschedule`, { start_at: startAt }, pub),
    confirmConsent: (token) => post(`/public/consent/${enc(token)}`, undefined, pub),
  };
}
