// Free times from the public availability routes, arranged for choosing (pure). Days are calendar
// dates in the zone the customer reads, and the availability is asked for in that zone (its `tz`),
// so a "day" here is the customer's day. The range is read in windows of WINDOW_DAYS from today.
import type { Schemas } from "../../../lib/api-client";
import { addDays, daysBetween, localDate } from "../../../lib/zoned";

export type Slot = Schemas["Slot"];

/** Days of free times asked for at once (the API takes up to 63). */
export const WINDOW_DAYS = 14;

/** How far "next available" looks when the business sets no bookable range (a manage link). */
export const SEARCH_LIMIT_DAYS = 365;

/** The first date of the window holding `date` (windows start at `today`, WINDOW_DAYS apart). */
export function windowStart(date: string, today: string): string {
  const index = Math.max(0, Math.floor(daysBetween(today, date) / WINDOW_DAYS));
  return addDays(today, index * WINDOW_DAYS);
}

/** The window [from, to] that starts at `start`, cut at `lastDay`. */
export function windowRange(start: string, lastDay: string | null): { from: string; to: string } {
  const end = addDays(start, WINDOW_DAYS - 1);
  return { from: start, to: lastDay && end > lastDay ? lastDay : end };
}

/** The starts of the windows that hold any day of [from, to]. */
export function windowsCovering(from: string, to: string, today: string, lastDay: string | null): string[] {
  const starts: string[] = [];
  const end = lastDay && to > lastDay ? lastDay : to;
  if (from > end) return starts;
  for (let start = windowStart(from < today ? today : from, today); start <= end; start = addDays(start, WINDOW_DAYS)) {
    starts.push(start);
  }
  return starts;
}

/** The furthest date a booking may be made for, in `timeZone`: now plus the policy's advance. */
export function lastBookableDay(maxAdvanceDays: number, timeZone: string, now: number = Date.now()): string {
  return localDate(now + maxAdvanceDays * 86_400_000, timeZone);
}

/**
 * One slot per start time: "anyone available" offers a time once, however many people or places
 * could take it. The API lists its fair pick first for each time, so the first one of a time is kept.
 */
export function mergeByStart(slots: readonly Slot[]): Slot[] {
  const byStart = new Map<number, Slot>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at))) {
    const at = Date.parse(slot.start_at);
    if (!byStart.has(at)) byStart.set(at, slot);
  }
  return [...byStart.values()];
}

/** Slots by their date in `timeZone`, each date's in time order. */
export function groupByDay(slots: readonly Slot[], timeZone: string): Map<string, Slot[]> {
  const grouped = new Map<string, Slot[]>();
  for (const slot of [...slots].sort((a, b) => Date.parse(a.start_at) - Date.parse(b.start_at))) {
    const day = localDate(slot.start_at, timeZone);
    const list = grouped.get(day);
    if (list) list.push(slot);
    else grouped.set(day, [slot]);
  }
  return grouped;
}

/** The first date from `from` on that has a free time, or null. */
export function firstDayWithSlots(grouped: Map<string, Slot[]>, from: string): string | null {
  const days = [...grouped.keys()].filter((d) => d >= from && (grouped.get(d)?.length ?? 0) > 0).sort();
  return days[0] ?? null;
}

/** The 7 days of the strip that shows `date` (strips start at `today`, a week apart). */
export function stripDays(date: string, today: string): string[] {
  const start = addDays(today, Math.max(0, Math.floor(daysBetween(today, date) / 7)) * 7);
  return Array.from({ length: 7 }, (_, i) => addDays(start, i));
}

/** The same start instant: a slot is identified by when it starts (and who, where). */
export function slotKey(slot: Slot): string {
  return `${Date.parse(slot.start_at)}|${slot.staff_id}|${slot.location_id}`;
}
