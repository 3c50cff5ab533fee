import { expect, test } from "vitest";
import { IDS, schedule as weekdays, timeOff } from "../../../testing/fixtures";
import { LONDON } from "../testing/fixtures";
import { isoWeekday, shadeAt, workingTime } from "./shading";

const zoneOf = () => LONDON;
const at = (iso: string) => new Date(iso);

test("ISO weekdays: Monday 1, Sunday 7", () => {
  expect(isoWeekday("2027-03-22")).toBe(1);
  expect(isoWeekday("2027-03-28")).toBe(7);
});

test("outside working hours is 'off', a break is 'break', inside hours is not shaded", () => {
  const time = workingTime({ schedule: weekdays(), timeOff: [], dates: ["2026-12-07"], zoneOf });
  expect(shadeAt(time, at("2026-12-07T08:45:00Z"))).toBe("off");
  expect(shadeAt(time, at("2026-12-07T09:00:00Z"))).toBeNull();
  expect(shadeAt(time, at("2026-12-07T12:30:00Z"))).toBe("break");
  expect(shadeAt(time, at("2026-12-07T13:00:00Z"))).toBeNull();
  expect(shadeAt(time, at("2026-12-07T17:00:00Z"))).toBe("off");
});

test("hours are London wall-clock: after the spring change 09:00 is 08:00 UTC", () => {
  const time = workingTime({ schedule: weekdays(), timeOff: [], dates: ["2027-03-29"], zoneOf });
  expect(shadeAt(time, at("2027-03-29T07:45:00Z"))).toBe("off");
  expect(shadeAt(time, at("2027-03-29T08:00:00Z"))).toBeNull();
  expect(shadeAt(time, at("2027-03-29T15:45:00Z"))).toBeNull();
  expect(shadeAt(time, at("2027-03-29T16:00:00Z"))).toBe("off");
});

test("an override replaces the weekly hours of its date; an empty one means a day off", () => {
  const schedule = weekdays({
    overrides: [
      { date: "2026-12-08", location_id: IDS.soho, intervals: [{ start: "14:00", end: "18:00" }] },
      { date: "2026-12-09", location_id: null, intervals: [] },
    ],
  });
  const time = workingTime({ schedule, timeOff: [], dates: ["2026-12-08", "2026-12-09"], zoneOf });
  expect(shadeAt(time, at("2026-12-08T10:00:00Z"))).toBe("off");
  expect(shadeAt(time, at("2026-12-08T12:30:00Z"))).toBe("off");
  expect(shadeAt(time, at("2026-12-08T15:00:00Z"))).toBeNull();
  expect(shadeAt(time, at("2026-12-09T10:00:00Z"))).toBe("off");
});

test("time off is shaded over hours and breaks alike", () => {
  const time = workingTime({
    schedule: weekdays(),
    timeOff: [timeOff({ starts_at: "2026-12-07T11:00:00Z", ends_at: "2026-12-07T14:00:00Z" })],
    dates: ["2026-12-07"],
    zoneOf,
  });
  expect(shadeAt(time, at("2026-12-07T10:45:00Z"))).toBeNull();
  expect(shadeAt(time, at("2026-12-07T11:00:00Z"))).toBe("time-off");
  expect(shadeAt(time, at("2026-12-07T12:30:00Z"))).toBe("time-off");
  expect(shadeAt(time, at("2026-12-07T14:00:00Z"))).toBeNull();
});

test("with a location chosen, hours at another location count as away; unknown hours shade nothing", () => {
  const time = workingTime({ schedule: weekdays(), timeOff: [], dates: ["2026-12-07"], zoneOf, locationId: "elsewhere" });
  expect(shadeAt(time, at("2026-12-07T10:00:00Z"))).toBe("off");
  expect(shadeAt(undefined, at("2026-12-07T10:00:00Z"))).toBeNull();
});
