// The API client against a fake fetch: tokens, the gateway's 401/403, single-flight refresh, errors.
import { ApiError, createApi, DEVICES_KEY, errorFrom, isAuthFailure, parseRetryAfter, STORAGE_KEY, unwrap } from "./api-client";

const BASE = "http://api.test";
const GATEWAY_401 = { message: "Unauthorized" };
const GATEWAY_403 = { Message: "User is not authorized to access this resource" };

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | null;
  headers: Headers;
  body: Record<string, unknown> | undefined;
}

function json(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, String(v)),
    removeItem: (k: string) => void data.delete(k),
  };
}

type Handler = (call: Call, calls: Call[]) => Response | Promise<Response>;

function session(access = "access-1", refresh = "refresh-1", extra: Record<string, unknown> = {}) {
  return { [STORAGE_KEY]: JSON.stringify({ access_token: access, refresh_token: refresh, expires_at: null, ...extra }) };
}

function setup(handler: Handler, { storage = memoryStorage(session()), now }: { storage?: ReturnType<typeof memoryStorage>; now?: () => number } = {}) {
  const calls: Call[] = [];
  const fetchImpl = async (input: RequestInfo | URL) => {
    const request = input as Request;
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    const call: Call = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      authorization: request.headers.get("Authorization"),
      headers: request.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
    calls.push(call);
    return handler(call, calls);
  };
  let expired = 0;
  const api = createApi({
    baseUrl: BASE,
    fetch: fetchImpl as typeof fetch,
    storage,
    onSessionExpired: () => {
      expired += 1;
    },
    lock: (_n, fn) => fn(),
    ...(now ? { now } : {}),
    sleep: async () => {},
  });
  return { api, calls, storage, expiredCount: () => expired };
}

const stored = (storage: ReturnType<typeof memoryStorage>) => JSON.parse(storage.getItem(STORAGE_KEY) ?? "null") as Record<string, unknown> | null;

/** The server side of a rotation: refresh-N → access-(N+1)/refresh-(N+1). */
function rotated(call: Call): Response {
  const n = Number(String(call.body?.refresh_token).split("-")[1]) + 1;
  return json(200, { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: "Bearer", expires_in: 900 });
}

const me = (api: ReturnType<typeof createApi>) => unwrap(api.client.GET("/auth/me"));
const ME = { user: { id: "u1" }, role: "owner" };

describe("tokens", () => {
  it("login keeps both tokens and later calls send the access token as Bearer", async () => {
    const { api, calls, storage } = setup((call) =>
      call.path === "/auth/login" ? json(200, { access_token: "a", refresh_token: "r", expires_in: 900, device_token: null }) : json(200, ME),
    );
    storage.removeItem(STORAGE_KEY);
    await api.login("Owner@Example.com", "pw");
    expect(calls[0]?.authorization).toBeNull();
    await me(api);
    expect(calls[1]?.authorization).toBe("Bearer a");
    expect(stored(storage)).toMatchObject({ access_token: "a", refresh_token: "r" });
  });

  it("login keeps the device token per address and presents it at the next login, after a logout too", async () => {
    const { api, calls, storage } = setup((call) =>
      call.path === "/auth/login" ? json(200, { access_token: "a", refresh_token: "r", expires_in: 900, device_token: "dev-1" }) : json(204),
    );
    await api.login("Owner@Example.com", "pw");
    expect(JSON.parse(storage.getItem(DEVICES_KEY) ?? "{}")).toEqual({ "owner@example.com": "dev-1" });
    await api.logout();
    await api.login("owner@example.com ", "pw");
    expect(calls.at(-1)?.body).toMatchObject({ device_token: "dev-1" });
  });

  it("a 401 from a public route (wrong password) is an error, not a refresh", async () => {
    const { api, calls, expiredCount } = setup(() => json(401, { error: { code: "invalid_credentials", message: "Wrong e-mail or password.", details: {} } }));
    await expect(api.login("a@b.c", "x")).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
    expect(calls).toHaveLength(1);
    expect(expiredCount()).toBe(0);
  });

  it("calling an authenticated route without any session drops to login without a request", async () => {
    const { api, calls, expiredCount } = setup(() => json(200, ME), { storage: memoryStorage() });
    await expect(me(api)).rejects.toMatchObject({ kind: "session_expired" });
    expect(calls).toHaveLength(0);
    expect(expiredCount()).toBe(1);
  });

  it("public routes send no token even when a member is signed in on this browser", async () => {
    const { api, calls } = setup(() => json(200, {}));
    await api.client.GET("/public/{slug}", { params: { path: { slug: "demo" } } });
    expect(calls[0]?.authorization).toBeNull();
  });

  it("a 403 or 404 from a public route is an error to show: no refresh, no trip to the log-in page", async () => {
    const { api, calls, expiredCount } = setup(() => json(403, GATEWAY_403));
    await expect(unwrap(api.client.GET("/public/bookings/{token}", { params: { path: { token: "t" } } }))).rejects.toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
    expect(expiredCount()).toBe(0);
  });
});

