// The time grid (react-big-calendar, with its drag-and-drop addon): a day with a column per staff
// member, a week, or a month. Everything it is given is a "wall clock as if local" Date of the
// business's zone (see lib/wall-clock.ts), and everything it hands back is turned into an instant
// before it goes anywhere. Google busy times are drawn in the day columns, under the appointments,
// where the shading is (each person's column of a day, or the week of one person).
import { createContext, useContext, useMemo, useState, type CSSProperties, type ReactNode, type Ref } from "react";
import { Calendar, type EventProps, type HeaderProps, type SlotInfo } from "react-big-calendar";
import dragAndDrop, { type EventInteractionArgs } from "react-big-calendar/lib/addons/dragAndDrop";
import "react-big-calendar/lib/css/react-big-calendar.css";
import "react-big-calendar/lib/addons/dragAndDrop/styles.css";
import type { QueryKey } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { addDays, dayBounds, formatDateTime, localDate, zoneName } from "../../../lib/zoned";
import type { StaffMember } from "../../staff/api/staff";
import { useGoogleBusy } from "../../calendar-sync/api/calendar-sync";
import { BusyBlock } from "../../calendar-sync/components/busy-block";
import { BUSY_TITLE, busyPieces } from "../../calendar-sync/lib/busy";
import { useMoveAppointment, useSchedules, useTimeOff, type Appointment } from "../api/calendar";
import { shadeAt, SHADE_LABELS, workingTime, type WorkingTime } from "../lib/shading";
import { countWords, datesOf, safeColor, STATUS_LABELS, viewRange, type View } from "../lib/view";
import { calendarFormats, fromWall, localizer, toWall, wallDate, wallDateString } from "../lib/wall-clock";

export interface CalendarEvent {
  id: string;
  title: string;
  /** Wall-clock Dates of the business's zone. */
  start: Date;
  end: Date;
  staffId: string;
  customer: string;
  appointment: Appointment;
}

export interface Resource {
  id: string;
  title: string;
}

// The addon ships only as CommonJS (`exports.default = …`): Vite's browser bundle hands over the
// exports object where Node's interop (Vitest) hands over the function, so take whichever came.
const withDragAndDrop: typeof dragAndDrop =
  typeof dragAndDrop === "function" ? dragAndDrop : (dragAndDrop as unknown as { default: typeof dragAndDrop }).default;
const DnDCalendar = withDragAndDrop<CalendarEvent, Resource>(Calendar);

/** Only what is still on the books can be moved. */
const movable = (event: CalendarEvent) => event.appointment.status === "pending" || event.appointment.status === "confirmed";

/** Appointments per wall date, for the headers that say a day has none. */
const DayCounts = createContext<Map<string, number>>(new Map());

function DayHeader({ date, label }: HeaderProps) {
  const n = useContext(DayCounts).get(wallDateString(date)) ?? 0;
  return (
    <span className="cal-day-head">
      <span>{label}</span>
      <span className={n ? "cal-day-count" : "cal-day-count is-empty"}>{n ? countWords(n) : "No appointments"}</span>
    </span>
  );
}

function EventContent({ event }: EventProps<CalendarEvent>) {
  const status = event.appointment.status;
  return (
    <span className="cal-event">
      <span className="cal-event-title">{event.title}</span>
      <span className="cal-event-customer">{event.customer}</span>
      {status !== "confirmed" && <span className={`cal-event-status status status-${status}`}>{STATUS_LABELS[status]}</span>}
    </span>
  );
}

/** A Google busy time in wall-clock Dates, within one day. */
interface BusyTime {
  staffId: string;
  day: string;
  start: Date;
  end: Date;
  label: string;
}

/** The busy times to draw, and whose they are in a grid without staff columns (one person's week). */
const BusyTimes = createContext<{ times: BusyTime[]; staffId: string | undefined }>({ times: [], staffId: undefined });

const NO_ONE: string[] = [];

/**
 * A day column with its Google busy times drawn first, so the appointments lie over them. Not
 * through react-big-calendar's background events: those are drawn as focusable buttons that open
 * like appointments, and the drag-and-drop addon remounts every event when given an event wrapper.
 */
