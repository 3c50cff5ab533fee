// "/calendar": the business's appointments in its own time zone, by staff member: a day with a column
// per person, a week time grid, a month overview, and on a phone one person's agenda. The place is
// kept in the URL: ?view=day|week|month&date=YYYY-MM-DD&staff=<id>&location=<id>.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { Link, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { todayIn, zoneName } from "../../../lib/zoned";
import { useLocations } from "../../locations/api/locations";
import { useServices } from "../../services/api/services";
import { useStaffList, type StaffMember } from "../../staff/api/staff";
import { AppointmentPanel } from "../../appointments/components/appointment-panel";
import { appointmentsKey, useAppointments, type RangeQuery } from "../api/calendar";
import { dashboardLocale } from "../../../lib/format";
import { countWords, isDate, isView, viewRange, type View } from "../lib/view";
import { CalendarGrid } from "./calendar-grid";
import { CalendarToolbar } from "./calendar-toolbar";
import { PhoneAgenda } from "./phone-agenda";
import { useMediaQuery } from "./use-media-query";
import "./calendar.css";

/** Below this width the grid gives way to one person's agenda. */
export const PHONE_QUERY = "(max-width: 699px)";

export function CalendarScreen() {
  const me = useMe();
  const staff = useStaffList();
  const services = useServices({ includeArchived: true });
  const locations = useLocations();
  if (me.isPending || staff.isPending || services.isPending || locations.isPending) return <Loading label="Loading the calendar…" />;
  const failed = me.error ?? staff.error ?? services.error ?? locations.error;
  if (failed || !me.data || !staff.data || !services.data || !locations.data) {
    return (
      <Alert tone="error" title="We couldn't load the calendar.">
        {failed?.message}
      </Alert>
    );
  }
  return <Loaded me={me.data} staff={staff.data} services={services.data} locations={locations.data} />;
}

function Loaded({
  me,
  staff,
  services,
  locations,
}: {
  me: NonNullable<ReturnType<typeof useMe>["data"]>;
  staff: StaffMember[];
  services: NonNullable<ReturnType<typeof useServices>["data"]>;
  locations: NonNullable<ReturnType<typeof useLocations>["data"]>;
}) {
  const timeZone = me.business.time_zone;
  const locale = dashboardLocale();
  const phone = useMediaQuery(PHONE_QUERY);
  const [params, setParams] = useSearchParams();
  const [openId, setOpenId] = useState<string | null>(null);

  // A staff-role login sees only the profile linked to it (the API refuses the others anyway).
  const admin = roleAtLeast(me.role, "admin");
  const own = admin ? null : (staff.find((s) => s.user_id === me.user.id) ?? null);
  const view: View = isView(params.get("view")) ? (params.get("view") as View) : "day";
  const date = isDate(params.get("date")) ? (params.get("date") as string) : todayIn(timeZone);
  const locationId = locations.some((l) => l.id === params.get("location")) ? (params.get("location") as string) : undefined;
  const people = useMemo(
    () =>
      staff
        .filter((s) => s.active && s.bookable && (admin || s.id === own?.id) && (!locationId || s.location_ids.includes(locationId)))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [staff, admin, own, locationId],
  );
  const chosen = people.find((s) => s.id === params.get("staff"));
  const staffId = own?.id ?? chosen?.id;

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const { from, to } = viewRange(phone ? "week" : view, date);
  // On a phone the agenda is one person's: the chosen one, else the first.
  const agendaStaff = staffId ?? people[0]?.id;
  const query: RangeQuery = { from, to, tz: timeZone, staffId: phone ? agendaStaff : staffId, locationId };
  const appointments = useAppointments(query, { enabled: people.length > 0 });
  const live = (appointments.data ?? []).filter((a) => a.status !== "cancelled");
  // Cancelled ones are hidden unless asked for: they free their time, and would crowd the grid.
  const withCancelled = params.get("cancelled") === "1";
  const drawn = withCancelled ? (appointments.data ?? []) : live;
  const zoneOf = useCallback((id: string | null) => locations.find((l) => l.id === id)?.time_zone ?? timeZone, [locations, timeZone]);
  const servicesById = useMemo(() => new Map(services.map((s) => [s.id, s])), [services]);

  const header = (
    <PageHeader
      title="Calendar"
      lead={`Times in ${zoneName(timeZone)} time`}
      actions={
        people.length > 0 && !phone ? (
          <Link className="btn btn-primary" to={`/appointments/new?${new URLSearchParams(staffId ? { staff_id: staffId } : {})}`}>
            New appointment
          </Link>
        ) : null
      }
    />
  );

  if (people.length === 0) {
    return (
      <div className="page page-calendar">
        {header}
        {!admin ? (
          <EmptyState title="No calendar linked to you">Your login is not linked to a staff profile yet. Ask an admin to link it.</EmptyState>
        ) : (
          <EmptyState title="No staff members yet" action={<Link className="btn btn-primary" to="/staff?new=1">Add a staff member</Link>}>
            Add the people customers book, with their working hours; their appointments show here.
          </EmptyState>
        )}
      </div>
    );
  }

  const panel = openId && (
    <Drawer onClose={() => setOpenId(null)}>
      <AppointmentPanel appointmentId={openId} onClose={() => setOpenId(null)} onChanged={() => void appointments.refetch()} />
    </Drawer>
  );

  if (phone) {
    return (
      <div className="page page-calendar">
        {header}
        <PhoneAgenda
          date={date}
          timeZone={timeZone}
          locale={locale}
          people={own ? [own] : people}
          staffId={agendaStaff ?? ""}
          appointments={appointments.data}
          loading={appointments.isPending}
          error={appointments.error}
          services={servicesById}
          onDate={(d) => go({ date: d })}
          onStaff={(id) => go({ staff: id })}
          onOpen={setOpenId}
        />
        {panel}
      </div>
    );
  }

  return (
    <div className={`page page-calendar${openId ? " has-drawer" : ""}`}>
      {header}
      <CalendarToolbar
        view={view}
        date={date}
        timeZone={timeZone}
        locale={locale}
        people={own ? [] : people}
        staffId={staffId}
        locations={locations.length > 1 ? locations : []}
        locationId={locationId}
        count={appointments.data ? live.length : null}
        withCancelled={withCancelled}
        onChange={go}
      />
      {appointments.error && (
        <Alert tone="error" title="We couldn't load the appointments.">
          {appointments.error.message}
        </Alert>
      )}
      <p className="sr-only" aria-live="polite">
        {appointments.data ? countWords(live.length) : ""}
      </p>
      <CalendarGrid
        view={view}
        date={date}
        timeZone={timeZone}
        locale={locale}
        people={staffId ? people.filter((p) => p.id === staffId) : people}
        allStaff={staff}
        oneStaffId={staffId}
        locationId={locationId}
        appointments={drawn}
        rangeKey={appointmentsKey(query)}
        services={servicesById}
        zoneOf={zoneOf}
        busy={appointments.isFetching}
        googleBusy={me.features.google_calendar}
        onNavigate={(d, v) => go({ date: d, view: v })}
        onOpen={setOpenId}
      />
      {panel}
    </div>
  );
}

/** The appointment panel beside the grid: focus moves into it, Escape closes it. */
function Drawer({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <aside
      ref={ref}
      className="cal-drawer"
      aria-label="Appointment"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      {children}
    </aside>
  );
}
