// Placing appointments in the day and week views, by elapsed time in the business's zone.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  assignLanes, groupByDayAndStaff, groupSessions, hourMarks, nowLine, placeInDay, staffColumns, stepDate, viewRange, visibleWindow,
} from "../src/calendar_grid.js";
import { dayBounds } from "../src/zoned.js";

const LONDON = "Europe/London";

describe("day grid", () => {
  it("2027-03-28 in London: 23 hour marks, 01:00 missing, and a 09:00 appointment 8 hours in", () => {
    const day = dayBounds("2027-03-28", LONDON);
    const marks = hourMarks(day, LONDON);
    assert.equal(marks.length, 23);
    assert.deepEqual(marks.slice(0, 4).map((m) => m.label), ["00:00", "02:00", "03:00", "04:00"]);
    assert.equal(marks.at(-1).label, "23:00");
    const p = placeInDay("2027-03-28T09:00:00+01:00", "2027-03-28T09:45:00+01:00", day);
    assert.deepEqual(p, { top: 8 * 60, height: 45, clippedStart: false, clippedEnd: false });
  });

  it("2027-10-31 in London: 25 hour marks, 01:00 twice, a 09:00 appointment 10 hours in", () => {
    const day = dayBounds("2027-10-31", LONDON);
    const marks = hourMarks(day, LONDON);
    assert.equal(marks.length, 25);
    assert.deepEqual(marks.slice(0, 4).map((m) => m.label), ["00:00", "01:00", "01:00", "02:00"]);
    assert.equal(placeInDay("2027-10-31T09:00:00+00:00", "2027-10-31T10:00:00+00:00", day).top, 10 * 60);
  });

  it("clips what crosses midnight and leaves out what is on another day", () => {
    const day = dayBounds("2027-05-10", LONDON);
    const late = placeInDay("2027-05-10T23:30:00+01:00", "2027-05-11T00:30:00+01:00", day);
    assert.equal(late.top, 23.5 * 60);
    assert.equal(late.height, 30);
    assert.equal(late.clippedEnd, true);
    assert.equal(placeInDay("2027-05-11T09:00:00+01:00", "2027-05-11T10:00:00+01:00", day), null);
    assert.equal(placeInDay("2027-05-09T22:00:00+01:00", "2027-05-10T00:00:00+01:00", day), null, "ends as the day starts");
  });

  it("draws 08:00–20:00 by default, widened to whole hours around early or late appointments", () => {
    const day = dayBounds("2027-05-10", LONDON);
    assert.deepEqual(visibleWindow(day, [], LONDON), { start: 8 * 60, end: 20 * 60 });
    const early = placeInDay("2027-05-10T06:45:00+01:00", "2027-05-10T07:15:00+01:00", day);
    const late = placeInDay("2027-05-10T20:30:00+01:00", "2027-05-10T21:10:00+01:00", day);
    assert.deepEqual(visibleWindow(day, [early, late, null], LONDON), { start: 6 * 60, end: 22 * 60 });
    // on the 23-hour day the wall-clock 08:00 is 7 elapsed hours in
    assert.deepEqual(visibleWindow(dayBounds("2027-03-28", LONDON), [], LONDON), { start: 7 * 60, end: 19 * 60 });
  });

  it("puts overlapping appointments side by side, and only those", () => {
    const a = { id: "a", s: "2027-05-10T09:00:00Z", e: "2027-05-10T10:00:00Z" };
    const b = { id: "b", s: "2027-05-10T09:30:00Z", e: "2027-05-10T10:30:00Z" };
    const c = { id: "c", s: "2027-05-10T10:00:00Z", e: "2027-05-10T10:15:00Z" }; // a's lane is free again
    const d = { id: "d", s: "2027-05-10T11:00:00Z", e: "2027-05-10T11:30:00Z" }; // alone
    const lanes = assignLanes([d, c, b, a], (x) => x.s, (x) => x.e);
    const by = Object.fromEntries(lanes.map((l) => [l.item.id, [l.lane, l.lanes]]));
    assert.deepEqual(by, { a: [0, 2], b: [1, 2], c: [0, 2], d: [0, 1] });
    assert.deepEqual(assignLanes([], (x) => x, (x) => x), []);
  });

  it("knows where now is on today's grid", () => {
    const day = dayBounds("2027-05-10", "UTC");
    assert.equal(nowLine(day, Date.UTC(2027, 4, 10, 12, 30)), 750);
    assert.equal(nowLine(day, Date.UTC(2027, 4, 11, 0, 0)), null);
  });
});

