// Free times by day, statuses and their actions, conflicts in words, and Idempotency-Keys.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { bookableServices, performersOf } from "../src/calendar_data.js";
import { bookingRefusedForNow, manageHref } from "../src/pages/book.js";
import { policyWords } from "../src/pages/customer.js";
import { formatMoney } from "../src/format.js";
import { createKeyKeeper, unsettled } from "../src/idempotency.js";
import {
  clampWindowStart, dayStrip, firstDayWithSlots, groupSlotsByDay, lastBookableDay, slotKey, spansLocations, windowMoves,
} from "../src/slots.js";
import {
  actionsFor, actorLabel, ACTIONS, conflictMessage, historyChanges, historyLabel, needsReload, statusLabel, STATUSES,
} from "../src/status.js";

const slot = (start, staff = "s1", location = "l1") => ({ start_at: start, end_at: start, staff_id: staff, location_id: location, seats_left: 1 });

describe("slots", () => {
  it("groups by the local day of the zone the answer names, every asked day present", () => {
    const days = dayStrip("2027-03-27", 3);
    assert.deepEqual(days, ["2027-03-27", "2027-03-28", "2027-03-29"]);
    const grouped = groupSlotsByDay([
      slot("2027-03-28T10:00:00+01:00"), slot("2027-03-28T09:00:00+01:00"),
      slot("2027-03-27T23:45:00+00:00"), // 23:45 on Saturday in London, Sunday in Berlin
    ], "Europe/London", days);
    assert.deepEqual([...grouped.keys()], days);
    assert.deepEqual(grouped.get("2027-03-28").map((s) => s.start_at), ["2027-03-28T09:00:00+01:00", "2027-03-28T10:00:00+01:00"]);
    assert.equal(grouped.get("2027-03-27").length, 1);
    assert.equal(grouped.get("2027-03-29").length, 0);
    assert.equal(firstDayWithSlots(grouped, days), "2027-03-27");
    assert.equal(firstDayWithSlots(groupSlotsByDay([], "UTC", days), days), null);
  });

  it("tells slots apart by time, person and place", () => {
    assert.notEqual(slotKey(slot("2027-03-28T09:00:00+01:00", "a")), slotKey(slot("2027-03-28T09:00:00+01:00", "b")));
    assert.equal(slotKey(slot("2027-03-28T09:00:00+01:00")), slotKey(slot("2027-03-28T08:00:00Z")), "same instant");
    assert.equal(spansLocations([slot("2027-03-28T09:00:00Z", "a", "x"), slot("2027-03-28T09:00:00Z", "a", "y")]), true);
    assert.equal(spansLocations([slot("2027-03-28T09:00:00Z")]), false);
  });

  it("keeps the two-week window between today and the furthest bookable day", () => {
    const today = "2027-03-01";
    const last = lastBookableDay(today, 30);
    assert.equal(last, "2027-03-31");
    assert.equal(lastBookableDay(today, undefined), null);
    assert.equal(clampWindowStart("2027-02-20", today, 14), today);
    assert.equal(clampWindowStart("2027-03-29", today, 14, last), "2027-03-18");
    assert.equal(clampWindowStart("2027-03-15", today, 14, last), "2027-03-15");
    assert.deepEqual(windowMoves(today, today, 14, last), { back: false, forward: true });
    assert.deepEqual(windowMoves("2027-03-18", today, 14, last), { back: true, forward: false });
    assert.deepEqual(windowMoves("2027-03-18", today, 14), { back: true, forward: true });
  });
});

describe("statuses", () => {
  it("labels every status the API has", () => {
    assert.deepEqual(STATUSES.map(statusLabel), ["Pending", "Confirmed", "Completed", "No-show", "Cancelled"]);
    assert.equal(statusLabel("weird"), "weird");
  });

  it("offers the moves the server's status machine allows", () => {
    assert.deepEqual(actionsFor("pending"), ["confirm", "cancel", "reschedule"]);
    assert.deepEqual(actionsFor("confirmed"), ["complete", "no_show", "cancel", "reschedule"]);
    assert.deepEqual(actionsFor("completed"), []);
    assert.deepEqual(actionsFor("no_show"), []);
    assert.deepEqual(actionsFor("cancelled"), []);
    assert.equal(ACTIONS.no_show.path, "no-show");
  });

  it("explains the 409s and says when to reload", () => {
    for (const code of ["stale_version", "slot_taken", "invalid_transition"]) {
      const err = { status: 409, code, message: "raw" };
      assert.notEqual(conflictMessage(err), "raw", code);
      assert.equal(needsReload(err), true, code);
    }
    assert.match(conflictMessage({ status: 409, code: "stale_version" }), /someone else changed/i);
    assert.equal(conflictMessage({ status: 422, code: "validation_failed", message: "Some fields are not valid." }), "Some fields are not valid.");
    assert.equal(needsReload({ status: 422, code: "validation_failed" }), false);
  });

  it("history entries in words", () => {
    assert.equal(historyLabel("rescheduled"), "Rescheduled");
    assert.equal(historyLabel("no_show"), "Marked no-show");
    const entry = { action: "rescheduled", before: { start_at: "a", end_at: "x", staff_id: "s1" }, after: { start_at: "b", end_at: "y", staff_id: "s2" } };
    assert.deepEqual(historyChanges(entry, (f, v) => `${f}:${v}`), [
      { field: "start_at", label: "Start", before: "start_at:a", after: "start_at:b" },
      { field: "staff_id", label: "Staff", before: "staff_id:s1", after: "staff_id:s2" },
    ]);
    const created = { action: "created", before: null, after: { status: "confirmed", start_at: "a", notes: null, price_minor: 4500 } };
    assert.deepEqual(historyChanges(created).map((c) => [c.field, c.before, c.after]), [["status", null, "confirmed"], ["start_at", null, "a"]]);
    const names = new Map([["u2", "Anna"]]);
    assert.equal(actorLabel({ type: "user", id: "u1" }, { names, meId: "u1" }), "You");
    assert.equal(actorLabel({ type: "user", id: "u2" }, { names }), "Anna");
    assert.equal(actorLabel({ type: "user", id: "u3" }, { names }), "A team member");
    assert.equal(actorLabel({ type: "customer", id: "c1" }), "The customer");
  });
});

