// Opening hours in words: weekday names from Intl, clock times in the app's one time format, and a
// week summarised by runs of days with the same hours ("Mon–Fri 09:00–17:00").
import type { Schemas } from "../../../lib/api-client";
import { formatDay, formatTime, zonedTimeToInstant } from "../../../lib/zoned";

// 2024-01-01 was a Monday: day d of the ISO week is this date plus d.
const MONDAY = "2024-01-01";
const dateOf = (index: number) => `2024-01-0${index + 1}`;

/** Monday first, in `locale`: ["Monday", …] (or short: ["Mon", …]). */
export function weekdayNames(locale: string, weekday: "long" | "short" = "long"): string[] {
  return [0, 1, 2, 3, 4, 5, 6].map((i) => formatDay(dateOf(i), locale, { weekday }));
}

const minutesOf = (time: string) => {
  const [h = 0, m = 0] = time.split(":").map(Number);
  return h * 60 + m;
};

/** A wall-clock "HH:MM" of the location's own day in the app's one time format. */
function clock(time: string, locale: string): string {
  return formatTime(zonedTimeToInstant(MONDAY, minutesOf(time), "UTC"), "UTC", locale);
}

/**
 * "09:00–17:00" of two wall-clock times. Each end goes through formatTime: Intl's formatRange
 * shortens "09:00 AM – 07:00 PM" to "9:00 AM – 7:00 PM" in English, a second format.
 */
export function formatHours(opens: string, closes: string, locale: string): string {
  return `${clock(opens, locale)}–${clock(closes, locale)}`;
}

/**
 * The week in lines: consecutive days with the same hours share one line, closed days say so.
 * null hours: no set opening hours.
 */
export function summariseHours(hours: Schemas["Opening"][] | null, locale: string): string[] {
  if (hours === null) return [];
  const names = weekdayNames(locale, "short");
  const perDay = names.map((_n, i) =>
    hours
      .filter((h) => h.weekday === i + 1)
      .sort((a, b) => a.opens.localeCompare(b.opens))
      .map((h) => formatHours(h.opens, h.closes, locale))
      .join(", ") || "Closed",
  );
  const lines: string[] = [];
  let start = 0;
  for (let i = 1; i <= 7; i += 1) {
    if (i < 7 && perDay[i] === perDay[start]) continue;
    const days = i - 1 === start ? names[start] : `${names[start]}–${names[i - 1]}`;
    lines.push(`${days} ${perDay[start]}`);
    start = i;
  }
  return lines;
}
