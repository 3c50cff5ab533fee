// Dates and times in a zone: day lengths across the clock changes, wall clock ↔ instant, weeks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  addDays, dayBounds, daysBetween, formatDay, isDate, localClock, localDate, offsetMinutes, parseDate, toMs, todayIn,
  weekday, weekRange, zonedParts, zonedTimeToInstant, zoneName,
} from "../src/zoned.js";

const iso = (d) => d.toISOString();

describe("days in a zone", () => {
  it("a day view on 2027-03-28 in Europe/London has 23 hours (clocks go forward at 01:00)", () => {
    const day = dayBounds("2027-03-28", "Europe/London");
    assert.equal(iso(day.start), "2027-03-28T00:00:00.000Z");
    assert.equal(iso(day.end), "2027-03-28T23:00:00.000Z");
    assert.equal(day.hours, 23);
    assert.equal(day.minutes, 1380);
  });

  it("the autumn change makes a 25-hour day, an ordinary day has 24", () => {
    assert.equal(dayBounds("2027-10-31", "Europe/London").hours, 25);
    assert.equal(dayBounds("2027-03-27", "Europe/London").hours, 24);
    assert.equal(dayBounds("2027-03-14", "America/New_York").hours, 23);
    assert.equal(dayBounds("2027-03-28", "UTC").hours, 24);
  });

  it("a zone whose clocks skip midnight starts the day at the first instant that exists", () => {
    // Santiago springs forward at 00:00 → 01:00 (2026-09-06): the day begins at 01:00 local.
    const day = dayBounds("2026-09-06", "America/Santiago");
    assert.equal(localClock(day.start, "America/Santiago"), "01:00");
    assert.equal(localDate(day.start, "America/Santiago"), "2026-09-06");
    assert.equal(day.hours, 23);
  });
});

describe("wall clock and instants", () => {
  it("reads the wall clock of an instant in a zone, and the zone's offset", () => {
    assert.deepEqual(zonedParts("2027-03-28T09:30:00+01:00", "Europe/London"),
      { year: 2027, month: 3, day: 28, hour: 9, minute: 30, second: 0 });
    assert.equal(offsetMinutes("2027-03-28T00:30:00Z", "Europe/London"), 0);
    assert.equal(offsetMinutes("2027-03-28T01:30:00Z", "Europe/London"), 60);
    assert.equal(offsetMinutes("2027-01-10T12:00:00Z", "Asia/Kolkata"), 330);
    assert.equal(localDate("2027-03-27T23:30:00Z", "Europe/Berlin"), "2027-03-28");
    assert.equal(localClock("2027-03-27T23:30:00Z", "Europe/Berlin"), "00:30");
  });

  it("turns a wall-clock time into its instant, across the changes", () => {
    assert.equal(iso(zonedTimeToInstant("2027-03-28", 9 * 60, "Europe/London")), "2027-03-28T08:00:00.000Z");
    assert.equal(iso(zonedTimeToInstant("2027-03-27", 9 * 60, "Europe/London")), "2027-03-27T09:00:00.000Z");
    // 01:30 does not exist that night: the time after the gap (02:30 summer time)
    assert.equal(iso(zonedTimeToInstant("2027-03-28", 90, "Europe/London")), "2027-03-28T01:30:00.000Z");
    // 01:30 happens twice on 2027-10-31: the first (summer time)
    assert.equal(iso(zonedTimeToInstant("2027-10-31", 90, "Europe/London")), "2027-10-31T00:30:00.000Z");
    assert.equal(iso(zonedTimeToInstant("2027-06-01", 0, "Australia/Sydney")), "2027-05-31T14:00:00.000Z");
  });

  it("reads Python's str() of a datetime (as history stores it)", () => {
    assert.equal(toMs("2027-03-28 09:00:00.123456+00:00"), Date.UTC(2027, 2, 28, 9, 0, 0, 123));
    assert.equal(toMs("2027-03-28T09:00:00+01:00"), Date.UTC(2027, 2, 28, 8));
  });

  it("today in a zone can differ from the UTC date", () => {
    const now = Date.UTC(2027, 0, 1, 23, 30);
    assert.equal(todayIn("UTC", now), "2027-01-01");
    assert.equal(todayIn("Asia/Tokyo", now), "2027-01-02");
    assert.equal(todayIn("America/Los_Angeles", now), "2027-01-01");
  });
});

describe("calendar dates", () => {
  it("adds days and counts them (through month, year and DST boundaries)", () => {
    assert.equal(addDays("2027-03-27", 1), "2027-03-28");
    assert.equal(addDays("2027-12-31", 1), "2028-01-01");
    assert.equal(addDays("2028-03-01", -1), "2028-02-29");
    assert.equal(daysBetween("2027-03-20", "2027-04-03"), 14);
    assert.equal(daysBetween("2027-04-03", "2027-03-20"), -14);
  });

  it("weeks run Monday to Sunday", () => {
    assert.equal(weekday("2027-03-28"), 0);
    const week = weekRange("2027-03-28");
    assert.equal(week.from, "2027-03-22");
    assert.equal(week.to, "2027-03-28");
    assert.equal(week.days.length, 7);
    assert.deepEqual(weekRange("2027-03-22").days, week.days);
    assert.equal(weekRange("2027-03-28", 0).from, "2027-03-28", "a Sunday-first week");
  });

  it("parses only real dates", () => {
    assert.deepEqual(parseDate("2028-02-29"), { year: 2028, month: 2, day: 29 });
    assert.equal(isDate("2027-02-29"), false);
    assert.equal(isDate("2027-13-01"), false);
    assert.equal(isDate("28/03/2027"), false);
    assert.equal(isDate(null), false);
  });

  it("words for dates and zones", () => {
    assert.match(formatDay("2027-03-28", "en-GB"), /^Sunday,? 28 March 2027$/);
    assert.equal(formatDay("2027-03-28", "en-GB", { weekday: "short" }), "Sun");
    assert.equal(zoneName("Europe/London"), "London time");
    assert.equal(zoneName("America/New_York"), "New York time");
    assert.equal(zoneName("UTC"), "UTC");
  });
});