describe("ranges and columns", () => {
  it("a day view covers its date, a week view Monday to Sunday; steps move by the view", () => {
    assert.deepEqual(viewRange("day", "2027-03-28"), { from: "2027-03-28", to: "2027-03-28", days: ["2027-03-28"] });
    const week = viewRange("week", "2027-03-24");
    assert.equal(week.from, "2027-03-22");
    assert.equal(week.to, "2027-03-28");
    assert.equal(stepDate("day", "2027-03-28", 1), "2027-03-29");
    assert.equal(stepDate("week", "2027-03-28", -1), "2027-03-21");
  });

  it("groups appointments by local start date and staff, in time order", () => {
    const appointments = [
      { id: "2", staff_id: "s1", start_at: "2027-03-28T10:00:00+01:00" },
      { id: "1", staff_id: "s1", start_at: "2027-03-28T09:00:00+01:00" },
      { id: "3", staff_id: "s2", start_at: "2027-03-27T23:30:00+00:00" }, // Saturday night in London
      { id: "4", staff_id: "s2", start_at: "2027-03-27T23:30:00Z" },
    ];
    const grouped = groupByDayAndStaff(appointments, LONDON);
    assert.deepEqual(grouped.get("2027-03-28").get("s1").map((a) => a.id), ["1", "2"]);
    assert.deepEqual(grouped.get("2027-03-27").get("s2").map((a) => a.id), ["3", "4"]);
    assert.deepEqual([...groupByDayAndStaff(appointments, "Europe/Berlin").keys()], ["2027-03-28"]);
  });

  it("shows active staff, inactive or unknown staff only with appointments, and a staff member their own column", () => {
    const staff = [{ id: "a", name: "Ann", active: true }, { id: "b", name: "Bo", active: false }, { id: "c", name: "Cy", active: false }];
    const appointments = [{ staff_id: "b" }, { staff_id: "zz" }];
    assert.deepEqual(staffColumns(staff, appointments).map((c) => [c.id, c.active]), [["a", true], ["b", false], ["zz", false]]);
    assert.deepEqual(staffColumns(staff, [], { onlyStaffId: "a" }).map((c) => c.id), ["a"]);
    assert.deepEqual(staffColumns(staff, [], { onlyStaffId: "none" }), []);
  });
});

describe("group sessions", () => {
  it("shows the bookings of one group session as one entry, everything else on its own", () => {
    const at = (id, service, start, staff = "s1") => ({ id, service_id: service, staff_id: staff, start_at: start, end_at: "2027-05-10T12:00:00Z" });
    const list = [at("1", "yoga", "2027-05-10T10:00:00Z"), at("2", "cut", "2027-05-10T10:00:00Z"), at("3", "yoga", "2027-05-10T11:00:00+01:00"),
      at("4", "yoga", "2027-05-10T10:00:00Z", "s2"), at("5", "cut", "2027-05-10T10:00:00Z")];
    const entries = groupSessions(list, (a) => a.service_id === "yoga");
    assert.deepEqual(entries.map((e) => e.appointments.map((a) => a.id)), [["1", "3"], ["2"], ["4"], ["5"]],
      "same instant written two ways is one session; another staff member's is another; one-person services never merge");
    assert.deepEqual(groupSessions(list).map((e) => e.appointments.length), [1, 1, 1, 1, 1]);
  });
});