describe("refresh on the gateway's auth failures", () => {
  it.each([
    [401, GATEWAY_401],
    [403, GATEWAY_403],
  ])("%s: refreshes once, then retries the request once", async (status, body) => {
    const { api, calls, storage } = setup((call) => {
      if (call.path === "/auth/refresh") return rotated(call);
      return call.authorization === "Bearer access-1" ? json(status, body) : json(200, ME);
    });
    await expect(me(api)).resolves.toMatchObject(ME);
    expect(calls.map((c) => `${c.path} ${c.authorization ?? ""}`)).toEqual([
      "/auth/me Bearer access-1",
      "/auth/refresh ",
      "/auth/me Bearer access-2",
    ]);
    expect(stored(storage)).toMatchObject({ access_token: "access-2", refresh_token: "refresh-2" });
  });

  it("a 403 with our error body is a permission error: shown, no refresh", async () => {
    const { api, calls } = setup(() => json(403, { error: { code: "forbidden", message: "Admins only.", details: {} } }));
    await expect(me(api)).rejects.toMatchObject({ status: 403, code: "forbidden", message: "Admins only." });
    expect(calls).toHaveLength(1);
  });

  it("retries only once: a second auth failure ends the session", async () => {
    const { api, storage, expiredCount } = setup((call) => (call.path === "/auth/refresh" ? rotated(call) : json(401, GATEWAY_401)));
    await expect(me(api)).rejects.toMatchObject({ kind: "session_expired" });
    expect(stored(storage)).toBeNull();
    expect(expiredCount()).toBe(1);
  });

  it("a refused refresh clears the tokens and reports the session as ended", async () => {
    const { api, storage, expiredCount } = setup((call) =>
      call.path === "/auth/refresh" ? json(401, { error: { code: "invalid_token", message: "no", details: {} } }) : json(401, GATEWAY_401),
    );
    await expect(me(api)).rejects.toMatchObject({ kind: "session_expired" });
    expect(stored(storage)).toBeNull();
    expect(expiredCount()).toBe(1);
  });

  it("single flight: concurrent failures share one refresh (a rotated token is never reused)", async () => {
    const { api, calls } = setup((call) => {
      if (call.path === "/auth/refresh") return rotated(call);
      return call.authorization === "Bearer access-1" ? json(401, GATEWAY_401) : json(200, ME);
    });
    await Promise.all([me(api), me(api), me(api)]);
    expect(calls.filter((c) => c.path === "/auth/refresh")).toHaveLength(1);
  });

  it("refreshes ahead of time when the access token is about to expire", async () => {
    const storage = memoryStorage(session("access-1", "refresh-1", { expires_at: 1_000_010_000 }));
    const { api, calls } = setup((call) => (call.path === "/auth/refresh" ? rotated(call) : json(200, ME)), { storage, now: () => 1_000_000_000 });
    await me(api);
    expect(calls.map((c) => c.path)).toEqual(["/auth/refresh", "/auth/me"]);
    expect(calls[1]?.authorization).toBe("Bearer access-2");
  });

  it("a refresh that cannot reach the server keeps the tokens (the user is not logged out by a blip)", async () => {
    const { api, storage, expiredCount } = setup((call) => {
      if (call.path === "/auth/refresh") throw new TypeError("Failed to fetch");
      return json(401, GATEWAY_401);
    });
    await expect(me(api)).rejects.toMatchObject({ kind: "network" });
    expect(stored(storage)).toMatchObject({ refresh_token: "refresh-1" });
    expect(expiredCount()).toBe(0);
  });
});

