// The notifications page's pure parts: reminder offsets in words and back, what a settings PUT carries,
// placeholders, the API's errors in words, the log's paging, and the client's notification calls.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { createApi, errorFrom, STORAGE_KEY } from "../src/api.js";
import {
  addOffset, channelLabel, createLogPager, deliveryStatus, DELIVERY_STATUSES, describeOffsets, explainError, fieldReasons,
  fillTemplate, formatOffset, formatProblems, formField, insertPlaceholder, MAX_OFFSETS, messageLabel, offsetDuration,
  OFFSET_PRESETS, parseOffset, planMessage, readSettingsForm, removeOffset, sameOffsets, settingsChanges, settingsValues,
  templateRows,
} from "../src/notifications.js";
import { matchRoute } from "../src/router.js";
import { routes } from "../src/routes.js";

/** An error as the client makes it from an answer of our API. */
function apiError(status, code, details = {}, message = "Refused.") {
  return errorFrom(status, { error: { code, message, details } }, null);
}

describe("reminder offsets", () => {
  it("says each offset in words, the day-before one as 24 hours", () => {
    assert.equal(formatOffset(1440), "24 hours before");
    assert.equal(formatOffset(120), "2 hours before");
    assert.equal(formatOffset(60), "1 hour before");
    assert.equal(formatOffset(15), "15 minutes before");
    assert.equal(formatOffset(90), "1 hour 30 minutes before");
    assert.equal(formatOffset(2160), "36 hours before");
    assert.equal(formatOffset(2880), "2 days before");
    assert.equal(formatOffset(2940), "2 days 1 hour before");
    assert.equal(formatOffset(4335), "3 days 15 minutes before");
    assert.equal(formatOffset(10080), "1 week before");
    assert.equal(formatOffset(20160), "2 weeks before");
    for (const bad of [0, -60, 1.5, "x", null, undefined]) assert.equal(formatOffset(bad), "", String(bad));
    assert.equal(offsetDuration("45"), "45 minutes", "a numeric string reads as its number");
  });

  it("says a list in one phrase, largest first", () => {
    assert.equal(describeOffsets([120, 1440]), "24 hours and 2 hours before");
    assert.equal(describeOffsets([60, 10080, 1440]), "1 week, 24 hours and 1 hour before");
    assert.equal(describeOffsets([1440]), "24 hours before");
    assert.equal(describeOffsets([]), "No reminders");
    assert.equal(describeOffsets(OFFSET_PRESETS[0]), "24 hours and 2 hours before", "the first preset is the default");
  });

  it("reads the add inputs into minutes", () => {
    assert.deepEqual(parseOffset("2", "hours"), { minutes: 120 });
    assert.deepEqual(parseOffset(" 1.5 ", "hours"), { minutes: 90 });
    assert.deepEqual(parseOffset("1,5", "hours"), { minutes: 90 }, "a decimal comma");
    assert.deepEqual(parseOffset("1", "days"), { minutes: 1440 });
    assert.deepEqual(parseOffset("14", "days"), { minutes: 20160 });
    assert.deepEqual(parseOffset("15", "minutes"), { minutes: 15 });
  });

  it("refuses what the API would, in words", () => {
    assert.match(parseOffset("", "hours").error, /how long before/);
    assert.match(parseOffset("two", "hours").error, /Enter a number/);
    assert.match(parseOffset("-2", "hours").error, /Enter a number/);
    assert.match(parseOffset("2", "weeks").error, /Enter a number/, "an unknown unit");
    assert.match(parseOffset("20.5", "minutes").error, /whole minutes/);
    assert.equal(parseOffset("10", "minutes").error, "Reminders go at least 15 minutes before.");
    assert.equal(parseOffset("15", "days").error, "Reminders go at most 2 weeks (14 days) before.");
  });

  it("adds and removes, largest first, once each, at most five", () => {
    assert.deepEqual(addOffset([120], 1440), { offsets: [1440, 120] });
    assert.deepEqual(addOffset([], 60), { offsets: [60] });
    assert.equal(addOffset([1440, 120], 120).error, "There is already a reminder 2 hours before.");
    const full = [2880, 1440, 240, 120, 60];
    assert.equal(full.length, MAX_OFFSETS);
    assert.match(addOffset(full, 30).error, /At most 5 reminders/);
    assert.deepEqual(removeOffset([120, 1440], 120), [1440]);
    assert.deepEqual(removeOffset([1440], 60), [1440]);
    assert.equal(sameOffsets([120, 1440], [1440, 120]), true);
    assert.equal(sameOffsets([1440], [1440, 120]), false);
  });
});

