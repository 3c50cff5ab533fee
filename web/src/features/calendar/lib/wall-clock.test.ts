import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { calendarFormats, fromWall, toWall, wallDate } from "./wall-clock";

const LONDON = "Europe/London";
const fields = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")} ${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;

// Whatever the browser's own zone, the grid must read London's clock: run the checks from three.
describe.each([
  ["UTC", 0],
  ["America/New_York", 300],
  ["Asia/Kolkata", -330],
])("in a browser set to %s", (browserZone, offset) => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TZ;
    process.env.TZ = browserZone;
  });
  afterEach(() => {
    process.env.TZ = saved;
  });

  test("the browser's zone is really that one", () => {
    expect(new Date(2027, 0, 15, 12).getTimezoneOffset()).toBe(offset);
  });

  test("an instant shows at London's wall clock, on both sides of the spring change (28 March 2027)", () => {
    expect(fields(toWall("2027-03-27T09:00:00Z", LONDON))).toBe("2027-03-27 09:00"); // GMT
    expect(fields(toWall("2027-03-28T00:30:00Z", LONDON))).toBe("2027-03-28 00:30"); // before 01:00 GMT
    expect(fields(toWall("2027-03-28T01:00:00Z", LONDON))).toBe("2027-03-28 02:00"); // clocks jump
    expect(fields(toWall("2027-03-28T08:00:00Z", LONDON))).toBe("2027-03-28 09:00"); // BST
  });

  test("and on the autumn change (25 October 2026), the hour that repeats shows twice", () => {
    expect(fields(toWall("2026-10-25T00:30:00Z", LONDON))).toBe("2026-10-25 01:30"); // BST
    expect(fields(toWall("2026-10-25T01:30:00Z", LONDON))).toBe("2026-10-25 01:30"); // GMT, again
    expect(fields(toWall("2026-10-25T09:00:00Z", LONDON))).toBe("2026-10-25 09:00");
    expect(fields(toWall("2026-10-24T08:00:00Z", LONDON))).toBe("2026-10-24 09:00");
  });

  test("a wall-clock Date goes back to its instant (a drop at 09:00 on a DST day is 09:00 London)", () => {
    const at = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min);
    expect(fromWall(at(2027, 3, 28, 9), LONDON).toISOString()).toBe("2027-03-28T08:00:00.000Z");
    expect(fromWall(at(2027, 3, 27, 9), LONDON).toISOString()).toBe("2027-03-27T09:00:00.000Z");
    expect(fromWall(at(2026, 10, 25, 9), LONDON).toISOString()).toBe("2026-10-25T09:00:00.000Z");
    expect(fromWall(at(2026, 10, 24, 9), LONDON).toISOString()).toBe("2026-10-24T08:00:00.000Z");
  });

  test("every quarter hour of both change days goes there and back unchanged (but the repeated hour)", () => {
    for (const day of ["2027-03-28", "2026-10-25"]) {
      const start = Date.parse(`${day}T00:00:00Z`) - 3_600_000;
      for (let t = start; t < start + 26 * 3_600_000; t += 15 * 60_000) {
        const wall = toWall(t, LONDON);
        const repeated = day === "2026-10-25" && wall.getHours() === 1 && wall.getDate() === 25;
        if (!repeated) expect(fromWall(wall, LONDON).getTime()).toBe(t);
      }
    }
  });

  test("the calendar's date prop is local midnight of the day", () => {
    expect(fields(wallDate("2027-03-28"))).toBe("2027-03-28 00:00");
  });
});

test("grid labels use the one time format, from the wall clock (a skipped hour keeps its label)", () => {
  const formats = calendarFormats("en-GB");
  const gutter = formats.timeGutterFormat as (d: Date) => string;
  expect(gutter(new Date(2027, 2, 28, 1, 0))).toBe("01:00");
  expect(gutter(new Date(2027, 2, 28, 9, 30))).toBe("09:30");
  const range = formats.eventTimeRangeFormat as (r: { start: Date; end: Date }) => string;
  expect(range({ start: new Date(2027, 2, 28, 9, 0), end: new Date(2027, 2, 28, 9, 45) })).toMatch(/^09:00\s*–\s*09:45$/);
});
