// The API client against a fake fetch: tokens, the gateway's 401/403, single-flight refresh, errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ApiError, createApi, DEVICES_KEY, isAuthFailure, parseRetryAfter, STORAGE_KEY } from "../src/api.js";

const BASE = "http://api.test";
const GATEWAY_401 = { message: "Unauthorized" };
const GATEWAY_403 = { Message: "User is not authorized to access this resource" };

function json(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json", ...headers },
  });
}

function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

/** A fetch that records every call and answers with `handler(call)`. */
function fakeFetch(handler) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const call = {
      url, method: init.method || "GET", headers: init.headers || {},
      body: init.body ? JSON.parse(init.body) : undefined,
      path: new URL(url).pathname, query: new URL(url).searchParams,
    };
    calls.push(call);
    return handler(call, calls);
  };
  return { fetch, calls };
}

function session(access = "access-1", refresh = "refresh-1", extra = {}) {
  return { [STORAGE_KEY]: JSON.stringify({ access_token: access, refresh_token: refresh, expires_at: null, ...extra }) };
}

function setup(handler, { storage = memoryStorage(session()), now } = {}) {
  const { fetch, calls } = fakeFetch(handler);
  let expired = 0;
  const api = createApi({
    baseUrl: BASE, fetch, storage, onSessionExpired: () => { expired += 1; }, lock: (n, fn) => fn(), now,
    sleep: async () => {},
  });
  return { api, calls, storage, expiredCount: () => expired };
}

const bearer = (call) => call.headers.Authorization;
const stored = (storage) => JSON.parse(storage.getItem(STORAGE_KEY));

/** The server side of a rotation: refresh-N → access-(N+1)/refresh-(N+1). */
function rotated(call) {
  const n = Number(call.body.refresh_token.split("-")[1]) + 1;
  return json(200, { access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: "Bearer", expires_in: 900 });
}

describe("tokens", () => {
  it("login keeps both tokens and later calls send the access token as Bearer", async () => {
    const { api, calls, storage } = setup((call) => {
      if (call.path === "/auth/login") {
        return json(200, { access_token: "a", refresh_token: "r", expires_in: 900, role: "owner", user: {} });
      }
      return json(200, { ok: true });
    }, { storage: memoryStorage(), now: () => 1_000 });
    await api.login("owner@demo-salon.test", "secret-secret");
    assert.deepEqual(calls[0].body, { email: "owner@demo-salon.test", password: "secret-secret" });
    assert.equal(calls[0].headers["Content-Type"], "application/json");
    assert.equal(bearer(calls[0]), undefined, "login is public: no bearer");
    assert.deepEqual(stored(storage), { access_token: "a", refresh_token: "r", expires_at: 1_000 + 900_000 });

    assert.deepEqual(await api.get("/business"), { ok: true });
    assert.equal(calls[1].url, `${BASE}/business`);
    assert.equal(bearer(calls[1]), "Bearer a");
  });

  it("login keeps the device token per address and presents it at the next login, after a logout too", async () => {
    const storage = memoryStorage();
    let issued = 0;
    const { api, calls } = setup((call) => {
      if (call.path === "/auth/login") {
        issued += 1;
        return json(200, { access_token: "a", refresh_token: "r", expires_in: 900, device_token: `device-${issued}` });
      }
      return json(204, null);
    }, { storage });
    await api.login("Owner@Demo-Salon.test", "secret-secret");
    await api.logout();
    await api.login("owner@demo-salon.test", "secret-secret");
    await api.login("someone@else.test", "secret-secret");

    const logins = calls.filter((call) => call.path === "/auth/login");
    assert.equal(logins[0].body.device_token, undefined);
    assert.equal(logins[1].body.device_token, "device-1");
    assert.equal(logins[2].body.device_token, undefined, "a device token belongs to one account");
    assert.deepEqual(JSON.parse(storage.getItem(DEVICES_KEY)),
      { "owner@demo-salon.test": "device-2", "someone@else.test": "device-3" });
  });

  it("a 401 from a public route (wrong password) is an error, not a refresh", async () => {
    const { api, calls } = setup(() =>
      json(401, { error: { code: "invalid_credentials", message: "The e-mail or password is not right.", details: {} } }));
    await assert.rejects(api.login("a@b.test", "nope-nope-nope"), (err) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, "invalid_credentials");
      assert.equal(err.message, "The e-mail or password is not right.");
      return true;
    });
    assert.equal(calls.length, 1);
  });

  it("calling an authenticated route without any session drops to login without a request", async () => {
    const { api, calls, expiredCount } = setup(() => json(200, {}), { storage: memoryStorage() });
    await assert.rejects(api.me(), (err) => err.kind === "session_expired");
    assert.equal(calls.length, 0);
    assert.equal(expiredCount(), 1);
  });
});

