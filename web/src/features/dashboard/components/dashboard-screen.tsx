// "/": today at a glance: today's appointments, the booking requests waiting for an answer and this
// week's count, all in the business's time zone; and, while the business is not set up yet, the way
// to the getting-started checklist.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import type { Schemas } from "../../../lib/api-client";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { addDays, formatDay, formatTime, formatTimeRange, localDate, localMinutes, todayIn, weekStart, zoneName } from "../../../lib/zoned";
import { SetupCard, useSetupIncomplete } from "../../onboarding/components/setup-card";
import { useServices } from "../../services/api/services";
import { useStaffList } from "../../staff/api/staff";
import { useAppointmentsIn, type ListedAppointment } from "../api/appointments";
import "../dashboard.css";

/** How many pending requests the dashboard lists before "See all". */
const PENDING_SHOWN = 5;

const STATUS_WORDS: Record<ListedAppointment["status"], string> = {
  pending: "Request",
  confirmed: "Confirmed",
  completed: "Completed",
  no_show: "No-show",
  cancelled: "Cancelled",
};

function greeting(minutes: number): string {
  return minutes < 12 * 60 ? "Good morning" : minutes < 18 * 60 ? "Good afternoon" : "Good evening";
}

export function DashboardScreen() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.isError) return <Alert tone="error" title="We couldn't load your account.">{me.error.message}</Alert>;
  return <Overview me={me.data} />;
}

