// "/account": the signed-in member's own page: their login (name, e-mail, role, business) and their
// own Google Calendar, which only they can connect since it is their Google account. Google sends
// them back here after its consent page.
import { Alert } from "../../../components/ui/alert";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useMe } from "../../../lib/session";
import { GoogleCalendarCard } from "../../calendar-sync/components/google-calendar-card";

const ROLE_NAMES = { owner: "Owner", admin: "Admin", staff: "Staff" } as const;

export function AccountScreen() {
  const me = useMe();
  if (me.isPending) return <Loading label="Loading your account…" />;
  if (me.isError) return <Alert tone="error" title="We couldn't load your account.">{me.error.message}</Alert>;
  const { user, role, business } = me.data;
  return (
    <div className="page stack-lg">
      <PageHeader title="Your account" lead="Your login, and the calendar your bookings are copied to." />
      <section className="card stack" aria-labelledby="login-title">
        <h2 className="card-title" id="login-title">
          Login
        </h2>
        <dl className="facts">
          <div className="fact">
            <dt>Name</dt>
            <dd>{user.name || "Not given"}</dd>
          </div>
          <div className="fact">
            <dt>E-mail</dt>
            <dd>{user.email}</dd>
          </div>
          <div className="fact">
            <dt>Role</dt>
            <dd>
              {ROLE_NAMES[role]} at {business.name}
            </dd>
          </div>
        </dl>
      </section>
      <GoogleCalendarCard />
    </div>
  );
}
