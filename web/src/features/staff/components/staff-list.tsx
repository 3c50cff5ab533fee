// "/staff": every staff profile with photo, locations, whether customers can book them, whether
// they have a login and, when the plan has it, their Google Calendar connection (with a prompt when
// some need reconnecting); `?new=1` opens the create form (the getting-started checklist links there).
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useMediaUrl } from "../../../lib/config";
import { useLocations } from "../../locations/api/locations";
import { useStaffList, type StaffMember } from "../api/staff";
import { useTeam } from "../../team/api/team";
import { useCalendarStatus, type StatusItem } from "../../calendar-sync/api/calendar-sync";
import { ConnectionCell, ReconnectPrompt, useGoogleCalendarFeature } from "../../calendar-sync/components/staff-connections";
import { ProfilesVsLogins } from "./profiles-vs-logins";
import { StaffForm } from "./staff-form";
import "./staff.css";

export function StaffList() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const [includeInactive, setIncludeInactive] = useState(false);
  const staff = useStaffList({ includeInactive });
  const locations = useLocations({ includeArchived: true });
  const creating = params.get("new") === "1";
  const setCreating = (open: boolean) => {
    const next = new URLSearchParams(params);
    if (open) next.set("new", "1");
    else next.delete("new");
    setParams(next, { replace: true });
  };
  const locationName = new Map((locations.data ?? []).map((l) => [l.id, l.name]));
  const google = useGoogleCalendarFeature();
  const calendars = useCalendarStatus({ enabled: google });
  const connectionOf = new Map((calendars.data ?? []).map((c) => [c.staff_id, c]));

  return (
    <div className="page">
      <PageHeader
        title="Staff"
        lead="The people customers can book, where they work and when."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Add staff member
          </Button>
        }
      />
      <div className="staff-toolbar">
        <label className="check-row">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          Show inactive staff
        </label>
      </div>
      {staff.isPending ? (
        <Loading label="Loading staff…" />
      ) : staff.isError ? (
        <Alert tone="error" title="We couldn't load the staff." actions={<Button size="sm" onClick={() => void staff.refetch()}>Try again</Button>}>
          {staff.error.message}
        </Alert>
      ) : staff.data.length === 0 ? (
        <EmptyState
          title="No staff profiles yet"
          action={
            <Button variant="primary" onClick={() => setCreating(true)}>
              Add your first staff member
            </Button>
          }
        >
          Add a staff profile for everyone customers can book, yourself included. Each gets a column on the calendar and
          their own working hours. A staff profile is not a login: invite people to sign in on the Team page.
        </EmptyState>
      ) : (
        <>
          {calendars.data && <ReconnectPrompt items={calendars.data} />}
          <section className="card card-flush" aria-label="Staff profiles">
            <div className="table-wrap">
              <table className="table">
                <caption className="sr-only">Staff profiles</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Locations</th>
                    <th scope="col">Bookable</th>
                    <th scope="col">Login</th>
                    {google && <th scope="col">Google Calendar</th>}
                  </tr>
                </thead>
                <tbody>
                  {staff.data.map((member) => (
                    <StaffRow
                      key={member.id}
                      member={member}
                      locations={member.location_ids.map((id) => locationName.get(id) ?? "Unknown location")}
                      googleColumn={google}
                      connection={connectionOf.get(member.id)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {calendars.isError && <p className="hint sync-table-note">We couldn't load the Google Calendar connections: {calendars.error.message}</p>}
          </section>
        </>
      )}
      <ProfilesVsLogins on="staff" />
      <Dialog open={creating} title="Add a staff member" onClose={() => setCreating(false)} wide>
        <StaffForm onSaved={(created) => navigate(`/staff/${created.id}`)} onCancel={() => setCreating(false)} />
      </Dialog>
    </div>
  );
}

function StaffRow({
  member,
  locations,
  googleColumn,
  connection,
}: {
  member: StaffMember;
  locations: string[];
  /** The plan has Google Calendar sync: a column for each person's connection. */
  googleColumn: boolean;
  connection: StatusItem | undefined;
}) {
  const photo = useMediaUrl(member.photo_key);
  const team = useTeam({ enabled: member.user_id !== null });
  const login = member.user_id ? team.data?.members.find((m) => m.user_id === member.user_id) : undefined;
  const initials = member.name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
  return (
    <tr className={connection?.state === "reconnect_needed" ? "needs-reconnect" : undefined}>
      <th scope="row">
        <span className="staff-person">
          {photo ? <img className="staff-photo" src={photo} alt="" /> : <span className="avatar avatar-sm" aria-hidden="true">{initials}</span>}
          <span>
            <Link to={`/staff/${member.id}`}>{member.name}</Link>
            {!member.active && <span className="badge badge-muted"> Inactive</span>}
          </span>
        </span>
      </th>
      <td data-label="Locations">{locations.length ? locations.join(", ") : <span className="muted">None yet</span>}</td>
      <td data-label="Bookable">{member.bookable ? "Yes" : <span className="muted">No (hidden from booking)</span>}</td>
      <td data-label="Login">
        {member.user_id ? (
          <span className="badge badge-success">Linked{login ? `: ${login.name || login.email}` : ""}</span>
        ) : (
          <span className="muted">No login</span>
        )}
      </td>
      {googleColumn && (
        <td data-label="Google Calendar">
          <ConnectionCell item={connection} />
        </td>
      )}
    </tr>
  );
}
