import { NavLink } from "react-router";
import { roleAtLeast } from "../../lib/format";
import { useMe } from "../../lib/session";

/**
 * The settings area's pages as tabs above each of them (the top bar has one "Settings" link). Team
 * is for admins and owners, who are the only ones who can manage logins. Billing and the plans are
 * everyone's to read; only owners change them.
 */
export function SettingsTabs() {
  const me = useMe();
  const tabs: [string, string][] = [
    ["/settings", "Business"],
    ["/settings/notifications", "Notifications"],
    ["/settings/billing", "Billing"],
    ["/settings/plans", "Plans"],
    ...(roleAtLeast(me.data?.role, "admin") ? ([["/team", "Team"]] as [string, string][]) : []),
  ];
  return (
    <nav className="subnav" aria-label="Settings">
      {tabs.map(([to, label]) => (
        <NavLink key={to} to={to} end className="subnav-link">
          {label}
        </NavLink>
      ))}
    </nav>
  );
}