function DayColumn({
  ref,
  date,
  resource,
  slotMetrics,
  className,
  style,
  children,
}: {
  ref?: Ref<HTMLDivElement>;
  date?: Date;
  resource?: unknown;
  slotMetrics?: { getRange: (start: Date, end: Date) => { top: number; height: number } };
  className?: string;
  style?: CSSProperties;
  children?: ReactNode;
}) {
  const busy = useContext(BusyTimes);
  const staffId = typeof resource === "string" ? resource : busy.staffId;
  const day = date ? wallDateString(date) : "";
  const here = busy.times.filter((t) => t.staffId === staffId && t.day === day);
  return (
    <div ref={ref} className={className} style={style}>
      {slotMetrics &&
        here.map((t) => {
          const { top, height } = slotMetrics.getRange(t.start, t.end);
          return <BusyBlock key={t.start.getTime()} label={t.label} top={top} height={height} />;
        })}
      {children}
    </div>
  );
}

const components = {
  event: EventContent,
  dayColumnWrapper: DayColumn,
  week: { header: DayHeader },
};

/** The API's reason for refusing a move, with the fields it names on a 422. */
function refusalMessage(error: Error): string {
  if (error instanceof ApiError) {
    const reasons = Object.values(error.fields);
    return reasons.length ? `${error.message} ${reasons.join(". ")}` : error.message;
  }
  return error.message;
}

