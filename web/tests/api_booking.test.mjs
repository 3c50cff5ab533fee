// The calendar's and the public pages' API calls against a fake fetch: no token on public routes,
// lists followed to their end, Idempotency-Keys, and the names behind an appointment's ids.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { createApi, STORAGE_KEY } from "../src/api.js";
import { createCalendarData } from "../src/calendar_data.js";

const BASE = "http://api.test";

function json(status, body, headers = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });
}

function memoryStorage(initial = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k) => (data.has(k) ? data.get(k) : null), setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k) };
}

function setup(handler, { loggedIn = true } = {}) {
  const calls = [];
  let expired = 0;
  const storage = memoryStorage(loggedIn ? { [STORAGE_KEY]: JSON.stringify({ access_token: "access-1", refresh_token: "refresh-1", expires_at: null }) } : {});
  const api = createApi({
    baseUrl: BASE, storage, lock: (n, fn) => fn(), sleep: async () => {}, onSessionExpired: () => { expired += 1; },
    fetch: async (url, init = {}) => {
      const u = new URL(url);
      const call = { url, path: u.pathname, query: u.searchParams, method: init.method || "GET", headers: init.headers || {},
        body: init.body ? JSON.parse(init.body) : undefined };
      calls.push(call);
      return handler(call);
    },
  });
  return { api, calls, storage, expired: () => expired };
}

describe("public routes (booking page, manage link)", () => {
  it("send no token even when a member is signed in on this browser", async () => {
    const { api, calls } = setup(() => json(200, { business: { slug: "demo-salon" }, services: [], staff: [], locations: [] }));
    await api.publicProfile("demo-salon");
    await api.publicAvailability("demo-salon", { service_id: "s", from: "2027-03-28", to: "2027-04-10", staff_id: null });
    assert.deepEqual(calls.map((c) => c.path), ["/public/demo-salon", "/public/demo-salon/availability"]);
    assert.equal(calls[0].headers.Authorization, undefined);
    assert.equal(calls[1].headers.Authorization, undefined);
    assert.equal(calls[1].query.get("service_id"), "s");
    assert.equal(calls[1].query.has("staff_id"), false, "an unset filter is left out");
  });

  it("a 401/403 or 404 from a public route is an error to show: no refresh, no trip to the log-in page", async () => {
    for (const [status, body] of [[401, { message: "Unauthorized" }], [403, { Message: "Forbidden" }],
      [404, { error: { code: "not_found", message: "No such booking.", details: {} } }]]) {
      const { api, calls, storage, expired } = setup(() => json(status, body));
      await assert.rejects(api.managedBooking("tok.en"), (err) => err.status === status && err.kind === "http");
      assert.deepEqual(calls.map((c) => c.path), ["/public/bookings/tok.en"]);
      assert.equal(expired(), 0);
      assert.ok(storage.getItem(STORAGE_KEY), "the member's session is left alone");
    }
  });

  it("works without any session at all", async () => {
    const { api, calls, expired } = setup(() => json(200, { appointment: {} }), { loggedIn: false });
    await api.cancelManaged("t/1", "  ");
    await api.rescheduleManaged("t/1", "2027-03-28T09:00:00+01:00");
    assert.equal(calls[0].path, "/public/bookings/t%2F1/cancel");
    assert.deepEqual(calls[0].body, { reason: "  " });
    assert.deepEqual(calls[1].body, { start_at: "2027-03-28T09:00:00+01:00" });
    await api.confirmConsent("b1.secret");
    assert.equal(calls[2].method, "POST");
    assert.equal(calls[2].path, "/public/consent/b1.secret");
    assert.equal(calls[2].body, undefined, "the token is the whole request");
    assert.equal(expired(), 0);
  });

  it("booking sends the Idempotency-Key; 429 says how long to wait from Retry-After; 422 keeps field paths", async () => {
    const { api, calls } = setup((call) => (call.headers["Idempotency-Key"] === "busy"
      ? json(429, { error: { code: "rate_limited", message: "Too many bookings.", details: { retry_after: 40 } } }, { "Retry-After": "40" })
      : json(422, { error: { code: "validation_failed", message: "Some fields are not valid.", details: { fields: { "consent.terms": "the terms must be accepted to book" } } } })));
    const body = { service_id: "s", start_at: "2027-03-28T09:00:00+01:00", customer: { name: "Ann", email: "a@b.test", phone: null }, consent: { terms: false, marketing: false } };
    await assert.rejects(api.publicBook("demo-salon", body, "busy"), (err) => {
      assert.equal(err.kind, "rate_limited");
      assert.equal(err.retryAfter, 40);
      assert.match(err.message, /try again in 40 seconds/i);
      return true;
    });
    await assert.rejects(api.publicBook("demo-salon", body, "k2"), (err) => err.fields["consent.terms"] !== undefined);
    assert.equal(calls[0].headers["Idempotency-Key"], "busy");
    assert.equal(calls[0].path, "/public/demo-salon/bookings");
    assert.deepEqual(calls[0].body, body);
    assert.equal(calls[0].headers.Authorization, undefined);
  });
});