function Overview({ me }: { me: Schemas["Me"] }) {
  const { user, business, role } = me;
  const admin = roleAtLeast(role, "admin");
  const tz = business.time_zone;
  const locale = globalThis.navigator?.language || "en";
  const now = Date.now();
  const today = todayIn(tz, now);
  const monday = weekStart(today);
  const sunday = addDays(monday, 6);
  const week = useAppointmentsIn({ from: monday, to: sunday, tz });
  // Requests for days already gone can no longer be taken up; those still ahead can, up to a year out.
  const pending = useAppointmentsIn({ from: today, to: addDays(today, 365), tz, statuses: ["pending"] });
  const services = useServices();
  const staff = useStaffList();
  const serviceName = new Map((services.data ?? []).map((s) => [s.id, s.name]));
  const staffName = new Map((staff.data ?? []).map((s) => [s.id, s.name]));

  const booked = (week.data ?? []).filter((a) => a.status !== "cancelled");
  const todays = booked.filter((a) => localDate(a.start_at, tz) === today);
  const firstName = user.name.split(/\s+/)[0];
  const zoneWords = `Times are ${zoneName(tz)} time.`;

  const what = (a: ListedAppointment) =>
    [serviceName.get(a.service_id), staffName.get(a.staff_id) && `with ${staffName.get(a.staff_id)}`].filter(Boolean).join(" ");

  return (
    <div className="page dashboard">
      <PageHeader
        title={`${greeting(localMinutes(now, tz))}${firstName ? `, ${firstName}` : ""}`}
        lead={`${formatDay(today, locale)} at ${business.name}.`}
        actions={
          <>
            <Link className="btn btn-primary" to="/appointments/new">
              New appointment
            </Link>
            <Link className="btn btn-secondary" to="/calendar">
              Open the calendar
            </Link>
          </>
        }
      />

      {!user.email_verified && (
        <Alert tone="warning" title="Confirm your e-mail address.">
          We sent a link to {user.email}. Confirming it keeps your account recoverable.
        </Alert>
      )}

      {admin && <SetupCard />}

      <div className="stats">
        <Stat label="Today" query={week} value={todays.length} noun="appointment" to="/calendar" />
        <Stat label="Requests waiting" query={pending} value={pending.data?.length ?? 0} noun="request" to="/appointments/pending" />
        <Stat
          label="This week"
          query={week}
          value={booked.length}
          noun="appointment"
          to="/calendar"
          extra={`${formatDay(monday, locale, { day: "numeric", month: "short" })} – ${formatDay(sunday, locale, { day: "numeric", month: "short" })}`}
        />
      </div>

      <div className="columns">
        <section className="card card-flush" aria-labelledby="today-title">
          <div className="card-head">
            <h2 id="today-title" className="card-title">
              Today's appointments
            </h2>
            <p className="muted card-sub">{zoneWords}</p>
          </div>
          <Listing query={week} empty={<TodayEmpty admin={admin} />}>
            {todays.length > 0 && (
              <ul className="dash-list">
                {todays.map((a) => (
                  <li key={a.id}>
                    <Link className="dash-item" to={`/appointments/${a.id}`}>
                      <span className="dash-time">{formatTimeRange(a.start_at, a.end_at, tz, locale)}</span>
                      <span className="dash-who">
                        <span className="dash-customer">{a.customer?.name ?? "Customer"}</span>
                        {what(a) && <span className="muted">{what(a)}</span>}
                      </span>
                      {a.status !== "confirmed" && <span className={`status status-${a.status}`}>{STATUS_WORDS[a.status]}</span>}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </Listing>
        </section>

        <section className="card card-flush" aria-labelledby="pending-title">
          <div className="card-head">
            <h2 id="pending-title" className="card-title">
              Requests waiting
              {pending.data && pending.data.length > 0 && <span className="count">{pending.data.length}</span>}
            </h2>
            <p className="muted card-sub">Online bookings to confirm or decline.</p>
          </div>
          <Listing
            query={pending}
            empty={
              <p className="empty-line muted">
                No requests waiting.
                {business.booking_policy.auto_confirm ? " Online bookings are confirmed automatically." : ""}
              </p>
            }
          >
            {pending.data && pending.data.length > 0 && (
              <>
                <ul className="dash-list">
                  {pending.data.slice(0, PENDING_SHOWN).map((a) => (
                    <li key={a.id}>
                      <Link className="dash-item" to={`/appointments/${a.id}`}>
                        <span className="dash-time">
                          {formatDay(localDate(a.start_at, tz), locale, { weekday: "short", day: "numeric", month: "short" })}, {formatTime(a.start_at, tz, locale)}
                        </span>
                        <span className="dash-who">
                          <span className="dash-customer">{a.customer?.name ?? "Customer"}</span>
                          {what(a) && <span className="muted">{what(a)}</span>}
                        </span>
                      </Link>
                    </li>
                  ))}
                </ul>
                <p className="dash-more">
                  <Link to="/appointments/pending">
                    {pending.data.length > PENDING_SHOWN ? `See all ${pending.data.length} requests` : "Answer requests"}
                  </Link>
                </p>
              </>
            )}
          </Listing>
        </section>
      </div>
    </div>
  );
}

interface Query {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  data?: unknown[] | undefined;
}

function Stat({ label, query, value, noun, to, extra }: { label: string; query: Query; value: number; noun: string; to: string; extra?: string }) {
  return (
    <Link className="card stat dash-stat" to={to}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{query.isPending ? "…" : query.isError ? "–" : `${value} ${value === 1 ? noun : `${noun}s`}`}</span>
      {extra && <span className="stat-extra muted">{extra}</span>}
    </Link>
  );
}

/** A card's list: loading, its error, the empty state, or the list itself. */
function Listing({ query, empty, children }: { query: Query; empty: ReactNode; children: ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <div className="dash-pad"><Alert tone="error">{query.error?.message}</Alert></div>;
  return <>{children || empty}</>;
}

function TodayEmpty({ admin }: { admin: boolean }) {
  return admin ? <AdminTodayEmpty /> : <EmptyState title="No appointments today" />;
}

/** An owner's empty day: while setup is unfinished, that is the way to bookings. */
function AdminTodayEmpty() {
  const incomplete = useSetupIncomplete();
  return incomplete ? (
    <EmptyState title="No appointments today" action={<Link className="btn btn-primary" to="/getting-started">Finish setting up</Link>}>
      Once your services, team and working hours are in, customers can book you online.
    </EmptyState>
  ) : (
    <EmptyState title="No appointments today" action={<Link className="btn btn-secondary" to="/appointments/new">Book an appointment</Link>} />
  );
}