describe("refresh on the gateway's auth failures", () => {
  for (const [status, body] of [[401, GATEWAY_401], [403, GATEWAY_403]]) {
    it(`${status} ${JSON.stringify(body)}: refreshes once, then retries the request once`, async () => {
      const { api, calls, storage } = setup((call) => {
        if (call.path === "/auth/refresh") return rotated(call);
        return bearer(call) === "Bearer access-2" ? json(200, { name: "Demo Salon" }) : json(status, body);
      });
      assert.deepEqual(await api.getBusiness(), { name: "Demo Salon" });
      assert.deepEqual(calls.map((c) => c.path), ["/business", "/auth/refresh", "/business"]);
      assert.deepEqual(calls[1].body, { refresh_token: "refresh-1" });
      assert.equal(bearer(calls[1]), undefined, "the refresh itself carries no bearer");
      assert.equal(bearer(calls[2]), "Bearer access-2");
      assert.equal(stored(storage).refresh_token, "refresh-2");
    });
  }

  it("a 403 with our error body is a permission error: shown, no refresh", async () => {
    const { api, calls, storage } = setup(() =>
      json(403, { error: { code: "forbidden", message: "This needs the admin role or higher.", details: {} } }));
    await assert.rejects(api.updateBusiness({ name: "X", version: 1 }), (err) => {
      assert.equal(err.status, 403);
      assert.equal(err.code, "forbidden");
      assert.equal(err.kind, "http");
      assert.equal(err.message, "This needs the admin role or higher.");
      return true;
    });
    assert.deepEqual(calls.map((c) => c.path), ["/business"]);
    assert.equal(stored(storage).access_token, "access-1", "tokens kept");
  });

  it("retries only once: a second auth failure ends the session", async () => {
    const { api, calls, storage, expiredCount } = setup((call) =>
      call.path === "/auth/refresh" ? rotated(call) : json(403, GATEWAY_403));
    await assert.rejects(api.me(), (err) => err.kind === "session_expired" && err.status === 401);
    assert.deepEqual(calls.map((c) => c.path), ["/auth/me", "/auth/refresh", "/auth/me"]);
    assert.equal(storage.getItem(STORAGE_KEY), null);
    assert.equal(expiredCount(), 1);
  });

  it("a refused refresh clears the tokens and reports the session as ended", async () => {
    const { api, calls, storage, expiredCount } = setup((call) =>
      call.path === "/auth/refresh"
        ? json(401, { error: { code: "unauthorized", message: "The refresh token is not valid.", details: {} } })
        : json(401, GATEWAY_401));
    await assert.rejects(api.getBusiness(), (err) => err.kind === "session_expired");
    assert.deepEqual(calls.map((c) => c.path), ["/business", "/auth/refresh"]);
    assert.equal(storage.getItem(STORAGE_KEY), null);
    assert.equal(expiredCount(), 1);
  });

  it("single flight: concurrent failures share one refresh (a rotated token is never reused)", async () => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const { api, calls } = setup(async (call) => {
      if (call.path === "/auth/refresh") {
        await gate;
        return rotated(call);
      }
      return bearer(call) === "Bearer access-2" ? json(200, { path: call.path }) : json(403, GATEWAY_403);
    });
    const pending = [api.get("/auth/me"), api.get("/business"), api.get("/business/users")];
    await new Promise((resolve) => setTimeout(resolve, 10)); // all three have failed and are waiting
    release();
    const answers = await Promise.all(pending);
    assert.deepEqual(answers.map((a) => a.path), ["/auth/me", "/business", "/business/users"]);
    const refreshes = calls.filter((c) => c.path === "/auth/refresh");
    assert.equal(refreshes.length, 1);
    assert.equal(calls.length, 7); // 3 failures + 1 refresh + 3 retries
  });

  it("a request that fails after another one already refreshed takes the new token without refreshing again", async () => {
    let slowRelease;
    const slowGate = new Promise((resolve) => { slowRelease = resolve; });
    const { api, calls } = setup(async (call) => {
      if (call.path === "/auth/refresh") return rotated(call);
      if (call.path === "/slow" && bearer(call) === "Bearer access-1") {
        await slowGate; // answers only after the other request's refresh is done
        return json(403, GATEWAY_403);
      }
      return bearer(call) === "Bearer access-2" ? json(200, { path: call.path }) : json(403, GATEWAY_403);
    });
    const slow = api.get("/slow");
    assert.deepEqual(await api.get("/fast"), { path: "/fast" });
    slowRelease();
    assert.deepEqual(await slow, { path: "/slow" });
    assert.equal(calls.filter((c) => c.path === "/auth/refresh").length, 1);
  });

  it("refreshes ahead of time when the access token is about to expire", async () => {
    const storage = memoryStorage(session("access-1", "refresh-1", { expires_at: 10_000 }));
    const { api, calls } = setup((call) => (call.path === "/auth/refresh" ? rotated(call) : json(200, {})),
      { storage, now: () => 9_990 });
    await api.me();
    assert.deepEqual(calls.map((c) => c.path), ["/auth/refresh", "/auth/me"]);
    assert.equal(bearer(calls[1]), "Bearer access-2");
  });

  it("a refresh that cannot reach the server keeps the tokens (the user is not logged out by a blip)", async () => {
    const { api, storage, expiredCount } = setup((call) => {
      if (call.path === "/auth/refresh") throw new TypeError("Failed to fetch");
      return json(403, GATEWAY_403);
    });
    await assert.rejects(api.me(), (err) => err.kind === "network");
    assert.equal(stored(storage).refresh_token, "refresh-1");
    assert.equal(expiredCount(), 0);
  });
});

