import { summariseHours, weekdayNames } from "./hours";
import { daysOf, locationFieldOf, openingHoursBody, overlapping, type LocationValues } from "./location-values";

test("weekdays are Monday first, in the reader's language", () => {
  expect(weekdayNames("en")[0]).toBe("Monday");
  expect(weekdayNames("de", "short")[6]).toBe("So");
});

test("a week is summarised by runs of days with the same hours", () => {
  const hours = [
    ...[1, 2, 3].map((weekday) => ({ weekday, opens: "09:00", closes: "17:00" })),
    { weekday: 4, opens: "13:00", closes: "20:00" },
    { weekday: 4, opens: "09:00", closes: "12:00" },
    { weekday: 5, opens: "09:00", closes: "17:00" },
  ];
  expect(summariseHours(hours, "en-GB")).toEqual(["Mon–Wed 09:00–17:00", "Thu 09:00–12:00, 13:00–20:00", "Fri 09:00–17:00", "Sat–Sun Closed"]);
  expect(summariseHours([], "en-GB")).toEqual(["Mon–Sun Closed"]);
  expect(summariseHours(null, "en-GB")).toEqual([]);
});

test("overlapping ranges of a day are found whatever their order", () => {
  expect([...overlapping([{ opens: "13:00", closes: "18:00" }, { opens: "09:00", closes: "13:30" }])]).toEqual([0]);
  // One may start the minute the other ends.
  expect(overlapping([{ opens: "09:00", closes: "12:00" }, { opens: "12:00", closes: "18:00" }]).size).toBe(0);
});

test("hour entries of the body map back to their day and range", () => {
  const values: LocationValues = { name: "", address: "", phone: "", time_zone: "UTC", hours_mode: "set", days: daysOf(null, true) };
  values.days[1] = { open: true, ranges: [{ opens: "09:00", closes: "12:00" }, { opens: "13:00", closes: "17:00" }] };
  const { hours, places } = openingHoursBody(values);
  expect(hours).toHaveLength(6);
  expect(locationFieldOf("opening_hours.2.opens", places)).toBe("days.1.ranges.1.opens");
  expect(locationFieldOf("opening_hours.0.weekday", places)).toBe("days.0.ranges.0.opens");
  expect(locationFieldOf("name", places)).toBe("name");
});
