// The pure parts of the pages: wording of API reasons, what a settings PATCH carries, team rules.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { diffChanges, formatMinutes, humanizeReason, roleAtLeast } from "../src/format.js";
import { readForm } from "../src/pages/settings.js";
import { consentOutcome } from "../src/pages/consent.js";
import { canManage, grantableRoles, newIdempotencyKey } from "../src/pages/team.js";

describe("humanizeReason", () => {
  it("turns the validator's wording into sentences", () => {
    assert.equal(humanizeReason("Expected `int` >= 5"), "Enter a whole number of at least 5.");
    assert.equal(humanizeReason("Expected `int` <= 240"), "Enter a whole number no greater than 240.");
    assert.equal(humanizeReason("Expected `int`, got `float`"), "Enter a whole number.");
    assert.equal(humanizeReason("Expected `str` of length >= 1"), "This field is required.");
    assert.equal(humanizeReason("required"), "This field is required.");
    assert.equal(humanizeReason("use at least 10 characters"), "Use at least 10 characters.");
    assert.equal(humanizeReason("this password is too common"), "This password is too common.");
    assert.equal(humanizeReason("Expected `str` matching regex '^https?://\\S{3,200}$'"), "This doesn't look right; check the format.");
  });
});

describe("settings", () => {
  const original = {
    name: "Demo Salon", slug: "demo-salon", time_zone: "Europe/London", currency: "GBP", locale: "en",
    contact: { email: "owner@demo-salon.test", phone: null, website: null, address: null },
    booking_policy: { slot_interval_min: 15, min_notice_min: 60, max_advance_days: 90, cancel_cutoff_min: 1440,
      reschedule_cutoff_min: 1440, buffer_before_min: 0, buffer_after_min: 0, auto_confirm: true },
  };

  function form(overrides = {}) {
    const values = {
      name: "Demo Salon", slug: "demo-salon", time_zone: "Europe/London", currency: "GBP", locale: "en",
      "contact.email": "owner@demo-salon.test", "contact.phone": "", "contact.website": "", "contact.address": "",
      "booking_policy.slot_interval_min": "15", "booking_policy.min_notice_min": "60",
      "booking_policy.max_advance_days": "90", "booking_policy.cancel_cutoff_min": "1440",
      "booking_policy.reschedule_cutoff_min": "1440", "booking_policy.buffer_before_min": "0",
      "booking_policy.buffer_after_min": "0", "booking_policy.auto_confirm": "on", ...overrides,
    };
    const data = new FormData();
    for (const [k, v] of Object.entries(values)) if (v !== undefined) data.set(k, v);
    return readForm(data);
  }

  it("an untouched form changes nothing", () => {
    assert.deepEqual(diffChanges(original, form()), {});
  });

  it("sends only what changed, nested objects partial, emptied contact fields as null", () => {
    const changes = diffChanges(original, form({
      name: " Demo Salon & Spa ", "contact.email": "", "contact.phone": "+44 20 7946 0000",
      "booking_policy.slot_interval_min": "30", "booking_policy.auto_confirm": undefined,
    }));
    assert.deepEqual(changes, {
      name: "Demo Salon & Spa",
      contact: { email: null, phone: "+44 20 7946 0000" },
      booking_policy: { slot_interval_min: 30, auto_confirm: false },
    });
  });

  it("keeps a non-integer as a number for the API to judge, and a blank one as null", () => {
    const edited = form({ "booking_policy.slot_interval_min": "2.5", "booking_policy.buffer_after_min": "" });
    assert.equal(edited.booking_policy.slot_interval_min, 2.5);
    assert.equal(edited.booking_policy.buffer_after_min, null);
  });

  it("formatMinutes", () => {
    assert.equal(formatMinutes(0), "none");
    assert.equal(formatMinutes(90), "1 h 30 min");
    assert.equal(formatMinutes(1440), "1 day");
    assert.equal(formatMinutes(2940), "2 days 1 h");
  });
});

describe("team rules", () => {
  it("only owners grant or touch the owner role", () => {
    assert.deepEqual(grantableRoles("owner"), ["owner", "admin", "staff"]);
    assert.deepEqual(grantableRoles("admin"), ["admin", "staff"]);
    assert.equal(canManage("owner", "owner"), true);
    assert.equal(canManage("admin", "owner"), false);
    assert.equal(canManage("admin", "staff"), true);
    assert.equal(canManage("staff", "staff"), false);
    assert.equal(roleAtLeast("admin", "admin"), true);
    assert.equal(roleAtLeast("staff", "admin"), false);
  });

  it("a new Idempotency-Key per submit (crypto.randomUUID, or a v4 UUID from random bytes)", () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
    const fallback = newIdempotencyKey({ getRandomValues: (bytes) => bytes.fill(255) });
    assert.equal(fallback, "ffffffff-ffff-4fff-bfff-ffffffffffff");
  });
});

describe("consent confirmation", () => {
  it("says what happened: subscribed, a spent or expired link, or the API's own words", () => {
    assert.equal(consentOutcome(null).ok, true);
    const spent = consentOutcome({ status: 404, message: "The consent request was not found." });
    assert.equal(spent.ok, false);
    assert.match(spent.title, /expired or was already used/);
    assert.equal(consentOutcome({ status: 429, message: "Too many requests; wait before trying again." }).text,
      "Too many requests; wait before trying again.");
  });
});