describe("Idempotency-Keys", () => {
  it("one key per body until an answer settles it; a lost answer keeps it for the retry", () => {
    let n = 0;
    const keeper = createKeyKeeper(() => `k${++n}`);
    const body = { service_id: "x", start_at: "2027-03-28T09:00:00+01:00" };
    assert.equal(keeper.keyFor(body), "k1");
    assert.equal(keeper.keyFor({ ...body }), "k1", "a double click sends the same key");
    keeper.settle({ kind: "network" });
    assert.equal(keeper.keyFor(body), "k1", "no answer: the retry must not book twice");
    keeper.settle({ status: 429, kind: "rate_limited" });
    assert.equal(keeper.keyFor(body), "k1");
    keeper.settle({ status: 409, code: "slot_taken" }); // remembered by the server: a new try needs a new key
    assert.equal(keeper.keyFor(body), "k2");
    assert.equal(keeper.keyFor({ ...body, start_at: "2027-03-28T10:00:00+01:00" }), "k3", "another body, another key");
    keeper.settle();
    assert.equal(keeper.keyFor(body), "k4", "after a success the next booking is a new one");
  });

  it("knows which failures leave the request unsettled", () => {
    assert.equal(unsettled({ kind: "network" }), true);
    assert.equal(unsettled({ status: 502 }), true);
    assert.equal(unsettled({ status: 409, code: "idempotency_in_progress" }), true);
    assert.equal(unsettled({ status: 409, code: "slot_taken" }), false);
    assert.equal(unsettled({ status: 422 }), false);
    assert.equal(unsettled(null), false);
  });
});

describe("catalogue helpers", () => {
  it("offers active services by name and only the staff who perform one", () => {
    const services = [{ id: "b", name: "Beard", active: true }, { id: "a", name: "Adult cut", active: true },
      { id: "z", name: "Old", active: true, archived: true }, { id: "o", name: "Off", active: false }];
    assert.deepEqual(bookableServices(services).map((s) => s.id), ["a", "b"]);
    const staff = [{ id: "s1", active: true }, { id: "s2", active: true }, { id: "s3", active: false }];
    assert.deepEqual(performersOf({ staff: [{ staff_id: "s2" }, { staff_id: "s3" }] }, staff).map((s) => s.id), ["s2"]);
    assert.deepEqual(performersOf({ staff: [] }, staff), []);
  });

  it("money in minor units", () => {
    assert.equal(formatMoney({ amount: 4500, currency: "GBP" }, "en-GB"), "£45.00");
    assert.equal(formatMoney({ amount: 4500, currency: "JPY" }, "en-GB"), "JP¥4,500");
    assert.equal(formatMoney(null, "en"), "");
  });
});

describe("booking page words", () => {
  it("says what can be done online after booking, from the policy's cut-offs", () => {
    assert.equal(policyWords({ cancel_cutoff_min: 1440, reschedule_cutoff_min: 1440 }), "You can cancel or change it online until 1 day before the appointment.");
    assert.equal(policyWords({ cancel_cutoff_min: 120, reschedule_cutoff_min: 0 }),
      "You can cancel online until 2 h before the appointment. You can change the time online until the appointment starts.");
    assert.equal(policyWords({}), "");
  });

  it("links to the manage page on this site, the token escaped", () => {
    assert.equal(manageHref({ manage_token: "b1.x/y+z" }), "/manage-booking?token=b1.x%2Fy%2Bz");
  });
});

describe("a booking refused for now", () => {
  it("says the business is full when its online budget is spent, and that the device tried too often otherwise", () => {
    const full = { kind: "rate_limited", retryAfter: 600, details: { retry_after: 600, limit: "online_bookings_per_business" } };
    assert.equal(bookingRefusedForNow(full, "Demo Salon"),
      "Demo Salon isn't taking more online bookings right now. Try again in 600 seconds (about 10 minutes).");
    assert.equal(bookingRefusedForNow({ kind: "rate_limited", retryAfter: 40, details: { retry_after: 40 } }, "Demo Salon"),
      "Too many attempts. Try again in 40 seconds.");
  });
});