describe("gateway refusals a browser cannot read (no CORS headers on them)", () => {
  // Cross-origin, the gateway's 401/403 reach the page as a failed fetch. If a public route answers,
  // the server is up: the failure is taken for an auth refusal.
  function server({ readable = true } = {}) {
    return (call) => {
      if (call.path === "/system/version") {
        if (!readable) throw new TypeError("Failed to fetch");
        return json(200, { version: "dev" });
      }
      if (call.path === "/auth/refresh") return rotated(call);
      if (bearer(call) !== "Bearer access-2") throw new TypeError("Failed to fetch"); // the CORS-less 403
      return json(200, { path: call.path, method: call.method });
    };
  }

  it("a read is refreshed and retried once", async () => {
    const { api, calls } = setup(server());
    assert.deepEqual(await api.me(), { path: "/auth/me", method: "GET" });
    assert.deepEqual(calls.map((c) => c.path), ["/auth/me", "/auth/me", "/system/version", "/auth/refresh", "/auth/me"]);
  });

  it("a write is not repeated: the token is refreshed and the user asked to try again", async () => {
    const { api, calls, storage } = setup(server());
    await assert.rejects(api.updateBusiness({ name: "X", version: 2 }), (err) => {
      assert.equal(err.code, "not_sent");
      assert.match(err.message, /try again/i);
      return true;
    });
    assert.deepEqual(calls.map((c) => c.path), ["/business", "/system/version", "/auth/refresh"]);
    assert.equal(stored(storage).access_token, "access-2");
    assert.deepEqual(await api.updateBusiness({ name: "X", version: 2 }), { path: "/business", method: "PATCH" });
  });

  it("when nothing answers it is a network error and the tokens stay", async () => {
    const { api, calls, storage } = setup(server({ readable: false }));
    await assert.rejects(api.me(), (err) => err.kind === "network" && err.code === "network_error");
    assert.equal(calls.filter((c) => c.path === "/auth/refresh").length, 0);
    assert.equal(stored(storage).access_token, "access-1");
  });
});

describe("logout", () => {
  it("posts the refresh token, then forgets both tokens", async () => {
    const { api, calls, storage } = setup(() => new Response(null, { status: 204 }));
    await api.logout();
    assert.equal(calls.length, 1);
    assert.equal(calls[0].path, "/auth/logout");
    assert.equal(calls[0].method, "POST");
    assert.deepEqual(calls[0].body, { refresh_token: "refresh-1" });
    assert.equal(bearer(calls[0]), "Bearer access-1");
    assert.equal(storage.getItem(STORAGE_KEY), null);
    assert.equal(api.session.isLoggedIn(), false);
  });

  it("forgets the tokens even when the server cannot be reached, without a 'session expired' redirect", async () => {
    const { api, storage, expiredCount } = setup(() => { throw new TypeError("Failed to fetch"); });
    await api.logout();
    assert.equal(storage.getItem(STORAGE_KEY), null);
    assert.equal(expiredCount(), 0);
  });
});

