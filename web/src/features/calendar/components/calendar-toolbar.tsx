// The calendar's controls: previous / today / next, a date picker, the view, whose calendar, where,
// and how many appointments the view holds.
import { useId, useState } from "react";
import { DayPicker } from "react-day-picker";
import "react-day-picker/style.css";
import { Button } from "../../../components/ui/button";
import { NamedOptions } from "../../../components/ui/option-list";
import type { Location } from "../../locations/api/locations";
import type { StaffMember } from "../../staff/api/staff";
import { formatDay, todayIn } from "../../../lib/zoned";
import { countWords, stepDate, VIEW_LABELS, VIEWS, viewRange, type View } from "../lib/view";
import { wallDate, wallDateString } from "../lib/wall-clock";

function rangeWords(view: View, date: string, locale: string): string {
  const { from, to } = viewRange(view, date);
  if (view === "day") return formatDay(date, locale);
  if (view === "month") return formatDay(date, locale, { month: "long", year: "numeric" });
  return `${formatDay(from, locale, { day: "numeric", month: "short" })} – ${formatDay(to, locale, { day: "numeric", month: "short", year: "numeric" })}`;
}

export function CalendarToolbar({
  view,
  date,
  timeZone,
  locale,
  people,
  staffId,
  locations,
  locationId,
  count,
  withCancelled,
  onChange,
}: {
  view: View;
  date: string;
  timeZone: string;
  locale: string;
  /** The staff to choose from (none: the choice is not offered). */
  people: StaffMember[];
  staffId: string | undefined;
  /** The locations to choose from (none: one place, no choice). */
  locations: Location[];
  locationId: string | undefined;
  /** Appointments in view (null while loading). */
  count: number | null;
  /** Cancelled appointments are drawn too. */
  withCancelled: boolean;
  onChange: (changes: Record<string, string | null>) => void;
}) {
  const [picking, setPicking] = useState(false);
  const staffSelect = useId();
  const locationSelect = useId();
  const unit = view === "day" ? "day" : view;
  return (
    <div className="cal-toolbar" role="group" aria-label="Calendar controls">
      <div className="btn-group">
        <Button size="sm" onClick={() => onChange({ date: stepDate(view, date, -1) })} aria-label={`Previous ${unit}`}>
          <span aria-hidden="true">‹</span>
        </Button>
        <Button size="sm" onClick={() => onChange({ date: todayIn(timeZone) })}>
          Today
        </Button>
        <Button size="sm" onClick={() => onChange({ date: stepDate(view, date, 1) })} aria-label={`Next ${unit}`}>
          <span aria-hidden="true">›</span>
        </Button>
      </div>
      <div className="cal-picker">
        <Button size="sm" variant="ghost" aria-expanded={picking} onClick={() => setPicking((open) => !open)}>
          <span className="cal-range-words">{rangeWords(view, date, locale)}</span>
          <span className="sr-only"> (choose a date)</span>
        </Button>
        {picking && (
          <div className="cal-picker-pop card">
            <DayPicker
              mode="single"
              weekStartsOn={1}
              required
              selected={wallDate(date)}
              defaultMonth={wallDate(date)}
              onSelect={(day) => {
                onChange({ date: wallDateString(day) });
                setPicking(false);
              }}
            />
          </div>
        )}
      </div>
      <div className="segmented" role="group" aria-label="View">
        {VIEWS.map((v) => (
          <button key={v} type="button" className="segment" aria-pressed={v === view} onClick={() => onChange({ view: v })}>
            {VIEW_LABELS[v]}
          </button>
        ))}
      </div>
      {people.length > 0 && (
        <div className="cal-select">
          <label htmlFor={staffSelect}>Staff</label>
          <select id={staffSelect} className="input-sm" value={staffId ?? ""} onChange={(e) => onChange({ staff: e.target.value || null })}>
            <option value="">Everyone</option>
            <NamedOptions items={people} />
          </select>
        </div>
      )}
      {locations.length > 0 && (
        <div className="cal-select">
          <label htmlFor={locationSelect}>Location</label>
          <select id={locationSelect} className="input-sm" value={locationId ?? ""} onChange={(e) => onChange({ location: e.target.value || null, staff: null })}>
            <option value="">All locations</option>
            <NamedOptions items={locations} />
          </select>
        </div>
      )}
      <label className="check-row cal-cancelled">
        <input type="checkbox" checked={withCancelled} onChange={(e) => onChange({ cancelled: e.target.checked ? "1" : null })} />
        Show cancelled
      </label>
      <p className="cal-count muted" data-testid="appointment-count">
        {count === null ? "Loading…" : count === 0 ? "No appointments" : countWords(count)}
      </p>
    </div>
  );
}