describe("settings", () => {
  const answer = {
    email_enabled: true, whatsapp_enabled: false, whatsapp_phone_number_id: null, whatsapp_access_token_set: false,
    reminder_offsets_min: [1440, 120], sender_name: null, reply_to: null, version: 3, updated_at: null,
  };

  function form(values) {
    const data = new FormData();
    const all = { email_enabled: "on", whatsapp_phone_number_id: "", sender_name: "", reply_to: "", ...values };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) data.set(k, v);
    return data;
  }

  it("an untouched form changes nothing, whatever the order of the reminders", () => {
    const original = settingsValues(answer);
    assert.deepEqual(settingsChanges(original, readSettingsForm(form({}), [120, 1440])), {});
  });

  it("sends only what changed: unticked boxes as false, blanks as null, the reminders largest first", () => {
    const original = settingsValues({ ...answer, sender_name: "Demo Salon", reply_to: "hello@demo.test" });
    const edited = readSettingsForm(form({
      email_enabled: undefined, whatsapp_enabled: "on", whatsapp_phone_number_id: " 1048 5736 2910 ",
      sender_name: "  ", reply_to: "hello@demo.test",
    }), [60, 2880]);
    assert.deepEqual(settingsChanges(original, edited), {
      email_enabled: false,
      whatsapp_enabled: true,
      whatsapp_phone_number_id: "104857362910",
      reminder_offsets_min: [2880, 60],
      sender_name: null,
    });
  });

  it("turning every reminder off is a change", () => {
    assert.deepEqual(settingsChanges(settingsValues(answer), readSettingsForm(form({}), [])), { reminder_offsets_min: [] });
  });

  it("checks the API's formats before asking it, and leaves empty fields to it", () => {
    assert.deepEqual(formatProblems({ whatsapp_phone_number_id: "104857362910", whatsapp_access_token: "EAAG".padEnd(40, "x") }), {});
    assert.deepEqual(formatProblems({ whatsapp_phone_number_id: null, whatsapp_access_token: "" }), {});
    const problems = formatProblems({ whatsapp_phone_number_id: "+44 7700 900123", whatsapp_access_token: "short token" });
    assert.deepEqual(Object.keys(problems), ["whatsapp_phone_number_id", "whatsapp_access_token"]);
    assert.match(problems.whatsapp_phone_number_id, /Digits only/);
    assert.match(problems.whatsapp_access_token, /without spaces/);
    assert.deepEqual(Object.keys(formatProblems({ name: "Booking Confirmed", language: "english", parameters: [] })), ["name", "language"]);
    assert.deepEqual(formatProblems({ name: "booking_confirmed_v2", language: "en_GB" }), {});
  });
});

