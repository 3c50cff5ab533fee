// Staff profiles and team logins are different things, and a salon with four stylists but one login
// saw "1 member" on the Team page and four columns on the calendar. Both screens say why.
import { Link } from "react-router";
import "./staff.css";

export function ProfilesVsLogins({ on }: { on: "staff" | "team" }) {
  return (
    <aside className="card staff-explainer" aria-labelledby={`explainer-${on}`}>
      <h2 className="card-title" id={`explainer-${on}`}>
        Staff profiles and team logins
      </h2>
      <ul>
        <li>
          <strong>Staff profiles</strong> are the people customers can book. Each has working hours and a column on the
          calendar. They don't need to sign in.
        </li>
        <li>
          <strong>Team logins</strong> are the people who can sign in to this dashboard (owners, admins and staff).
        </li>
        <li>A person can be both: link their staff profile to their login, and they see and manage their own calendar.</li>
      </ul>
      <p className="muted">
        {on === "team" ? (
          <>
            So the team can be smaller than the calendar. <Link to="/staff">Manage staff profiles</Link>
          </>
        ) : (
          <>
            So the calendar can show more people than the team has logins. <Link to="/team">Manage team logins</Link>
          </>
        )}
      </p>
    </aside>
  );
}
