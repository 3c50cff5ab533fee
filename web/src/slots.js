// Free times from the availability routes, grouped for choosing (pure: tested under node).
// A slot: {start_at, end_at, staff_id, location_id, seats_left}; its times carry the zone's offset.
import { addDays, daysBetween, localDate, toMs } from "./zoned.js";

/** The `count` dates from `start` on. */
export function dayStrip(start, count) {
  return Array.from({ length: count }, (_, i) => addDays(start, i));
}

/** Slots by local date in `timeZone` (Map date → slots in time order), every date of `days` present. */
export function groupSlotsByDay(slots, timeZone, days = []) {
  const grouped = new Map(days.map((d) => [d, []]));
  const sorted = [...(slots || [])].sort((a, b) => toMs(a.start_at) - toMs(b.start_at));
  for (const slot of sorted) {
    const day = localDate(slot.start_at, timeZone);
    if (!grouped.has(day)) grouped.set(day, []);
    grouped.get(day).push(slot);
  }
  return grouped;
}

/** The first date of `days` that has a free time, or null. */
export function firstDayWithSlots(grouped, days) {
  return days.find((d) => (grouped.get(d) || []).length > 0) || null;
}

/** Slots that start at the same instant at several locations: does the list need the place named? */
export function spansLocations(slots) {
  return new Set((slots || []).map((s) => s.location_id)).size > 1;
}

/** One identity per slot (the same start can be offered by two people or in two places). */
export function slotKey(slot) {
  return `${toMs(slot.start_at)}|${slot.staff_id}|${slot.location_id}`;
}

/**
 * Where a window of `size` days may start: not before `today`, and (with `lastDay`, the furthest
 * bookable date) not so late that the window shows only days past it.
 */
export function clampWindowStart(start, today, size, lastDay = null) {
  let clamped = start < today ? today : start;
  if (lastDay) {
    const latest = addDays(lastDay, -(size - 1));
    if (clamped > latest) clamped = latest < today ? today : latest;
  }
  return clamped;
}

/** The furthest date a customer may book: today plus the policy's maximum advance. */
export function lastBookableDay(today, maxAdvanceDays) {
  return Number.isFinite(maxAdvanceDays) && maxAdvanceDays > 0 ? addDays(today, maxAdvanceDays) : null;
}

/** Can the window move back/forward by `size` days? */
export function windowMoves(start, today, size, lastDay = null) {
  return {
    back: daysBetween(today, start) > 0,
    forward: lastDay ? daysBetween(addDays(start, size - 1), lastDay) > 0 : true,
  };
}