describe("errors", () => {
  it("422: details.fields are available by field path", async () => {
    const fields = { "booking_policy.slot_interval_min": "Expected `int` >= 5", "contact.email": "not a valid e-mail address" };
    const { api } = setup(() =>
      json(422, { error: { code: "validation_failed", message: "Some fields are not valid.", details: { fields } } }));
    await assert.rejects(api.updateBusiness({ booking_policy: { slot_interval_min: 1 }, version: 3 }), (err) => {
      assert.equal(err.status, 422);
      assert.equal(err.code, "validation_failed");
      assert.deepEqual(err.fields, fields);
      return true;
    });
  });

  it("409 stale_version keeps its code (the page offers a reload)", async () => {
    const { api, calls } = setup(() => json(409, { error: { code: "stale_version", message: "The business was changed by someone else; reload and try again.", details: {} } }));
    await assert.rejects(api.updateBusiness({ name: "New", version: 4 }), (err) => err.code === "stale_version" && err.status === 409);
    assert.deepEqual(calls[0].body, { name: "New", version: 4 });
    assert.equal(calls[0].method, "PATCH");
  });

  it("429: 'try again in N seconds' from Retry-After", async () => {
    const { api } = setup(() => json(429,
      { error: { code: "rate_limited", message: "Too many failed log-ins; wait before trying again.", details: { retry_after: 30 } } },
      { "Retry-After": "30" }));
    await assert.rejects(api.login("a@b.test", "whatever-pass"), (err) => {
      assert.equal(err.kind, "rate_limited");
      assert.equal(err.retryAfter, 30);
      assert.match(err.message, /try again in 30 seconds/i);
      return true;
    });
  });

  it("a network failure becomes a friendly message (a write is not repeated)", async () => {
    const { api, calls } = setup(() => { throw new TypeError("Failed to fetch"); });
    await assert.rejects(api.forgotPassword("a@b.test"), (err) => {
      assert.equal(err.kind, "network");
      assert.match(err.message, /couldn't reach the server/i);
      return true;
    });
    assert.equal(calls.length, 1);
  });

  it("a GET that could not reach the server is tried once more", async () => {
    const { api, calls } = setup((call, all) => {
      if (all.length === 1) throw new TypeError("Failed to fetch");
      return json(200, { ok: true });
    });
    assert.deepEqual(await api.getBusiness(), { ok: true });
    assert.equal(calls.length, 2);
    const failing = setup(() => { throw new TypeError("Failed to fetch"); });
    await assert.rejects(failing.api.getBusiness(), (err) => err.kind === "network");
    assert.equal(failing.calls.filter((c) => c.path === "/business").length, 2, "only once more");
  });

  it("a 5xx without our shape (e.g. a gateway 502) is a generic server error", async () => {
    const { api } = setup(() => json(502, { message: "Internal server error" }));
    await assert.rejects(api.me(), (err) => err.status === 502 && err.code === "server_error");
  });

  it("isAuthFailure and parseRetryAfter", () => {
    assert.equal(isAuthFailure(401, GATEWAY_401), true);
    assert.equal(isAuthFailure(403, GATEWAY_403), true);
    assert.equal(isAuthFailure(403, null), true);
    assert.equal(isAuthFailure(403, { error: { code: "forbidden" } }), false);
    assert.equal(isAuthFailure(404, {}), false);
    assert.equal(parseRetryAfter("12"), 12);
    assert.equal(parseRetryAfter("0"), 1);
    assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1_000), 60);
    assert.equal(parseRetryAfter(null), null);
  });
});

describe("team calls", () => {
  it("listTeam follows next_cursor until the last page", async () => {
    const { api, calls } = setup((call) => {
      const cursor = call.query.get("cursor");
      if (!cursor) return json(200, { items: [{ user_id: "u1" }], next_cursor: "c1", invitations: [{ id: "i1" }] });
      if (cursor === "c1") return json(200, { items: [{ user_id: "u2" }], next_cursor: "c2", invitations: [{ id: "i1" }] });
      return json(200, { items: [{ user_id: "u3" }], next_cursor: null, invitations: [{ id: "i1" }] });
    });
    const team = await api.listTeam();
    assert.deepEqual(team.members.map((m) => m.user_id), ["u1", "u2", "u3"]);
    assert.deepEqual(team.invitations, [{ id: "i1" }]);
    assert.deepEqual(calls.map((c) => c.query.get("cursor")), [null, "c1", "c2"]);
  });

  it("invite sends the Idempotency-Key; role change and removal address the member", async () => {
    const { api, calls } = setup((call) => (call.method === "DELETE" ? new Response(null, { status: 204 }) : json(201, {})));
    await api.invite("new@salon.test", "staff", "key-123");
    await api.changeRole("user/1", "admin");
    assert.equal(await api.removeMember("u-2"), null);
    assert.equal(calls[0].headers["Idempotency-Key"], "key-123");
    assert.deepEqual(calls[0].body, { email: "new@salon.test", role: "staff" });
    assert.equal(calls[1].url, `${BASE}/business/users/user%2F1`);
    assert.deepEqual(calls[1].body, { role: "admin" });
    assert.equal(calls[2].method, "DELETE");
  });
});
