// Every staff member's Google Calendar, for owners and admins: a cell per row of the staff list, a
// prompt above it when connections need reconnecting, and a card on each staff member's page. Only
// the member can connect or reconnect (it is their Google account); owners and admins can sync a
// connection now or disconnect it.
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Loading } from "../../../components/ui/spinner";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import type { StaffMember } from "../../staff/api/staff";
import { useCalendarStatus, type StatusItem } from "../api/calendar-sync";
import { reconnectReason, RECONNECT_CONSEQUENCE } from "../lib/words";
import { ConnectionActions } from "./connection-actions";
import { ConnectionBadge } from "./connection-badge";
import { ConnectionFacts } from "./connection-facts";
import "./calendar-sync.css";

/** Is Google Calendar sync in the business's plan? The staff screens show nothing of it otherwise. */
export function useGoogleCalendarFeature(): boolean {
  const me = useMe();
  return Boolean(me.data?.features.google_calendar);
}

/** Owners and admins are told whose connection stopped working, and that only that person can fix it. */
export function ReconnectPrompt({ items }: { items: StatusItem[] }) {
  const stopped = items.filter((i) => i.state === "reconnect_needed");
  if (stopped.length === 0) return null;
  const mine = stopped.some((i) => i.is_me);
  const others = stopped.filter((i) => !i.is_me);
  return (
    <Alert
      tone="warning"
      title={stopped.length === 1 ? "A Google Calendar needs reconnecting" : `${stopped.length} Google Calendars need reconnecting`}
      actions={
        mine ? (
          <Link className="btn btn-sm" to="/account">
            Reconnect yours
          </Link>
        ) : undefined
      }
    >
      <ul>
        {stopped.map((i) => (
          <li key={i.staff_id}>
            <strong>{i.is_me ? "Yours" : i.staff_name}</strong>: {reconnectReason(i.reason)}
          </li>
        ))}
      </ul>
      {others.length > 0 &&
        `Only ${others.length === 1 ? others[0]?.staff_name : "each of them"} can reconnect, from their own account page, because it is their Google account: ask them to. `}
      {RECONNECT_CONSEQUENCE}
    </Alert>
  );
}

/** The staff list's cell: the state, and the Google account or what to do. */
export function ConnectionCell({ item }: { item: StatusItem | undefined }) {
  if (!item) return <span className="muted">–</span>;
  return (
    <span className="sync-cell">
      <ConnectionBadge state={item.state} />
      {item.state === "connected" && item.google_email && <span className="muted">{item.google_email}</span>}
      {item.state === "reconnect_needed" && <span className="muted">{item.is_me ? "Reconnect on your account page" : "Ask them to reconnect"}</span>}
    </span>
  );
}

/** One staff member's Google Calendar, on their page. */
export function StaffCalendarCard({ member }: { member: StaffMember }) {
  const me = useMe();
  const status = useCalendarStatus();
  const item = status.data?.find((i) => i.staff_id === member.id);
  const admin = roleAtLeast(me.data?.role, "admin");
  const timeZone = me.data?.business.time_zone ?? "UTC";
  return (
    <section className="card stack staff-section" aria-labelledby="google-calendar-title">
      <div className="sync-head">
        <h2 className="card-title" id="google-calendar-title">
          Google Calendar
        </h2>
        {item && <ConnectionBadge state={item.state} />}
      </div>
      {status.isPending ? (
        <Loading label="Loading the Google Calendar connection…" />
      ) : status.isError ? (
        <Alert tone="error" title="We couldn't load the Google Calendar connection.">
          {status.error.message}
        </Alert>
      ) : !item || item.state === "not_connected" ? (
        <NotConnectedNote member={member} mine={item?.is_me ?? false} />
      ) : (
        <>
          {item.state === "reconnect_needed" && <ReconnectNote item={item} />}
          <ConnectionFacts item={item} timeZone={timeZone} />
          {(admin || item.is_me) && <ConnectionActions item={item} owner={item.is_me ? undefined : member.name} />}
        </>
      )}
    </section>
  );
}

function NotConnectedNote({ member, mine }: { member: StaffMember; mine: boolean }) {
  if (mine) {
    return (
      <p>
        Not connected. <Link to="/account">Connect your Google Calendar on your account page.</Link>
      </p>
    );
  }
  if (!member.user_id) {
    return (
      <p className="muted">
        Not connected. No login is linked to this profile, so no one can connect a Google Calendar to it: link the person's
        login under Team login, then they can connect it from their own account page.
      </p>
    );
  }
  return (
    <p className="muted">
      Not connected. {member.name} can connect their Google Calendar from their own account page. Only they can, because it is
      their Google account.
    </p>
  );
}

function ReconnectNote({ item }: { item: StatusItem }) {
  if (item.is_me) {
    return (
      <Alert
        tone="warning"
        title="Reconnect your Google Calendar"
        actions={
          <Link className="btn btn-sm" to="/account">
            Reconnect on your account page
          </Link>
        }
      >
        {reconnectReason(item.reason)} {RECONNECT_CONSEQUENCE}
      </Alert>
    );
  }
  return (
    <Alert tone="warning" title={`${item.staff_name} must reconnect their Google Calendar`}>
      {reconnectReason(item.reason)} {RECONNECT_CONSEQUENCE} Only {item.staff_name} can reconnect, from their own account page,
      because it is their Google account: ask them to.
    </Alert>
  );
}
