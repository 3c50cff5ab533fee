// When each staff member works, as instants: weekly hours (or that day's override), their breaks,
// and their time off. Hours are wall-clock "HH:MM" in their location's zone (as the availability
// engine reads them), so they are turned into instants per date there; the calendar then asks, slot by
// slot, whether a moment is outside hours, in a break or in time off, and shades it.
import type { Schemas } from "../../../lib/api-client";
import { zonedTimeToInstant } from "../../../lib/zoned";

export type Shade = "off" | "break" | "time-off";

interface Span {
  start: number;
  end: number;
}

export interface WorkingTime {
  working: Span[];
  breaks: Span[];
  timeOff: Span[];
}

function minutes(clock: string): number {
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** ISO weekday of a "YYYY-MM-DD" (Monday 1 … Sunday 7), as the schedule's `weekday`. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function span(date: string, start: string, end: string, zone: string): Span {
  return { start: zonedTimeToInstant(date, minutes(start), zone).getTime(), end: zonedTimeToInstant(date, minutes(end), zone).getTime() };
}

/**
 * One person's working time on `dates`: an override replaces the weekly hours of its date (no
 * intervals: not working); with `locationId`, time at other locations counts as away.
 */
export function workingTime({
  schedule,
  timeOff,
  dates,
  zoneOf,
  locationId,
}: {
  schedule: Schemas["Schedule"] | undefined;
  timeOff: Schemas["TimeOff"][] | undefined;
  dates: string[];
  zoneOf: (locationId: string | null) => string;
  locationId?: string | undefined;
}): WorkingTime {
  const working: Span[] = [];
  const breaks: Span[] = [];
  const here = (id: string | null) => !locationId || id === locationId;
  for (const date of dates) {
    const override = schedule?.overrides.find((o) => o.date === date);
    if (override) {
      if (here(override.location_id)) {
        for (const interval of override.intervals) working.push(span(date, interval.start, interval.end, zoneOf(override.location_id)));
      }
      continue;
    }
    for (const block of schedule?.weekly ?? []) {
      if (block.weekday !== isoWeekday(date) || !here(block.location_id)) continue;
      const zone = zoneOf(block.location_id);
      working.push(span(date, block.start, block.end, zone));
      for (const pause of block.breaks) breaks.push(span(date, pause.start, pause.end, zone));
    }
  }
  const off = (timeOff ?? []).map((t) => ({ start: Date.parse(t.starts_at), end: Date.parse(t.ends_at) }));
  return { working, breaks, timeOff: off };
}

const within = (spans: Span[], at: number) => spans.some((s) => s.start <= at && at < s.end);

/** How the slot starting at `instant` is shaded (null: working). Unknown hours shade nothing. */
export function shadeAt(time: WorkingTime | undefined, instant: Date): Shade | null {
  if (!time) return null;
  const at = instant.getTime();
  if (within(time.timeOff, at)) return "time-off";
  if (!within(time.working, at)) return "off";
  if (within(time.breaks, at)) return "break";
  return null;
}

export const SHADE_LABELS: Record<Shade, string> = {
  off: "Not working",
  break: "Break",
  "time-off": "Time off",
};
