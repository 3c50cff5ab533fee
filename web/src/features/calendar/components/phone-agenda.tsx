// The calendar on a phone: one person's week as a strip of seven days (every day shown; a day
// without appointments says so), then the chosen day's appointments as a list.
import { useId } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { NamedOptions } from "../../../components/ui/option-list";
import { Loading } from "../../../components/ui/spinner";
import type { Schemas } from "../../../lib/api-client";
import { addDays, formatDay, formatTimeRange, localDate, todayIn } from "../../../lib/zoned";
import type { StaffMember } from "../../staff/api/staff";
import type { Appointment } from "../api/calendar";
import { countWords, datesOf, safeColor, STATUS_LABELS, viewRange } from "../lib/view";

export function PhoneAgenda({
  date,
  timeZone,
  locale,
  people,
  staffId,
  appointments,
  loading,
  error,
  services,
  onDate,
  onStaff,
  onOpen,
}: {
  date: string;
  timeZone: string;
  locale: string;
  people: StaffMember[];
  staffId: string;
  /** The person's appointments over the week holding `date`. */
  appointments: Appointment[] | undefined;
  loading: boolean;
  error: Error | null;
  services: Map<string, Schemas["Service"]>;
  onDate: (date: string) => void;
  onStaff: (staffId: string) => void;
  onOpen: (appointmentId: string) => void;
}) {
  const staffSelect = useId();
  const { from, to } = viewRange("week", date);
  const today = todayIn(timeZone);
  const live = (appointments ?? []).filter((a) => a.status !== "cancelled" && a.staff_id === staffId);
  const onDay = (day: string) => live.filter((a) => localDate(a.start_at, timeZone) === day);
  const list = onDay(date);
  const person = people.find((p) => p.id === staffId);
  return (
    <div className="agenda">
      {people.length > 1 && (
        <div className="field agenda-staff">
          <label className="field-label" htmlFor={staffSelect}>
            Whose calendar
          </label>
          <select id={staffSelect} value={staffId} onChange={(e) => onStaff(e.target.value)}>
            <NamedOptions items={people} />
          </select>
        </div>
      )}
      <nav className="agenda-week" aria-label="Days of the week">
        <Button size="sm" variant="ghost" aria-label="Previous week" onClick={() => onDate(addDays(date, -7))}>
          <span aria-hidden="true">‹</span>
        </Button>
        <ol className="agenda-strip">
          {datesOf(from, to).map((day) => {
            const n = appointments ? onDay(day).length : null;
            const words = n === null ? "" : n === 0 ? "No appointments" : countWords(n);
            return (
              <li key={day}>
                <button
                  type="button"
                  className={`agenda-day${day === date ? " is-selected" : ""}${day === today ? " is-today" : ""}${n === 0 ? " is-empty" : ""}`}
                  aria-pressed={day === date}
                  aria-label={`${formatDay(day, locale)}${words ? `, ${words}` : ""}`}
                  onClick={() => onDate(day)}
                >
                  <span className="agenda-weekday">{formatDay(day, locale, { weekday: "short" })}</span>
                  <span className="agenda-date">{formatDay(day, locale, { day: "numeric" })}</span>
                  <span className="agenda-count" aria-hidden="true">
                    {n === null ? "" : n === 0 ? "–" : n}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
        <Button size="sm" variant="ghost" aria-label="Next week" onClick={() => onDate(addDays(date, 7))}>
          <span aria-hidden="true">›</span>
        </Button>
      </nav>
      <h2 className="agenda-title">
        {formatDay(date, locale)}
        {person && <span className="muted"> · {person.name}</span>}
      </h2>
      {error && (
        <Alert tone="error" title="We couldn't load the appointments.">
          {error.message}
        </Alert>
      )}
      {loading ? (
        <Loading label="Loading the appointments…" />
      ) : list.length === 0 ? (
        <p className="empty-line muted">No appointments on this day.</p>
      ) : (
        <ul className="agenda-list" aria-label={`Appointments on ${formatDay(date, locale)}`}>
          {list.map((a) => {
            const service = services.get(a.service_id);
            const color = safeColor(service?.color);
            return (
              <li key={a.id}>
                <button
                  type="button"
                  className={`agenda-item cal-appt-${a.status}`}
                  style={color ? { borderLeftColor: color } : undefined}
                  onClick={() => onOpen(a.id)}
                >
                  <span className="agenda-time">{formatTimeRange(a.start_at, a.end_at, timeZone, locale)}</span>
                  <span className="agenda-service">{service?.name ?? "Appointment"}</span>
                  <span className="agenda-customer">{a.customer?.name ?? "Customer"}</span>
                  <span className={`status status-${a.status}`}>{STATUS_LABELS[a.status]}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <Link className="btn btn-secondary btn-block" to={`/appointments/new?${new URLSearchParams({ staff_id: staffId })}`}>
        Book for {person?.name ?? "this person"}
      </Link>
    </div>
  );
}
