// The API client: typed calls generated from /system/openapi.json (openapi-fetch), over a fetch that
// carries the session's tokens and understands the two kinds of "403".
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
// In a browser those gateway answers carry no CORS headers, so a cross-origin SPA cannot read them:
// fetch just fails as if the network were down. So when an authenticated call "cannot reach the
// server" but a public route answers, the failure is taken for the gateway's refusal: the token is
// refreshed and a read is retried once (a write is not repeated blindly: the user is asked to retry).
//
// Everything that touches the outside (fetch, storage, the clock, the lock) is injected, so the
// logic runs under Vitest with fakes.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./api-schema";

export type Schemas = components["schemas"];

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

export type ErrorKind = "http" | "network" | "session_expired" | "rate_limited";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly kind: ErrorKind;
  readonly retryAfter: number | null;

  constructor(
    message: string,
    {
      status = 0,
      code = "error",
      details = {},
      kind = "http",
      retryAfter = null,
    }: { status?: number; code?: string; details?: Record<string, unknown>; kind?: ErrorKind; retryAfter?: number | null } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  /** The 422 reasons by field path ("booking_policy.slot_interval_min" → "Expected `int` >= 5"). */
  get fields(): Record<string, string> {
    const fields = this.details.fields;
    return fields && typeof fields === "object" ? (fields as Record<string, string>) : {};
  }
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), at least 1. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (value == null || value === "") return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Math.max(1, parseInt(text, 10));
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - nowMs) / 1000));
}

/** "Try again in 40 seconds." from a Retry-After (null: not said). */
export function retryWords(seconds: number | null): string {
  if (seconds == null) return "Please wait a moment and try again.";
  const unit = seconds === 1 ? "second" : "seconds";
  const minutes = seconds > 90 ? ` (about ${Math.round(seconds / 60)} minutes)` : "";
  return `Try again in ${seconds} ${unit}${minutes}.`;
}

type OurError = { code?: string; message?: string; details?: Record<string, unknown> };

function ourError(body: unknown): OurError | null {
  if (body === null || typeof body !== "object") return null;
  const error = (body as { error?: unknown }).error;
  return error !== null && typeof error === "object" ? (error as OurError) : null;
}

/**
 * Is this an API Gateway authorizer failure (the token is missing, expired or invalid)? Every 401, and
 * a 403 without our `error` key; a 403 with it is a real permission error.
 */
export function isAuthFailure(status: number, body: unknown): boolean {
  if (status === 401) return true;
  return status === 403 && !(body !== null && typeof body === "object" && "error" in body);
}

/** Our error shape, 429 and gateway bodies turned into an ApiError. */
export function errorFrom(status: number, body: unknown, headers: Headers | null, nowMs: number = Date.now()): ApiError {
  const ours = ourError(body);
  if (status === 429) {
    const said = ours?.details?.retry_after;
    const retryAfter =
      parseRetryAfter(headers?.get("Retry-After"), nowMs) ?? (typeof said === "number" && Number.isFinite(said) ? said : null);
    return new ApiError(`Too many attempts. ${retryWords(retryAfter)}`, {
      status,
      code: "rate_limited",
      details: ours?.details ?? {},
      kind: "rate_limited",
      retryAfter,
    });
  }
  if (ours) {
    return new ApiError(ours.message || `Request failed (HTTP ${status}).`, {
      status,
      code: ours.code || "error",
      details: ours.details ?? {},
    });
  }
  if (status >= 500) return new ApiError(SERVER_MESSAGE, { status, code: "server_error" });
  return new ApiError(`The request failed (HTTP ${status}).`, { status, code: "http_error" });
}

interface StoredSession {
  access_token: string | null;
  refresh_token: string | null;
  expires_at: number | null;
}

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in?: number;
}

type Lock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface ApiOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem">;
  onSessionExpired?: () => void;
  lock?: Lock;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

function memoryStorage(): Pick<Storage, "getItem" | "setItem" | "removeItem"> {
  const data = new Map<string, string>();
  return {
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, String(v)),
    removeItem: (k) => void data.delete(k),
  };
}

const defaultLock: Lock = (name, fn) => {
  const locks = globalThis.navigator?.locks;
  return locks && typeof locks.request === "function" ? (locks.request(name, fn) as Promise<Awaited<ReturnType<typeof fn>>>) : fn();
};

