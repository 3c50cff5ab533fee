// /admin/metrics: the platform now: tenants by status, plan and lifecycle state, monthly recurring
// revenue per currency, bookings and messages today and this month (UTC), dead letters, errors.
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Button } from "../../../components/ui/button";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { dashboardLocale, formatMoney } from "../../../lib/format";
import { formatDateTime } from "../../../lib/zoned";
import { planName, STATUS_NAMES } from "../../billing/lib/words";
import { useMetrics } from "../api/admin";
import { AdminError, AdminTabs } from "./admin-parts";

const SERVING: Record<string, string> = { active: "Serving", suspended: "Suspended", expired: "Expired" };
const CHANNELS: Record<string, string> = { email: "E-mail", whatsapp: "WhatsApp" };

export function MetricsScreen() {
  const metrics = useMetrics();
  const locale = dashboardLocale();
  const n = (value: number) => value.toLocaleString(locale);
  return (
    <div className="page stack-lg">
      <PageHeader
        title="Platform console"
        lead="The platform now. Today and this month are UTC."
        actions={
          <Button size="sm" busy={metrics.isFetching} onClick={() => void metrics.refetch()}>
            Refresh
          </Button>
        }
      />
      <AdminTabs />
      {metrics.isPending ? (
        <Loading label="Loading metrics…" />
      ) : metrics.isError ? (
        <AdminError error={metrics.error} what="the metrics" onRetry={() => void metrics.refetch()} />
      ) : (
        <>
          <p className="muted">As of {formatDateTime(metrics.data.at, "UTC", locale)} UTC.</p>
          <div className="admin-tiles">
            <Tile label="Tenants" value={n(metrics.data.tenants.total)}>
              {Object.entries(metrics.data.tenants.by_status).map(([k, v]) => (
                <li key={k}>
                  {SERVING[k] ?? k}: {n(v)}
                </li>
              ))}
            </Tile>
            <Tile label="By plan" value="">
              {Object.entries(metrics.data.tenants.by_plan).map(([k, v]) => (
                <li key={k}>
                  {planName(k)}: {n(v)}
                </li>
              ))}
            </Tile>
            <Tile label="By state" value="">
              {Object.entries(metrics.data.tenants.by_state).map(([k, v]) => (
                <li key={k}>
                  {STATUS_NAMES[k] ?? k}: {n(v)}
                </li>
              ))}
            </Tile>
            <Tile label="Monthly recurring revenue" value={metrics.data.mrr.length ? "" : "None yet"}>
              {metrics.data.mrr.map((m) => (
                <li key={m.currency} className="tile-value">
                  {formatMoney(m, locale)}
                </li>
              ))}
            </Tile>
            <Tile label="Bookings today" value={n(metrics.data.bookings.today)}>
              <li>This month: {n(metrics.data.bookings.month)}</li>
            </Tile>
            <Tile label="Messages today" value={n(metrics.data.messages.today)}>
              <li>This month: {n(metrics.data.messages.month)}</li>
              {Object.entries(metrics.data.messages.by_channel).map(([k, v]) => (
                <li key={k}>
                  {CHANNELS[k] ?? k}: {n(v.today)} today, {n(v.month)} this month
                </li>
              ))}
            </Tile>
            <Tile label="Dead letters" value={n(metrics.data.dead_letters)}>
              <li>
                <Link to="/admin/dead-letters">See them</Link>
              </li>
            </Tile>
            <Tile label="Errors" value={n(metrics.data.errors.deliveries_failed_today + metrics.data.errors.stripe_events_failed)}>
              <li>Deliveries failed today: {n(metrics.data.errors.deliveries_failed_today)}</li>
              <li>Stripe events failed: {n(metrics.data.errors.stripe_events_failed)}</li>
            </Tile>
          </div>
        </>
      )}
    </div>
  );
}

function Tile({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <section className="card admin-tile" aria-label={label}>
      <span className="stat-label">{label}</span>
      {value && <span className="tile-value">{value}</span>}
      {children && <ul>{children}</ul>}
    </section>
  );
}