describe("calendar calls", () => {
  it("lists a range page after page (limit 200) with the token", async () => {
    const { api, calls } = setup((call) => {
      const cursor = call.query.get("cursor");
      return json(200, cursor ? { items: [{ id: "b" }], next_cursor: null } : { items: [{ id: "a" }], next_cursor: "c1" });
    });
    const items = await api.listAppointments("2027-03-22", "2027-03-28");
    assert.deepEqual(items.map((a) => a.id), ["a", "b"]);
    assert.deepEqual(calls.map((c) => [c.query.get("from"), c.query.get("to"), c.query.get("limit"), c.query.get("cursor")]),
      [["2027-03-22", "2027-03-28", "200", null], ["2027-03-22", "2027-03-28", "200", "c1"]]);
    assert.equal(calls[0].headers.Authorization, "Bearer access-1");
  });

  it("status changes post the version to the action's path; a new appointment carries its key", async () => {
    const { api, calls } = setup(() => json(200, {}));
    await api.appointmentAction("ap-1", "no-show", { version: 3 });
    await api.appointmentAction("ap-1", "cancel", { reason: "ill", scope: "this", version: 4 });
    await api.createAppointment({ service_id: "s" }, "key-1");
    assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), ["POST /appointments/ap-1/no-show", "POST /appointments/ap-1/cancel", "POST /appointments"]);
    assert.deepEqual(calls[0].body, { version: 3 });
    assert.equal(calls[2].headers["Idempotency-Key"], "key-1");
  });

  it("reads the names once, takes customers from the appointments, fetches only those missing", async () => {
    const { api, calls } = setup((call) => {
      switch (call.path) {
        case "/business": return json(200, { time_zone: "Europe/London" });
        case "/staff": return json(200, { items: [{ id: "s2", name: "Zoe", user_id: "u2" }, { id: "s1", name: "Ann", user_id: null }], next_cursor: null });
        case "/services": return json(200, { items: [{ id: "sv", name: "Cut" }], next_cursor: null });
        case "/locations": return json(200, { items: [{ id: "l", name: "Soho" }], next_cursor: null });
        case "/customers/c2": return json(200, { id: "c2", name: "New Customer" });
        case "/customers/c3": return json(404, { error: { code: "not_found", message: "No such customer.", details: {} } });
        case "/appointments": return json(200, { items: [
          { id: "a1", customer_id: "c1", customer: { id: "c1", name: "Cleo" }, staff_id: "s1", service_id: "sv" },
          { id: "a2", customer_id: "c2", staff_id: "s2", service_id: "gone" },
          { id: "a3", customer_id: "c3", staff_id: "s9", service_id: "sv" },
          { id: "a4", customer_id: "c2", staff_id: "s1", service_id: "sv" }], next_cursor: null });
        default: return json(404, {});
      }
    });
    const data = createCalendarData(api);
    await data.loadReference();
    assert.deepEqual(data.ref.staff.map((s) => s.name), ["Ann", "Zoe"], "by name");
    assert.equal(calls.find((c) => c.path === "/staff").query.get("include_inactive"), "true");
    assert.equal(calls.find((c) => c.path === "/services").query.get("include_archived"), "true");
    await data.loadRange("2027-03-28", "2027-03-28");
    assert.equal(calls.filter((c) => c.path === "/customers").length, 0, "no customer list");
    assert.deepEqual(calls.filter((c) => c.path.startsWith("/customers/")).map((c) => c.path).sort(), ["/customers/c2", "/customers/c3"]);
    assert.equal(data.names.customer("c1"), "Cleo");
    assert.equal(data.names.customer("c2"), "New Customer");
    assert.equal(data.names.customer("c3"), "Customer");
    assert.equal(data.names.service("gone"), "Service");
    assert.equal(data.names.staff("s9"), "Former staff member");
    assert.deepEqual([...data.memberNames()], [["u2", "Zoe"]]);
    await data.loadRange("2027-03-28", "2027-03-28");
    assert.equal(calls.filter((c) => c.path === "/customers/c3").length, 1, "a missing customer is asked for once");
  });
});
