import { addDays, dayBounds, daysBetween, monthEnd, formatDay, formatTime, formatTimeRange, localDate, localMinutes, todayIn, weekStart, zonedTimeToInstant } from "./zoned";

const HOUR = 3_600_000;

describe("days in a zone", () => {
  it("a day on 2027-03-28 in Europe/London has 23 hours (clocks go forward at 01:00)", () => {
    const [start, end] = dayBounds("2027-03-28", "Europe/London");
    expect(start.toISOString()).toBe("2027-03-28T00:00:00.000Z");
    expect((end.getTime() - start.getTime()) / HOUR).toBe(23);
  });

  it("the autumn change makes a 25-hour day, an ordinary day has 24", () => {
    const [s1, e1] = dayBounds("2027-10-31", "Europe/London");
    expect((e1.getTime() - s1.getTime()) / HOUR).toBe(25);
    const [s2, e2] = dayBounds("2027-06-01", "Europe/London");
    expect((e2.getTime() - s2.getTime()) / HOUR).toBe(24);
  });
});

describe("wall clock and instants", () => {
  it("reads the wall clock of an instant in a zone", () => {
    expect(localDate("2027-06-01T23:30:00Z", "Europe/Berlin")).toBe("2027-06-02");
    expect(localMinutes("2027-06-01T08:15:00Z", "Europe/London")).toBe(9 * 60 + 15);
    expect(localMinutes("2027-06-01T08:15:00Z", "America/New_York")).toBe(4 * 60 + 15);
  });

  it("turns a wall-clock time into its instant, across the changes", () => {
    expect(zonedTimeToInstant("2027-03-27", 9 * 60, "Europe/London").toISOString()).toBe("2027-03-27T09:00:00.000Z");
    expect(zonedTimeToInstant("2027-03-29", 9 * 60, "Europe/London").toISOString()).toBe("2027-03-29T08:00:00.000Z");
    expect(zonedTimeToInstant("2027-03-14", 9 * 60, "America/New_York").toISOString()).toBe("2027-03-14T13:00:00.000Z");
  });

  it("today in a zone can differ from the UTC date", () => {
    const now = Date.parse("2027-01-01T02:00:00Z");
    expect(todayIn("America/Los_Angeles", now)).toBe("2026-12-31");
    expect(todayIn("Asia/Tokyo", now)).toBe("2027-01-01");
  });
});

describe("calendar dates", () => {
  it("adds days and counts them (through month, year and DST boundaries)", () => {
    expect(addDays("2027-03-27", 2)).toBe("2027-03-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysBetween("2027-03-01", "2027-04-01")).toBe(31);
    expect(monthEnd("2028-02-10")).toBe("2028-02-29");
    expect(monthEnd("2027-12-31")).toBe("2027-12-31");
  });

  it("weeks run Monday to Sunday", () => {
    expect(weekStart("2027-03-28")).toBe("2027-03-22");
    expect(weekStart("2027-03-29")).toBe("2027-03-29");
  });
});

describe("one way to write a time", () => {
  it("the same instant reads in the zone shown, always with two-digit hours", () => {
    const at = "2027-06-01T08:05:00Z";
    expect(formatTime(at, "Europe/London", "en-GB")).toBe("09:05");
    expect(formatTime(at, "Europe/Berlin", "de")).toBe("10:05");
    expect(formatTime(at, "America/New_York", "en-US")).toBe("04:05 AM");
    expect(formatTimeRange(at, "2027-06-01T09:00:00Z", "Europe/London", "en-GB")).toBe("09:05–10:00");
    expect(formatTimeRange(at, "2027-06-01T09:00:00Z", "America/New_York", "en-US")).toBe("04:05 AM–05:00 AM");
  });

  it("words for dates", () => {
    // The punctuation between weekday and date is ICU's and differs between versions.
    expect(formatDay("2027-03-28", "en-GB")).toMatch(/^Sunday,? 28 March 2027$/);
    expect(formatDay("2027-03-28", "de")).toBe("Sonntag, 28. März 2027");
  });
});