export function CalendarGrid({
  view,
  date,
  timeZone,
  locale,
  people,
  allStaff,
  oneStaffId,
  locationId,
  appointments,
  rangeKey,
  services,
  zoneOf,
  busy,
  googleBusy,
  onNavigate,
  onOpen,
}: {
  view: View;
  date: string;
  timeZone: string;
  locale: string;
  /** The columns of the day view (bookable staff, filtered). */
  people: StaffMember[];
  /** Every staff member, to name the owners of appointments outside `people`. */
  allStaff: StaffMember[];
  oneStaffId: string | undefined;
  locationId: string | undefined;
  appointments: Appointment[];
  rangeKey: QueryKey;
  services: Map<string, Schemas["Service"]>;
  zoneOf: (locationId: string | null) => string;
  busy: boolean;
  /** The plan has Google Calendar sync: draw the staff's Google busy times. */
  googleBusy: boolean;
  onNavigate: (date: string, view: View) => void;
  onOpen: (appointmentId: string) => void;
}) {
  const navigate = useNavigate();
  const toast = useToast();
  const move = useMoveAppointment(rangeKey);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { from, to } = viewRange(view, date);

  const staffName = useMemo(() => new Map(allStaff.map((s) => [s.id, s.name])), [allStaff]);
  const events = useMemo<CalendarEvent[]>(
    () =>
      appointments.map((a) => {
        const service = services.get(a.service_id)?.name ?? "Appointment";
        return {
          id: a.id,
          title: view === "day" || oneStaffId ? service : `${service} · ${staffName.get(a.staff_id) ?? "Former staff member"}`,
          start: toWall(a.start_at, timeZone),
          end: toWall(a.end_at, timeZone),
          staffId: a.staff_id,
          customer: a.customer?.name ?? "Customer",
          appointment: a,
        };
      }),
    [appointments, services, staffName, timeZone, view, oneStaffId],
  );

  // Day columns: the chosen people, plus whoever else has an appointment that day (a former or
  // unbookable member's bookings must not vanish from the grid).
  const resources = useMemo<Resource[] | undefined>(() => {
    if (view !== "day") return undefined;
    const columns: Resource[] = people.map((p) => ({ id: p.id, title: p.name }));
    if (!oneStaffId) {
      for (const a of appointments) {
        if (!columns.some((c) => c.id === a.staff_id)) columns.push({ id: a.staff_id, title: staffName.get(a.staff_id) ?? "Former staff member" });
      }
    }
    return columns;
  }, [view, people, oneStaffId, appointments, staffName]);

  // Shading needs a column per person: the day view's columns, or the one person a week is shown for.
  const shadedIds = useMemo(
    () => (oneStaffId && view !== "month" ? [oneStaffId] : view === "day" ? people.map((p) => p.id) : []),
    [view, oneStaffId, people],
  );
  const schedules = useSchedules(shadedIds, from);
  const timeOff = useTimeOff(shadedIds, from, to);
  const hours = useMemo(() => {
    // A day either side: hours in another location's zone can fall on the neighbouring date here.
    const dates = datesOf(addDays(from, -1), addDays(to, 1));
    const map = new Map<string, WorkingTime>();
    for (const id of shadedIds) {
      const schedule = schedules.get(id);
      if (schedule) map.set(id, workingTime({ schedule, timeOff: timeOff.get(id), dates, zoneOf, locationId }));
    }
    return map;
  }, [shadedIds, schedules, timeOff, from, to, zoneOf, locationId]);

  // Google busy times go where the shading goes: they are one person's, like their working hours.
  const busyIds = googleBusy ? shadedIds : NO_ONE;
  const googleBlocks = useGoogleBusy({ from, to, tz: timeZone, staffId: oneStaffId }, { enabled: busyIds.length > 0 });
  const busyTimes = useMemo(
    () => ({
      staffId: oneStaffId,
      times: busyPieces(googleBlocks.data ?? [], { staffIds: busyIds, timeZone, locale, nameOf: (id) => staffName.get(id) }).map(
        (piece): BusyTime => {
          const day = localDate(piece.startsAt, timeZone);
          return { staffId: piece.staffId, day, start: toWall(piece.startsAt, timeZone), end: toWall(piece.endsAt, timeZone), label: piece.label };
        },
      ),
    }),
    [googleBlocks.data, busyIds, oneStaffId, timeZone, locale, staffName],
  );

  const counts = useMemo(() => {
    const map = new Map<string, number>();
    for (const e of events) {
      if (e.appointment.status !== "cancelled") map.set(wallDateString(e.start), (map.get(wallDateString(e.start)) ?? 0) + 1);
    }
    return map;
  }, [events]);

  const [dayStart, dayEnd] = dayBounds(date, timeZone);
  const dayHours = Math.round((dayEnd.getTime() - dayStart.getTime()) / 3_600_000);

  const formats = useMemo(() => calendarFormats(locale), [locale]);
  const scrollToTime = useMemo(() => {
    const start = wallDate(date);
    start.setHours(8);
    return start;
  }, [date]);

  const slotPropGetter = (slot: Date, resourceId?: string | number) => {
    const id = typeof resourceId === "string" ? resourceId : oneStaffId;
    const shade = id ? shadeAt(hours.get(id), fromWall(slot, timeZone)) : null;
    return shade ? { className: `cal-slot-${shade}`, title: SHADE_LABELS[shade], "data-shade": shade } : {};
  };

  const eventPropGetter = (event: CalendarEvent) => {
    const color = safeColor(services.get(event.appointment.service_id)?.color);
    const style = color ? ({ "--service-color": color } as CSSProperties) : undefined;
    return { className: `cal-appt cal-appt-${event.appointment.status}`, ...(style ? { style } : {}) };
  };

  const book = (slot: SlotInfo) => {
    const day = wallDateString(slot.start);
    if (view === "month") {
      onNavigate(day, "day");
      return;
    }
    const staffId = typeof slot.resourceId === "string" ? slot.resourceId : oneStaffId;
    const query = new URLSearchParams();
    if (staffId) query.set("staff_id", staffId);
    query.set("start", fromWall(slot.start, timeZone).toISOString());
    const place = locationId ?? (staffId ? onlyLocation(allStaff.find((s) => s.id === staffId)) : undefined);
    if (place) query.set("location_id", place);
    navigate(`/appointments/new?${query}`);
  };

  const drop = ({ event, start, resourceId, isAllDay }: EventInteractionArgs<CalendarEvent>) => {
    const landed = start instanceof Date ? start : new Date(start);
    // A month cell or the all-day row is a day, not a time: keep the appointment's own time of day.
    if (view === "month" || isAllDay) landed.setHours(event.start.getHours(), event.start.getMinutes(), 0, 0);
    const startAt = fromWall(landed, timeZone);
    const staffId = typeof resourceId === "string" ? resourceId : event.staffId;
    if (startAt.getTime() === Date.parse(event.appointment.start_at) && staffId === event.staffId) return;
    setRefusal(null);
    move.mutate(
      { appointment: event.appointment, startAt, staffId },
      {
        onSuccess: () =>
          toast(`Moved to ${formatDateTime(startAt, timeZone, locale)}${staffId !== event.staffId ? ` with ${staffName.get(staffId) ?? "another person"}` : ""}.`),
        onError: (error) => setRefusal(refusalMessage(error)),
      },
    );
  };

  return (
    <section className="card card-flush cal-body" aria-label="Appointments" aria-busy={busy || move.isPending || undefined}>
      {refusal && (
        <Alert
          tone="error"
          title="The appointment was not moved."
          actions={
            <Button size="sm" variant="ghost" onClick={() => setRefusal(null)}>
              Dismiss
            </Button>
          }
        >
          {refusal}
        </Alert>
      )}
      {view === "day" && dayHours !== 24 && (
        <p className="cal-note">
          This day has {dayHours} hours: the clocks {dayHours < 24 ? "go forward" : "go back"} in {zoneName(timeZone)}.
        </p>
      )}
      {shadedIds.length > 0 && (
        <ul className="cal-legend cal-shades" aria-label="Shading">
          <li><span className="cal-swatch cal-slot-off" aria-hidden="true" /> Not working</li>
          <li><span className="cal-swatch cal-slot-break" aria-hidden="true" /> Break</li>
          <li><span className="cal-swatch cal-slot-time-off" aria-hidden="true" /> Time off</li>
          {busyTimes.times.length > 0 && (
            <li><span className="cal-swatch cal-busy-swatch" aria-hidden="true" /> {BUSY_TITLE}</li>
          )}
        </ul>
      )}
      {googleBlocks.isError && <p className="cal-note">Busy times from Google Calendar could not be loaded: {googleBlocks.error.message}</p>}
      <BusyTimes.Provider value={busyTimes}>
        <DayCounts.Provider value={counts}>
          <DnDCalendar
            localizer={localizer}
            culture="en-GB"
            formats={formats}
            components={components}
            toolbar={false}
            view={view}
            views={["day", "week", "month"]}
            date={wallDate(date)}
            onNavigate={(next, nextView) => onNavigate(wallDateString(next), nextView === "week" || nextView === "month" ? nextView : "day")}
            onView={(nextView) => onNavigate(date, nextView === "week" || nextView === "month" ? nextView : "day")}
            drilldownView="day"
            getNow={() => toWall(Date.now(), timeZone)}
            events={events}
            {...(resources ? { resources, resourceIdAccessor: "id" as const, resourceTitleAccessor: "title" as const, resourceAccessor: "staffId" as const } : {})}
            step={15}
            timeslots={4}
            scrollToTime={scrollToTime}
            selectable
            popup
            onSelectSlot={book}
            onSelectEvent={(event) => onOpen(event.id)}
            onKeyPressEvent={(event, e) => {
              const key = (e as unknown as KeyboardEvent).key;
              if (key === "Enter" || key === " ") onOpen(event.id);
            }}
            onEventDrop={drop}
            draggableAccessor={movable}
            resizable={false}
            slotPropGetter={slotPropGetter}
            eventPropGetter={eventPropGetter}
            tooltipAccessor={(e) => `${e.title}, ${e.customer}, ${STATUS_LABELS[e.appointment.status]}`}
            dayLayoutAlgorithm="no-overlap"
            style={{ height: view === "month" ? 720 : 760 }}
          />
        </DayCounts.Provider>
      </BusyTimes.Provider>
    </section>
  );
}

/** A staff member's place when they work at just one. */
function onlyLocation(member: StaffMember | undefined): string | undefined {
  return member && member.location_ids.length === 1 ? member.location_ids[0] : undefined;
}
