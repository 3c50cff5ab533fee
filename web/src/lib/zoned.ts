// Calendar dates and clock times in a named zone. Dates are "YYYY-MM-DD" strings (a day on the wall
// calendar, no zone); instants are ISO strings or Dates. The wall-clock-to-instant conversion is
// date-fns-tz's; reading an instant's date and time in a zone is Intl's; words come from Intl in the
// reader's language, with one time format everywhere (the locale's own). Calendar-date arithmetic is
// on UTC dates: date-fns's `format` (and date-fns-tz's formatInTimeZone on it) cost the booking page
// 7 KB gzipped for what Intl and Date.UTC do here.
import { fromZonedTime } from "date-fns-tz";

export type Instant = string | number | Date;

const toDate = (instant: Instant): Date => (instant instanceof Date ? instant : new Date(instant));

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-calendar date and 24-hour clock of `instant` in `timeZone`. */
function wallClock(instant: Instant, timeZone: string): { date: string; minutes: number } {
  let fmt = partsFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    partsFormats.set(timeZone, fmt);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of fmt.formatToParts(toDate(instant))) part[type] = value;
  return { date: `${part.year}-${part.month}-${part.day}`, minutes: Number(part.hour) * 60 + Number(part.minute) };
}

/** The wall-calendar date of `instant` in `timeZone`. */
export function localDate(instant: Instant, timeZone: string): string {
  return wallClock(instant, timeZone).date;
}

/** Minutes since local midnight of `instant` in `timeZone`. */
export function localMinutes(instant: Instant, timeZone: string): number {
  return wallClock(instant, timeZone).minutes;
}

/** The instant at `minutes` past midnight of `date` on `timeZone`'s wall clock (DST gaps move forward). */
export function zonedTimeToInstant(date: string, minutes: number, timeZone: string): Date {
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return fromZonedTime(`${date}T${hh}:${mm}:00`, timeZone);
}

/** [start, end) of `date` in `timeZone`, as instants (23 or 25 hours long on DST days). */
export function dayBounds(date: string, timeZone: string): [Date, Date] {
  return [zonedTimeToInstant(date, 0, timeZone), zonedTimeToInstant(addDays(date, 1), 0, timeZone)];
}

export function todayIn(timeZone: string, now: number = Date.now()): string {
  return localDate(now, timeZone);
}

const DAY_MS = 86_400_000;
const utcDay = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return dateOf(utcDay(date) + days * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

/** The last day of the month holding `date`. */
export function monthEnd(date: string): string {
  const [year, month] = date.split("-").map(Number);
  return dateOf(Date.UTC(year ?? 1970, month ?? 1, 0));
}

/** Monday (or `weekStartsOn`) of the week holding `date`. */
export function weekStart(date: string, weekStartsOn: 0 | 1 = 1): string {
  const weekday = new Date(utcDay(date)).getUTCDay();
  return addDays(date, -((weekday - weekStartsOn + 7) % 7));
}

/** Is this an IANA zone the runtime knows? */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone (UTC when it says none). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

// Making an Intl.DateTimeFormat costs far more than using one, and a page of slots writes hundreds
// of times: formats are kept by locale and options, a few hundred at most.
const formats = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 256;

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let fmt = formats.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat(locale, options);
    } catch {
      fmt = new Intl.DateTimeFormat("en", options);
    }
    if (formats.size >= MAX_FORMATS) formats.clear();
    formats.set(key, fmt);
  }
  return fmt;
}

const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };

/** The one way a clock time is written: "09:30" (or "09:30 AM" where the language says so). */
export function formatTime(instant: Instant, timeZone: string, locale: string): string {
  return dateFormat(locale, { ...TIME, timeZone }).format(toDate(instant));
}

/** "09:30–10:15": both ends written as formatTime writes a time (Intl's ranges drop a leading zero). */
export function formatTimeRange(start: Instant, end: Instant, timeZone: string, locale: string): string {
  return `${formatTime(start, timeZone, locale)}–${formatTime(end, timeZone, locale)}`;
}

/** A calendar date in words: formatDay("2027-03-28", "en-GB") → "Sunday 28 March 2027". */
export function formatDay(
  date: string,
  locale: string,
  options: Intl.DateTimeFormatOptions = { weekday: "long", day: "numeric", month: "long", year: "numeric" },
): string {
  return dateFormat(locale, { ...options, timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
}

/** "Sun 28 Mar, 09:30" of an instant in a zone. */
export function formatDateTime(instant: Instant, timeZone: string, locale: string, options: Intl.DateTimeFormatOptions = {}): string {
  return dateFormat(locale, { weekday: "short", day: "numeric", month: "short", ...TIME, timeZone, ...options }).format(toDate(instant));
}

/** "London time" for Europe/London: shorter than the zone's id, and readable. */
export function zoneName(timeZone: string): string {
  const city = (timeZone.split("/").pop() ?? "").replace(/_/g, " ");
  return timeZone === "UTC" || !city ? "UTC" : `${city}`;
}

/** "GMT+1"-style short label of `timeZone` at `instant`, to label times with their zone. */
export function zoneAbbreviation(timeZone: string, instant: Instant, locale: string): string {
  const parts = dateFormat(locale, { timeZone, timeZoneName: "short" }).formatToParts(toDate(instant));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}
