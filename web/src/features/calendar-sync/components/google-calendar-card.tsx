// The member's own Google Calendar, on their account page: connect it (through Google's consent page),
// see what it is doing, sync it now, reconnect it when Google stopped accepting it, disconnect it.
// Google sends the member back here with ?google=connected or ?google=error&reason=….
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Loading } from "../../../components/ui/spinner";
import { ApiError } from "../../../lib/api-client";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { PlanRefusal } from "../../billing/components/plan-refusal";
import { planProblem } from "../../billing/lib/words";
import { useCalendarStatus, useConnectGoogle, type StatusItem } from "../api/calendar-sync";
import { reconnectReason, RECONNECT_CONSEQUENCE } from "../lib/words";
import { useGoogleReturn } from "../lib/use-google-return";
import { ConnectionActions } from "./connection-actions";
import { ConnectionBadge } from "./connection-badge";
import { ConnectionFacts } from "./connection-facts";
import "./calendar-sync.css";

export function GoogleCalendarCard() {
  const { notice, dismiss } = useGoogleReturn();
  const status = useCalendarStatus({ awaitFirstSync: notice?.tone === "success" });
  const mine = status.data?.find((i) => i.is_me);
  return (
    <section className="card stack" aria-labelledby="google-calendar-title">
      <div className="sync-head">
        <h2 className="card-title" id="google-calendar-title">
          Google Calendar
        </h2>
        {mine && <ConnectionBadge state={mine.state} />}
      </div>
      <p className="muted">Your bookings are copied to your Google Calendar, and the busy times in it block those times here.</p>
      {notice && (
        <Alert
          tone={notice.tone}
          title={notice.title}
          actions={
            <Button size="sm" variant="ghost" onClick={dismiss}>
              Dismiss
            </Button>
          }
        >
          {notice.message}
        </Alert>
      )}
      {status.isPending ? (
        <Loading label="Loading your Google Calendar connection…" />
      ) : status.isError ? (
        <StatusFailure error={status.error} retry={() => void status.refetch()} />
      ) : !mine ? (
        <NoStaffProfile />
      ) : mine.state === "connected" ? (
        <Connected item={mine} />
      ) : mine.state === "reconnect_needed" ? (
        <ReconnectNeeded item={mine} />
      ) : (
        <NotConnected />
      )}
    </section>
  );
}

function StatusFailure({ error, retry }: { error: Error; retry: () => void }) {
  if (planProblem(error)) return <PlanRefusal error={error} />;
  return (
    <Alert
      tone="error"
      title="We couldn't load your Google Calendar connection."
      actions={
        <Button size="sm" onClick={retry}>
          Try again
        </Button>
      }
    >
      {error.message}
    </Alert>
  );
}

/** Only a staff profile has bookings to copy and times to block: a login without one cannot connect. */
function NoStaffProfile() {
  const me = useMe();
  const admin = roleAtLeast(me.data?.role, "admin");
  return (
    <Alert
      tone="info"
      title="Your login is not linked to a staff profile"
      actions={
        admin ? (
          <Link className="btn btn-sm" to="/staff">
            Go to Staff
          </Link>
        ) : undefined
      }
    >
      Only team members with a staff profile can connect a Google Calendar: it is the profile's bookings that are copied,
      and its times that Google's busy times block.{" "}
      {admin
        ? "Open your staff profile on the Staff page and choose your login under Team login."
        : "Ask an owner or admin of the business to link your login to your staff profile."}
    </Alert>
  );
}

/** What a refused connect means: no staff profile, not in the plan, or the API's own words. */
function ConnectProblem({ error }: { error: Error | null }) {
  if (!error) return null;
  if (planProblem(error)) return <PlanRefusal error={error} />;
  if (error instanceof ApiError && error.code === "no_staff_profile") return <NoStaffProfile />;
  return (
    <Alert tone="error" title="Google's page could not be opened.">
      {error.message}
    </Alert>
  );
}

function ConnectButton({ connect, label }: { connect: ReturnType<typeof useConnectGoogle>; label: string }) {
  return (
    // Busy until the browser has left for Google.
    <Button variant="primary" busy={connect.isPending || connect.isSuccess} onClick={() => connect.mutate()}>
      {label}
    </Button>
  );
}

function NotConnected() {
  const connect = useConnectGoogle();
  return (
    <>
      <p>Google asks you to sign in and to allow access to your calendar events. You can disconnect at any time.</p>
      <ConnectProblem error={connect.error} />
      <div className="sync-actions">
        <ConnectButton connect={connect} label="Connect Google Calendar" />
      </div>
    </>
  );
}

function Connected({ item }: { item: StatusItem }) {
  const me = useMe();
  return (
    <>
      <ConnectionFacts item={item} timeZone={me.data?.business.time_zone ?? "UTC"} />
      <ConnectionActions item={item} />
    </>
  );
}

function ReconnectNeeded({ item }: { item: StatusItem }) {
  const me = useMe();
  const connect = useConnectGoogle();
  return (
    <>
      <Alert tone="warning" title="Reconnect your Google Calendar">
        {reconnectReason(item.reason)} {RECONNECT_CONSEQUENCE}
      </Alert>
      <ConnectionFacts item={item} timeZone={me.data?.business.time_zone ?? "UTC"} />
      <ConnectProblem error={connect.error} />
      <ConnectionActions item={item} first={<ConnectButton connect={connect} label="Reconnect Google Calendar" />} />
    </>
  );
}
