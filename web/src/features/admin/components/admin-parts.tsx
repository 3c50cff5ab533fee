// What every console screen shares: its tabs, and how a refusal reads (the console is for platform
// operators; the API checks that on every request).
import { NavLink } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ApiError } from "../../../lib/api-client";
import { STATUS_NAMES, STATUS_TONES } from "../../billing/lib/words";
import "../../billing/billing.css";
import "../admin.css";

export function AdminTabs() {
  const tabs: [string, string][] = [
    ["/admin", "Tenants"],
    ["/admin/metrics", "Metrics"],
    ["/admin/dead-letters", "Dead letters"],
  ];
  return (
    <nav className="subnav" aria-label="Platform console">
      {tabs.map(([to, label]) => (
        <NavLink key={to} to={to} end className="subnav-link">
          {label}
        </NavLink>
      ))}
    </nav>
  );
}

export function AdminError({ error, what, onRetry }: { error: Error; what: string; onRetry: () => void }) {
  if (error instanceof ApiError && error.status === 403) {
    return <Alert tone="error" title="This is for platform operators.">{error.message}</Alert>;
  }
  return (
    <Alert tone="error" title={`We couldn't load ${what}.`} actions={<Button size="sm" onClick={onRetry}>Try again</Button>}>
      {error.message}
    </Alert>
  );
}

/** A tenant's lifecycle state (or, before it has one, its serving status) as a badge. */
export function StateBadge({ state, status }: { state: string | null; status: string }) {
  const key = state ?? status;
  return <span className={`badge status-badge tone-${STATUS_TONES[key] ?? "muted"}`}>{STATUS_NAMES[key] ?? key}</span>;
}