describe("templates", () => {
  it("inserts {placeholder} at the caret, or over the selection, and puts the caret after it", () => {
    assert.deepEqual(insertPlaceholder("Hi ,", 3, 3, "customer_name"), { text: "Hi {customer_name},", caret: 18 });
    assert.deepEqual(insertPlaceholder("Hi NAME!", 3, 7, "customer_name"), { text: "Hi {customer_name}!", caret: 18 });
    assert.deepEqual(insertPlaceholder("See you", null, null, "start_time"), { text: "See you{start_time}", caret: 19 },
      "no caret yet: at the end");
    assert.deepEqual(insertPlaceholder("", 0, 0, "service"), { text: "{service}", caret: 9 });
    assert.deepEqual(insertPlaceholder("abc", 10, 12, "staff"), { text: "abc{staff}", caret: 10 }, "clamped to the text");
    assert.deepEqual(insertPlaceholder("abc", 2, 1, "staff"), { text: "ab{staff}c", caret: 9 }, "an end before the start");
    assert.deepEqual(insertPlaceholder(undefined, 0, 0, "staff"), { text: "{staff}", caret: 7 });
  });

  it("fills a wording as the API does: names replaced, doubled braces literal, unknown names kept", () => {
    const values = { customer_name: "Alex", service: "Haircut", manage_link: "" };
    assert.equal(fillTemplate("Hi {customer_name}, your {service}", values), "Hi Alex, your Haircut");
    assert.equal(fillTemplate("{{not a placeholder}} {service}", values), "{not a placeholder} Haircut");
    assert.equal(fillTemplate("{nope} and {manage_link}.", values), "{nope} and .");
    assert.equal(fillTemplate("{customer_name}{{", values), "Alex{");
  });

  it("lists each message once with its templates by channel", () => {
    const item = (message, channel, audience = "customer") => ({ key: `${message}.${channel}`, message, channel, audience });
    const rows = templateRows([item("booking_confirmed", "email"), item("booking_confirmed", "whatsapp"),
      item("staff_new_booking", "email", "staff")]);
    assert.deepEqual(rows.map((r) => [r.message, r.audience, Object.keys(r.channels)]), [
      ["booking_confirmed", "customer", ["email", "whatsapp"]],
      ["staff_new_booking", "staff", ["email"]],
    ]);
    assert.equal(messageLabel("booking_confirmed"), "Booking confirmed");
    assert.equal(messageLabel("waitlist_offer"), "Waitlist offer", "a message the page does not know yet");
    assert.equal(channelLabel("email"), "E-mail");
    assert.equal(channelLabel("whatsapp"), "WhatsApp");
  });
});

describe("the API's errors on this page", () => {
  it("plan_required names what the plan lacks", () => {
    const whatsapp = explainError(apiError(403, "plan_required", { feature: "whatsapp" }));
    assert.equal(whatsapp.kind, "plan");
    assert.equal(whatsapp.feature, "whatsapp");
    assert.equal(whatsapp.message, "Your plan does not include WhatsApp messages. Upgrade your plan to use them.");
    assert.equal(explainError(apiError(403, "plan_required", { feature: "custom_templates" })).message,
      "Your plan does not include custom message templates. Upgrade your plan to use them.");
    assert.equal(planMessage("google_calendar"), "Your plan does not include google calendar. Upgrade your plan to use it.");
    assert.equal(planMessage(undefined), "Your plan does not include this feature. Upgrade your plan to use it.");
  });

  it("a 403 that is not about the plan is about the role", () => {
    const problem = explainError(apiError(403, "forbidden"));
    assert.equal(problem.kind, "other");
    assert.match(problem.message, /admins and owners/);
  });

  it("stale_version asks for a reload, naming what changed", () => {
    const problem = explainError(apiError(409, "stale_version"), { what: "This template" });
    assert.equal(problem.kind, "stale");
    assert.equal(problem.tone, "warning");
    assert.equal(problem.message, "This template changed elsewhere (in another tab or by a colleague) after you opened the page. Reload to see the latest version; your unsaved changes will be lost.");
    assert.match(explainError(apiError(409, "stale_version")).message, /^These settings changed elsewhere/);
  });

  it("a 422 puts each reason on its form field, items named", () => {
    const problem = explainError(apiError(422, "validation_failed", { fields: {
      "reminder_offsets_min.1": "Expected `int` >= 15",
      whatsapp_phone_number_id: "Expected `str` matching regex '^[0-9]{5,32}$'",
      reply_to: "Expected `str` matching regex '^[^@]+@[^@]+$'",
      body: "unknown placeholder {first_name}; use one of: {customer_name}, {service}",
    } }));
    assert.equal(problem.kind, "fields");
    assert.equal(problem.message, "Please correct the highlighted fields.");
    assert.deepEqual(problem.fields, {
      reminder_offsets_min: "Reminder 2: Enter a whole number of at least 15.",
      whatsapp_phone_number_id: "Digits only (5 to 32): the ID WhatsApp Manager shows for the number, not the phone number itself.",
      reply_to: "This doesn't look right; check the format.",
      body: "Unknown placeholder {first_name}; use one of: {customer_name}, {service}.",
    });
  });

  it("a WhatsApp variable's reason says which {{n}}, and two reasons for one field are both kept", () => {
    assert.deepEqual(fieldReasons({ "parameters.0": "Expected `str`, got `int`", "parameters.3": "required" }), {
      parameters: "Variable {{1}}: Expected str, got int. Variable {{4}}: This field is required.",
    });
    assert.equal(formField("reminder_offsets_min.0"), "reminder_offsets_min");
    assert.equal(formField("booking_policy.slot_interval_min"), "booking_policy.slot_interval_min");
    assert.equal(formField("body"), "body");
  });

  it("a session that ended shows nothing here; anything else shows its message", () => {
    assert.equal(explainError({ kind: "session_expired", status: 401 }).kind, "session");
    assert.equal(explainError(apiError(404, "not_found")).kind, "gone");
    const other = explainError(apiError(503, "service_unavailable", {}, "The WhatsApp credentials cannot be read right now."));
    assert.deepEqual([other.kind, other.message], ["other", "The WhatsApp credentials cannot be read right now."]);
    assert.equal(explainError(apiError(422, "validation_failed", {}, "Bad body.")).message, "Bad body.",
      "a 422 without fields is shown as it is");
  });
});

