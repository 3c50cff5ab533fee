// Dates and times in a named IANA zone with nothing but Intl.DateTimeFormat (pure: tested under node).
//
// A calendar date is a "YYYY-MM-DD" string; an instant is a Date, epoch milliseconds or an ISO string
// with an offset (what the API sends). A day in a zone runs from its local midnight to the next one,
// so it lasts 23 or 25 hours when the clocks change (2027-03-28 in Europe/London has 23).

const partsFormats = new Map();

function partsFormat(timeZone) {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    partsFormats.set(timeZone, format);
  }
  return format;
}

/**
 * Epoch milliseconds of an instant. Also takes Python's str() of a datetime ("2027-03-28 09:00:00.123456+00:00",
 * as appointment history stores it), which not every browser's Date.parse reads.
 */
export function toMs(instant) {
  if (instant instanceof Date) return instant.getTime();
  if (typeof instant === "number") return instant;
  const text = String(instant).trim()
    .replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, "$1T")
    .replace(/(\.\d{3})\d+/, "$1");
  return Date.parse(text);
}

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** The wall clock of `instant` in `timeZone`: {year, month (1-12), day, hour, minute, second}. */
export function zonedParts(instant, timeZone) {
  const found = {};
  for (const { type, value } of partsFormat(timeZone).formatToParts(new Date(toMs(instant)))) {
    if (type !== "literal") found[type] = Number(value);
  }
  return {
    year: found.year, month: found.month, day: found.day,
    hour: found.hour % 24, minute: found.minute, second: found.second,
  };
}

/** Minutes `timeZone` is ahead of UTC at `instant` (London in summer: 60). */
export function offsetMinutes(instant, timeZone) {
  const ms = Math.floor(toMs(instant) / 1000) * 1000;
  const p = zonedParts(ms, timeZone);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - ms) / 60_000);
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDate(instant, timeZone) {
  const p = zonedParts(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** "HH:MM" of `instant` on the wall clock of `timeZone`. */
export function localClock(instant, timeZone) {
  const p = zonedParts(instant, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** {year, month, day} of a "YYYY-MM-DD" that names a real day, else null. */
export function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text ?? ""));
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { year, month, day };
}

export function isDate(text) {
  return parseDate(text) !== null;
}

function utcNoon(date) {
  const p = parseDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return Date.UTC(p.year, p.month - 1, p.day, 12);
}

/** Calendar arithmetic on dates (no zone involved): addDays("2027-03-27", 1) → "2027-03-28". */
export function addDays(date, days) {
  const d = new Date(utcNoon(date) + days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Whole days from `a` to `b` (negative if b is earlier). */
export function daysBetween(a, b) {
  return Math.round((utcNoon(b) - utcNoon(a)) / 86_400_000);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date) {
  return new Date(utcNoon(date)).getUTCDay();
}

/** The week holding `date`: {from, to, days[7]} (weeks start on Monday unless told otherwise). */
export function weekRange(date, weekStartsOn = 1) {
  const from = addDays(date, -((weekday(date) - weekStartsOn + 7) % 7));
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  return { from, to: days[6], days };
}

/**
 * The instant when the wall clock of `timeZone` shows `minutes` past midnight of `date`. A time the
 * clocks skip (01:30 on a spring-forward night) gives the instant an hour on (02:30 summer time), a
 * time they show twice gives the first one: as Temporal's "compatible" choice.
 */
export function zonedTimeToInstant(date, minutes, timeZone) {
  const p = parseDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  const wall = Date.UTC(p.year, p.month - 1, p.day, 0, minutes);
  const before = offsetMinutes(wall - 86_400_000, timeZone);
  const after = offsetMinutes(wall + 86_400_000, timeZone);
  const fits = (offset) => {
    const at = wall - offset * 60_000;
    return offsetMinutes(at, timeZone) === offset ? at : null;
  };
  const candidates = [fits(before), fits(after)].filter((at) => at !== null);
  if (candidates.length) return new Date(Math.min(...candidates));
  return new Date(wall - before * 60_000); // in a gap: the offset before it, pushing the time forward
}

/** A local day: its first instant, the next day's first instant and its length in minutes and hours. */
export function dayBounds(date, timeZone) {
  const start = zonedTimeToInstant(date, 0, timeZone);
  const end = zonedTimeToInstant(addDays(date, 1), 0, timeZone);
  const minutes = Math.round((end - start) / 60_000);
  return { date, start, end, minutes, hours: minutes / 60 };
}

/** Today's date in `timeZone`. */
export function todayIn(timeZone, now = Date.now()) {
  return localDate(now, timeZone);
}

/** Is this an IANA zone the runtime knows? */
export function isTimeZone(timeZone) {
  try {
    partsFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

// --- words, in the reader's language --------------------------------------------------------------

function safeFormat(options, locale) {
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    return new Intl.DateTimeFormat("en", options);
  }
}

/** "09:30" (or "9:30 AM") of `instant` in `timeZone`. */
export function formatTime(instant, timeZone, locale) {
  return safeFormat({ timeZone, hour: "numeric", minute: "2-digit" }, locale).format(new Date(toMs(instant)));
}

/** An hour mark: "9 AM" / "09" (with the minutes where the zone's hours are not whole: "5:30"). */
export function formatHour(instant, timeZone, locale) {
  const whole = zonedParts(instant, timeZone).minute === 0;
  return safeFormat({ timeZone, hour: "numeric", ...(whole ? {} : { minute: "2-digit" }) }, locale).format(new Date(toMs(instant)));
}

/** "09:30–10:15" ("9:30 – 10:15 AM" where the language puts it so). */
export function formatTimeRange(start, end, timeZone, locale) {
  const format = safeFormat({ timeZone, hour: "numeric", minute: "2-digit" }, locale);
  const [from, until] = [new Date(toMs(start)), new Date(toMs(end))];
  if (typeof format.formatRange === "function" && until >= from) return format.formatRange(from, until);
  return `${format.format(from)}–${format.format(until)}`;
}

/** A calendar date in words: formatDay("2027-03-28", "en-GB") → "Sunday 28 March 2027". */
export function formatDay(date, locale, options = { weekday: "long", day: "numeric", month: "long", year: "numeric" }) {
  return safeFormat({ ...options, timeZone: "UTC" }, locale).format(new Date(utcNoon(date)));
}

/** "Sun 28 Mar, 09:30" of an instant in a zone. */
export function formatDateTime(instant, timeZone, locale, options = {}) {
  return safeFormat({ timeZone, weekday: "short", day: "numeric", month: "short", hour: "numeric", minute: "2-digit", ...options },
    locale).format(new Date(toMs(instant)));
}

/** "Europe/London" → "Europe/London (London time)" is too long: "London time" reads better. */
export function zoneName(timeZone) {
  const city = String(timeZone || "").split("/").pop().replace(/_/g, " ");
  return timeZone === "UTC" || !city ? "UTC" : `${city} time`;
}
