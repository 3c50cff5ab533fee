// Google busy blocks as the calendar grid draws them. Per staff member, overlapping blocks are merged
// (the grid shows when someone is busy, not how many Google events made it so), then cut at the
// business's local midnights, so a block running past midnight is drawn in each day it covers.
import { dayBounds, formatTimeRange, localDate } from "../../../lib/zoned";
import type { BusyBlock } from "../api/calendar-sync";

export const BUSY_TITLE = "Busy (Google)";

export interface BusyPiece {
  id: string;
  staffId: string;
  /** Instants, within one local day of the business's zone. */
  startsAt: Date;
  endsAt: Date;
  /** What a screen reader says: "Busy (Google), 09:00–10:30, Amara Okafor". */
  label: string;
}

interface Span {
  start: number;
  end: number;
}

function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else out.push({ ...span });
  }
  return out;
}

export function busyPieces(
  blocks: BusyBlock[],
  { staffIds, timeZone, locale, nameOf }: { staffIds: string[]; timeZone: string; locale: string; nameOf: (staffId: string) => string | undefined },
): BusyPiece[] {
  const pieces: BusyPiece[] = [];
  for (const staffId of staffIds) {
    const spans = blocks
      .filter((b) => b.staff_id === staffId)
      .map((b) => ({ start: Date.parse(b.starts_at), end: Date.parse(b.ends_at) }))
      .filter((s) => s.end > s.start);
    const name = nameOf(staffId);
    for (const span of merged(spans)) {
      for (let start = span.start; start < span.end; ) {
        const [dayStart, dayEnd] = dayBounds(localDate(start, timeZone), timeZone);
        const end = Math.min(span.end, dayEnd.getTime());
        const when = start === dayStart.getTime() && end === dayEnd.getTime() ? "all day" : formatTimeRange(start, end, timeZone, locale);
        pieces.push({
          id: `busy-${staffId}-${start}`,
          staffId,
          startsAt: new Date(start),
          endsAt: new Date(end),
          label: [BUSY_TITLE, when, name].filter(Boolean).join(", "),
        });
        start = end;
      }
    }
  }
  return pieces;
}