describe("gateway refusals a browser cannot read (no CORS headers on them)", () => {
  // The first call with the old token "fails to fetch"; /system/version answers, so the server is up.
  const opaque = (call: Call) => {
    if (call.path === "/system/version") return json(200, { version: "1" });
    if (call.path === "/auth/refresh") return rotated(call);
    if (call.authorization === "Bearer access-1") throw new TypeError("Failed to fetch");
    return json(200, ME);
  };

  it("a read is refreshed and retried once", async () => {
    const { api, calls } = setup(opaque);
    await expect(me(api)).resolves.toMatchObject(ME);
    expect(calls.at(-1)?.authorization).toBe("Bearer access-2");
  });

  it("a write is not repeated: the token is refreshed and the user asked to try again", async () => {
    const { api, calls, storage } = setup(opaque);
    await expect(unwrap(api.client.POST("/customers", { body: { name: "Ann" } as never }))).rejects.toMatchObject({ code: "not_sent" });
    expect(calls.filter((c) => c.path === "/customers")).toHaveLength(1);
    expect(stored(storage)).toMatchObject({ access_token: "access-2" });
  });

  it("when nothing answers it is a network error and the tokens stay", async () => {
    const { api, storage } = setup(() => {
      throw new TypeError("Failed to fetch");
    });
    await expect(me(api)).rejects.toMatchObject({ kind: "network", code: "network_error" });
    expect(stored(storage)).toMatchObject({ access_token: "access-1" });
  });
});

describe("logout", () => {
  it("posts the refresh token, then forgets both tokens", async () => {
    const { api, calls, storage } = setup(() => json(204));
    await api.logout();
    expect(calls[0]).toMatchObject({ path: "/auth/logout", body: { refresh_token: "refresh-1" } });
    expect(stored(storage)).toBeNull();
    expect(api.isLoggedIn()).toBe(false);
  });

  it("forgets the tokens even when the server cannot be reached, without a 'session expired' redirect", async () => {
    const { api, storage, expiredCount } = setup(() => {
      throw new TypeError("Failed to fetch");
    });
    await api.logout();
    expect(stored(storage)).toBeNull();
    expect(expiredCount()).toBe(0);
  });
});

describe("errors", () => {
  it("422: details.fields are available by field path", async () => {
    const { api } = setup(() =>
      json(422, { error: { code: "validation_failed", message: "Some fields are not valid.", details: { fields: { "booking_policy.slot_interval_min": "Expected `int` >= 5" } } } }),
    );
    const error = await unwrap(api.client.PATCH("/business", { body: {} as never })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).fields).toEqual({ "booking_policy.slot_interval_min": "Expected `int` >= 5" });
  });

  it("409 stale_version keeps its code (the page offers a reload)", async () => {
    const { api } = setup(() => json(409, { error: { code: "stale_version", message: "The service was changed by someone else; reload and try again.", details: {} } }));
    await expect(unwrap(api.client.PATCH("/business", { body: {} as never }))).rejects.toMatchObject({ status: 409, code: "stale_version" });
  });

  it("429: 'try again in N seconds' from Retry-After", async () => {
    const { api } = setup(() => json(429, { error: { code: "rate_limited", message: "Too many", details: { retry_after: 99 } } }, { "Retry-After": "40" }));
    const error = (await me(api).catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ kind: "rate_limited", retryAfter: 40 });
    expect(error.message).toBe("Too many attempts. Try again in 40 seconds.");
  });

  it("a GET that could not reach the server is tried once more", async () => {
    let n = 0;
    const { api, calls } = setup(() => {
      n += 1;
      if (n === 1) throw new TypeError("Failed to fetch");
      return json(200, ME);
    });
    await expect(me(api)).resolves.toMatchObject(ME);
    expect(calls).toHaveLength(2);
  });

  it("a 5xx without our shape (e.g. a gateway 502) is a generic server error", () => {
    expect(errorFrom(502, { message: "Bad Gateway" }, null)).toMatchObject({ code: "server_error", status: 502 });
  });

  it("isAuthFailure and parseRetryAfter", () => {
    expect(isAuthFailure(401, { error: {} })).toBe(true);
    expect(isAuthFailure(403, GATEWAY_403)).toBe(true);
    expect(isAuthFailure(403, { error: { code: "forbidden" } })).toBe(false);
    expect(parseRetryAfter("0")).toBe(1);
    expect(parseRetryAfter("120")).toBe(120);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 0)).toBe(61);
    expect(parseRetryAfter("soon")).toBeNull();
  });
});
