// A Google busy block in a staff member's column of the calendar grid: grey, under the appointments,
// not clickable nor draggable (clicks reach the time slot below it), named for screen readers by its
// times. `top` and `height` are percentages of the column, as the grid places its events.
import { BUSY_TITLE } from "../lib/busy";
import "./calendar-sync.css";

export function BusyBlock({ label, top, height }: { label: string; top: number; height: number }) {
  return (
    <div className="cal-busy" role="img" aria-label={label} style={{ top: `${top}%`, height: `${height}%` }}>
      <span aria-hidden="true">{BUSY_TITLE}</span>
    </div>
  );
}