describe("the delivery log", () => {
  it("has a word and a tone for every status", () => {
    assert.deepEqual(DELIVERY_STATUSES, ["sending", "sent", "delivered", "read", "retrying", "failed", "skipped", "uncertain"]);
    for (const status of DELIVERY_STATUSES) assert.ok(deliveryStatus(status).label && deliveryStatus(status).tone, status);
    assert.deepEqual(deliveryStatus("failed"), { label: "Failed", tone: "danger" });
    assert.deepEqual(deliveryStatus("delivered"), { label: "Delivered", tone: "success" });
    assert.deepEqual(deliveryStatus("bounced"), { label: "bounced", tone: "muted" });
  });

  /** A log of `total` rows served `limit` at a time with "c<offset>" cursors, newest first. */
  function fakeLog(total) {
    const rows = Array.from({ length: total }, (_, i) => ({ id: `d${total - i}`, status: "sent" }));
    const calls = [];
    const fetchPage = async ({ limit, cursor }) => {
      calls.push({ limit, cursor });
      const from = cursor ? Number(cursor.slice(1)) : 0;
      const to = from + limit;
      return { items: rows.slice(from, to), next_cursor: to < rows.length ? `c${to}` : null };
    };
    return { rows, calls, fetchPage };
  }

  it("adds a page at a time, following next_cursor, and stops at the end", async () => {
    const log = fakeLog(5);
    const pager = createLogPager(log.fetchPage, { pageSize: 2 });
    assert.equal(pager.hasMore, true, "nothing read yet");
    await pager.more();
    assert.deepEqual(pager.items.map((r) => r.id), ["d5", "d4"]);
    assert.equal(pager.hasMore, true);
    await pager.more();
    await pager.more();
    assert.deepEqual(pager.items.map((r) => r.id), ["d5", "d4", "d3", "d2", "d1"]);
    assert.equal(pager.hasMore, false);
    await pager.more();
    assert.deepEqual(log.calls, [{ limit: 2, cursor: null }, { limit: 2, cursor: "c2" }, { limit: 2, cursor: "c4" }],
      "no request past the end");
  });

  it("one request at a time: a second click while loading shares it", async () => {
    const log = fakeLog(6);
    const pager = createLogPager(log.fetchPage, { pageSize: 3 });
    await Promise.all([pager.more(), pager.more()]);
    assert.equal(log.calls.length, 1);
    assert.equal(pager.items.length, 3);
    assert.equal(pager.loading, false);
  });

  it("does not show an item twice", async () => {
    const pages = [
      { items: [{ id: "a" }, { id: "b" }], next_cursor: "x" },
      { items: [{ id: "b" }, { id: "c" }], next_cursor: null },
    ];
    const pager = createLogPager(async () => pages.shift(), { pageSize: 2 });
    await pager.more();
    await pager.more();
    assert.deepEqual(pager.items.map((r) => r.id), ["a", "b", "c"]);
  });

  it("reload starts again from the newest, and an answer it overtook is dropped", async () => {
    let release;
    const answers = [
      { items: [{ id: "old-1" }], next_cursor: "c1" },
      new Promise((resolve) => { release = () => resolve({ items: [{ id: "old-2" }], next_cursor: null }); }),
      { items: [{ id: "new-1" }, { id: "old-1" }], next_cursor: "c2" },
    ];
    const cursors = [];
    const pager = createLogPager(async ({ cursor }) => {
      cursors.push(cursor);
      return answers.shift();
    }, { pageSize: 2 });
    await pager.more();
    const slow = pager.more(); // page two, still on its way
    await pager.reload();
    release();
    await slow;
    assert.deepEqual(cursors, [null, "c1", null]);
    assert.deepEqual(pager.items.map((r) => r.id), ["new-1", "old-1"], "the reload's answer wins");
    assert.equal(pager.hasMore, true);
  });

  it("a failed page leaves what is shown and can be tried again", async () => {
    let fail = true;
    const log = fakeLog(4);
    const pager = createLogPager(async (q) => {
      if (q.cursor && fail) {
        fail = false;
        throw new Error("offline");
      }
      return log.fetchPage(q);
    }, { pageSize: 2 });
    await pager.more();
    await assert.rejects(pager.more(), /offline/);
    assert.deepEqual(pager.items.map((r) => r.id), ["d4", "d3"]);
    assert.equal(pager.loading, false);
    await pager.more();
    assert.deepEqual(pager.items.map((r) => r.id), ["d4", "d3", "d2", "d1"]);
  });
});

