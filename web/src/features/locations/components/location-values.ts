// The location form's values (opening hours as seven weekdays, each open or closed with one or more
// ranges) and the API bodies made from them (a flat list of {weekday, opens, closes}, or null for
// "no set hours").
import type { Schemas } from "../../../lib/api-client";
import type { Location } from "../api/locations";

export interface RangeValues {
  opens: string;
  closes: string;
}

export interface DayValues {
  open: boolean;
  ranges: RangeValues[];
}

export interface LocationValues {
  name: string;
  address: string;
  phone: string;
  time_zone: string;
  /** "set": the days below; "none": no limit beyond each person's working hours. */
  hours_mode: "set" | "none";
  /** Monday first (ISO weekday 1 at index 0). */
  days: DayValues[];
}

export const LOCATION_FIELDS = ["name", "address", "phone", "time_zone"] as const;

export const PHONE_PATTERN = /^\+?[0-9 ()./-]{5,32}$/;

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const DEFAULT_RANGE: RangeValues = { opens: "09:00", closes: "17:00" };

/** Hours as the API sends them → seven days; a new location opens Monday to Friday, 09:00–17:00. */
export function daysOf(hours: Schemas["Opening"][] | null | undefined, fresh: boolean): DayValues[] {
  return WEEKDAYS.map((weekday) => {
    if (fresh) return { open: weekday <= 5, ranges: [{ ...DEFAULT_RANGE }] };
    const ranges = (hours ?? [])
      .filter((h) => h.weekday === weekday)
      .sort((a, b) => a.opens.localeCompare(b.opens))
      .map((h) => ({ opens: h.opens, closes: h.closes }));
    return ranges.length ? { open: true, ranges } : { open: false, ranges: [{ ...DEFAULT_RANGE }] };
  });
}

export function locationValues(location: Location | null, businessZone: string): LocationValues {
  return {
    name: location?.name ?? "",
    address: location?.address ?? "",
    phone: location?.phone ?? "",
    time_zone: location?.time_zone ?? businessZone,
    hours_mode: location && location.opening_hours === null ? "none" : "set",
    days: daysOf(location?.opening_hours, location === null),
  };
}

/**
 * The opening hours to send, and for each entry the form range it came from (a 422 names an entry by
 * its place in the list: `opening_hours.3.closes`).
 */
export function openingHoursBody(values: LocationValues): { hours: Schemas["OpeningHours"][] | null; places: [number, number][] } {
  if (values.hours_mode === "none") return { hours: null, places: [] };
  const hours: Schemas["OpeningHours"][] = [];
  const places: [number, number][] = [];
  values.days.forEach((day, d) => {
    if (!day.open) return;
    day.ranges.forEach((range, r) => {
      hours.push({ weekday: d + 1, opens: range.opens, closes: range.closes });
      places.push([d, r]);
    });
  });
  return { hours, places };
}

const orNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());

/** Every field of NewLocation (LocationUpdate adds `version`). */
export function locationBody(values: LocationValues): { body: Schemas["NewLocation"] & { time_zone: string }; places: [number, number][] } {
  const { hours, places } = openingHoursBody(values);
  return {
    body: {
      name: values.name.trim(),
      address: orNull(values.address),
      phone: orNull(values.phone),
      time_zone: values.time_zone,
      opening_hours: hours,
    },
    places,
  };
}

/** A 422 path of the location body → the form field it belongs to. */
export function locationFieldOf(apiField: string, places: [number, number][]): string {
  const entry = /^opening_hours\.(\d+)\.(opens|closes|weekday)$/.exec(apiField);
  if (!entry) return apiField;
  const place = places[Number(entry[1])];
  if (!place) return apiField;
  const field = entry[2] === "weekday" ? "opens" : entry[2];
  return `days.${place[0]}.ranges.${place[1]}.${field}`;
}

/** The ranges of one day that overlap an earlier one (by index), for the form's own check. */
export function overlapping(ranges: RangeValues[]): Set<number> {
  const order = ranges.map((r, i) => ({ ...r, i })).sort((a, b) => a.opens.localeCompare(b.opens));
  const found = new Set<number>();
  let latest = "";
  for (const range of order) {
    if (latest && range.opens < latest) found.add(range.i);
    if (range.closes > latest) latest = range.closes;
  }
  return found;
}

/** The form's field names a 422 can land on, given the ranges on screen. */
export function locationFieldNames(values: LocationValues): string[] {
  return [
    ...LOCATION_FIELDS,
    ...values.days.flatMap((day, d) => day.ranges.flatMap((_r, r) => [`days.${d}.ranges.${r}.opens`, `days.${d}.ranges.${r}.closes`])),
  ];
}