// Routes that take no token: the entry points of a session, the customer's pages and the system's.
const PUBLIC_PREFIXES = ["/public/", "/system/"];
const PUBLIC_AUTH = new Set([
  "/auth/login",
  "/auth/signup",
  "/auth/refresh",
  "/auth/password/forgot",
  "/auth/password/reset",
  "/auth/email/verify",
  "/auth/invitations/accept",
]);

export function isPublicPath(path: string): boolean {
  return PUBLIC_AUTH.has(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix));
}

export type ApiClient = Client<paths>;

export interface Api {
  client: ApiClient;
  baseUrl: string;
  isLoggedIn(): boolean;
  /** Keep the tokens of a login, signup, invitation or refresh answer. */
  saveSession(answer: TokenAnswer): void;
  login(email: string, password: string): Promise<Schemas["LoginSession"]>;
  logout(): Promise<void>;
  /** The session's current access token (refreshed first when it is about to lapse), for uploads. */
  accessToken(): Promise<string>;
}

export function createApi({
  baseUrl,
  fetch: fetchImpl = (...args) => globalThis.fetch(...args),
  storage = globalThis.localStorage ?? memoryStorage(),
  onSessionExpired = () => {},
  lock = defaultLock,
  now = () => Date.now(),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}: ApiOptions): Api {
  const base = String(baseUrl || "").replace(/\/+$/, "");
  let refreshing: Promise<string> | null = null; // the one refresh in flight in this tab
  let lossReported = false;
  let loggingOut = false;

  // --- the session ---------------------------------------------------------------------------

  function readSession(): StoredSession | null {
    try {
      const raw = storage.getItem(STORAGE_KEY);
      const session = raw ? (JSON.parse(raw) as unknown) : null;
      return session && typeof session === "object" ? (session as StoredSession) : null;
    } catch {
      return null;
    }
  }

  function saveSession(answer: TokenAnswer): StoredSession {
    const session: StoredSession = {
      access_token: answer.access_token,
      refresh_token: answer.refresh_token,
      expires_at: Number.isFinite(answer.expires_in) ? now() + (answer.expires_in as number) * 1000 : null,
    };
    storage.setItem(STORAGE_KEY, JSON.stringify(session));
    lossReported = false;
    return session;
  }

  function readDevices(): Record<string, string> {
    try {
      const devices = JSON.parse(storage.getItem(DEVICES_KEY) || "{}") as unknown;
      return devices && typeof devices === "object" ? (devices as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  function clearSession(): void {
    storage.removeItem(STORAGE_KEY);
  }

  function isLoggedIn(): boolean {
    const s = readSession();
    return Boolean(s && (s.access_token || s.refresh_token));
  }

  function sessionLost(): ApiError {
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

  async function send(request: Request, accessToken: string | null = null): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      const attemptRequest = request.clone();
      if (accessToken) attemptRequest.headers.set("Authorization", `Bearer ${accessToken}`);
      try {
        return await fetchImpl(attemptRequest);
      } catch (cause) {
        if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
        if ((cause as { name?: string } | null)?.name === "AbortError") throw cause;
        // A read is safe to send again: one more try after a pause rides out a blip (or a dev server
        // restarting). Writes are never repeated blindly.
        if (request.method === "GET" && attempt === 0) {
          await sleep(NETWORK_RETRY_DELAY_MS);
          continue;
        }
        const error = new ApiError(NETWORK_MESSAGE, { code: "network_error", kind: "network" });
        (error as { cause?: unknown }).cause = cause;
        throw error;
      }
    }
  }

  async function bodyOf(response: Response): Promise<unknown> {
    try {
      const text = await response.clone().text();
      return text ? (JSON.parse(text) as unknown) : null;
    } catch {
      return null;
    }
  }

  // --- tokens --------------------------------------------------------------------------------

  function nearlyExpired(session: StoredSession): boolean {
    return Number.isFinite(session.expires_at) && now() >= (session.expires_at as number) - REFRESH_AHEAD_MS;
  }

  /**
   * A fresh access token in place of `staleAccess`. Single-flight: callers share the refresh in
   * flight; one that arrives after another refresh already replaced its token just takes the new one.
   */
  function refreshSession(staleAccess: string | null): Promise<string> {
    if (!refreshing) {
      refreshing = Promise.resolve()
        .then(() => lock("booking-auth-refresh", () => rotate(staleAccess)))
        .finally(() => {
          refreshing = null;
        });
    }
    return refreshing;
  }

  async function rotate(staleAccess: string | null): Promise<string> {
    // Read again inside the lock: another tab (or an earlier refresh here) may have rotated already.
    const current = readSession();
    if (current?.access_token && current.access_token !== staleAccess && !nearlyExpired(current)) {
      return current.access_token;
    }
    if (!current?.refresh_token) throw sessionLost();
    const response = await send(
      new Request(`${base}/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_token: current.refresh_token }),
      }),
    );
    const body = await bodyOf(response);
    if (response.ok && body && typeof body === "object" && "access_token" in body) {
      return saveSession(body as TokenAnswer).access_token as string;
    }
    if (response.status === 429 || response.status >= 500) throw errorFrom(response.status, body, response.headers, now());
    throw sessionLost(); // 401 invalid/spent/revoked refresh token (or anything else unexpected)
  }

  /** Does the API answer at all (a public route, readable cross-origin)? */
  async function serverAnswers(): Promise<boolean> {
    try {
      await fetchImpl(new Request(`${base}/system/version`, { headers: { Accept: "application/json" } }));
      return true;
    } catch {
      return false;
    }
  }

  /** `send` for an authenticated call; an unreadable refusal from a reachable server gives null. */
  async function sendWithToken(request: Request, token: string): Promise<Response | null> {
    try {
      return await send(request, token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.kind !== "network" || !(await serverAnswers())) throw err;
      return null;
    }
  }

  async function currentAccessToken(): Promise<string> {
    const session = readSession();
    if (!session || (!session.access_token && !session.refresh_token)) throw sessionLost();
    if (session.access_token && !nearlyExpired(session)) return session.access_token;
    return refreshSession(session.access_token || null);
  }

  /** Only a 401 or 403 can be the gateway's: every other answer goes on unread. */
  async function gatewayRefused(response: Response): Promise<boolean> {
    return (response.status === 401 || response.status === 403) && isAuthFailure(response.status, await bodyOf(response));
  }

  /**
   * The fetch openapi-fetch sends through. A public route goes as it is. An authenticated call that
   * the gateway refuses is retried once after a refresh; if the refresh fails the session is dropped.
   */
  async function sessionFetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.slice(new URL(`${base}/`).pathname.length - 1);
    if (isPublicPath(path)) return send(request);
    let token = await currentAccessToken();
    let response = await sendWithToken(request, token);
    if (response === null || (await gatewayRefused(response))) {
      token = await refreshSession(token);
      if (response === null && request.method !== "GET") {
        throw new ApiError(NOT_SENT_MESSAGE, { code: "not_sent", kind: "network" });
      }
      response = await sendWithToken(request, token);
      if (response === null) throw new ApiError(NETWORK_MESSAGE, { code: "network_error", kind: "network" });
      if (await gatewayRefused(response)) throw sessionLost();
    }
    return response;
  }

  const client = createClient<paths>({ baseUrl: base, fetch: sessionFetch });

  async function login(email: string, password: string): Promise<Schemas["LoginSession"]> {
    const address = String(email).trim().toLowerCase();
    const known = readDevices()[address];
    const body = known ? { email, password, device_token: known } : { email, password };
    const answer = await unwrap(client.POST("/auth/login", { body }));
    if (answer.device_token) {
      storage.setItem(DEVICES_KEY, JSON.stringify({ ...readDevices(), [address]: answer.device_token }));
    }
    saveSession(answer);
    return answer;
  }

  /**
   * End this session's refresh-token family on the server (best effort: an expired access token is
   * refreshed first, a spent refresh token still names its family) and forget the tokens.
   */
  async function logout(): Promise<void> {
    const session = readSession();
    loggingOut = true;
    try {
      if (session?.refresh_token) {
        await client.POST("/auth/logout", { body: { refresh_token: session.refresh_token } });
      }
    } catch {
      /* offline or already ended: the tokens are forgotten all the same */
    } finally {
      loggingOut = false;
      clearSession();
    }
  }

  return {
    client,
    baseUrl: base,
    isLoggedIn,
    saveSession: (answer) => void saveSession(answer),
    login,
    logout,
    accessToken: currentAccessToken,
  };
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of a successful answer, or the API's refusal as an ApiError. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw errorFrom(response.status, error, response.headers);
}