describe("the API client's notification calls", () => {
  function setup(handler) {
    const calls = [];
    const storage = new Map([[STORAGE_KEY, JSON.stringify({ access_token: "access-1", refresh_token: "refresh-1", expires_at: null })]]);
    const api = createApi({
      baseUrl: "http://api.test", lock: (n, fn) => fn(), sleep: async () => {},
      storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) },
      fetch: async (url, init = {}) => {
        const u = new URL(url);
        calls.push({ path: u.pathname, query: u.searchParams, method: init.method, headers: init.headers,
          body: init.body ? JSON.parse(init.body) : undefined });
        return handler(calls[calls.length - 1]);
      },
    });
    return { api, calls };
  }
  const json = (status, body) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  it("PUTs the settings with the token, and a template under its key; DELETE resets it", async () => {
    const { api, calls } = setup((call) => (call.method === "DELETE" ? json(204) : json(200, { ok: true })));
    await api.updateNotificationSettings({ reminder_offsets_min: [1440], version: 2 });
    await api.saveTemplate("booking_confirmed.email", { subject: "S", body: "B" });
    assert.equal(await api.resetTemplate("reminder.whatsapp"), null);
    assert.deepEqual(calls.map((c) => [c.method, c.path]), [
      ["PUT", "/notifications/settings"],
      ["PUT", "/notifications/templates/booking_confirmed.email"],
      ["DELETE", "/notifications/templates/reminder.whatsapp"],
    ]);
    assert.deepEqual(calls[0].body, { reminder_offsets_min: [1440], version: 2 });
    assert.equal(calls[0].headers.Authorization, "Bearer access-1");
    assert.equal(calls[0].headers["Content-Type"], "application/json");
  });

  it("asks the log for a page, leaving unset filters out", async () => {
    const { api, calls } = setup(() => json(200, { items: [], next_cursor: null }));
    await api.notificationLog({ limit: 25, cursor: null, appointment_id: undefined, customer_id: "c1" });
    assert.equal(calls[0].path, "/notifications/log");
    assert.deepEqual([...calls[0].query.entries()], [["limit", "25"], ["customer_id", "c1"]]);
  });

  it("a plan_required answer arrives as an error the page can explain (not as a lost session)", async () => {
    const { api } = setup(() => json(403, { error: { code: "plan_required", message: "Your plan does not include WhatsApp messages; upgrade to use them.", details: { feature: "whatsapp" } } }));
    await assert.rejects(api.updateNotificationSettings({ whatsapp_enabled: true }), (err) => {
      assert.equal(explainError(err).kind, "plan");
      return err.status === 403 && err.kind === "http";
    });
  });
});

describe("the route", () => {
  it("/settings/notifications is a signed-in page every member may open (writes are checked by role)", () => {
    const { route } = matchRoute(routes, "/settings/notifications");
    assert.equal(route.path, "/settings/notifications");
    assert.equal(route.auth, true);
    assert.equal(route.role, undefined);
    assert.equal(matchRoute(routes, "/settings").route.path, "/settings", "the business settings stay where they were");
  });
});
