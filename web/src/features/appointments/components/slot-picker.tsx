import { useId } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Loading } from "../../../components/ui/spinner";
import { addDays, formatDay, formatTime, zoneName } from "../../../lib/zoned";
import { useSlots, type Slot, type SlotsQuery } from "../api/appointments";

export interface SlotPickerProps {
  query: Omit<SlotsQuery, "date">;
  date: string;
  onDateChange: (date: string) => void;
  /** The first date that may be chosen (today, in the zone shown). */
  today: string;
  /** The chosen start instant, if any (it may lie off the free times: the server decides). */
  selected: string | null;
  onPick: (slot: Slot) => void;
  locale: string;
  /** Extra words for a time ("with Anna"). */
  describe?: (slot: Slot) => string | null;
  label?: string;
}

/** A day (date field, previous/next day) and its free times from GET /availability, in the zone asked for. */
export function SlotPicker({ query, date, onDateChange, today, selected, onPick, locale, describe = () => null, label = "Free times" }: SlotPickerProps) {
  const slots = useSlots({ ...query, date });
  const dateId = useId();
  const tz = slots.data?.tz ?? query.tz;
  const list = slots.data?.slots ?? [];
  const selectedAt = selected ? new Date(selected).getTime() : null;
  return (
    <div className="slot-picker appt-slots">
      <div className="appt-day-nav">
        <Button size="sm" onClick={() => onDateChange(addDays(date, -1))} disabled={date <= today} aria-label="Previous day">
          ‹
        </Button>
        <label className="sr-only" htmlFor={dateId}>
          Date
        </label>
        <input
          id={dateId}
          type="date"
          className="appt-date"
          value={date}
          min={today}
          onChange={(e) => {
            if (e.target.value) onDateChange(e.target.value);
          }}
        />
        <Button size="sm" onClick={() => onDateChange(addDays(date, 1))} aria-label="Next day">
          ›
        </Button>
      </div>
      <p className="hint">
        {formatDay(date, locale)} · times in {zoneName(tz)} time
      </p>
      {slots.isPending ? (
        <Loading label="Finding free times…" />
      ) : slots.isError ? (
        <Alert tone="error">Couldn't load the free times. {slots.error.message}</Alert>
      ) : list.length === 0 ? (
        <p className="muted" role="status">
          No free times on this day. Try another day.
        </p>
      ) : (
        <div className="slot-times" role="group" aria-label={label}>
          {list.map((slot) => {
            const extra = describe(slot);
            return (
              <button
                key={`${slot.start_at}-${slot.staff_id}-${slot.location_id}`}
                type="button"
                className="time-chip"
                aria-pressed={selectedAt === new Date(slot.start_at).getTime()}
                onClick={() => onPick(slot)}
              >
                {formatTime(slot.start_at, tz, locale)}
                {extra && <span className="muted">{extra}</span>}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
