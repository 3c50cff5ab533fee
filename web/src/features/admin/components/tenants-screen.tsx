// /admin: every tenant, newest first: search over name, slug and owner e-mail, filters by plan,
// serving status and lifecycle state (kept in the URL, so a filtered list can be shared), a page
// at a time.
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { EmptyState } from "../../../components/ui/empty-state";
import { Button } from "../../../components/ui/button";
import { Pager, usePageCursors } from "../../../components/ui/pager";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import type { Schemas } from "../../../lib/api-client";
import { dashboardLocale } from "../../../lib/format";
import { billingDay, planName, STATUS_NAMES } from "../../billing/lib/words";
import { useTenants, type Tenant, type TenantFilters } from "../api/admin";
import { AdminError, AdminTabs, StateBadge } from "./admin-parts";

type Query = NonNullable<Schemas["TenantQuery"]>;
// The filters' choices, typed by the API's enums (a value the API drops fails to compile here).
const PLANS: NonNullable<Query["plan"]>[] = ["trial", "basic", "pro", "enterprise"];
const STATUSES: NonNullable<Query["status"]>[] = ["active", "suspended", "expired"];
const STATES: NonNullable<Query["state"]>[] = ["trialing", "active", "past_due", "suspended", "expired", "cancelled"];
const SERVING: Record<string, string> = { active: "Serving", suspended: "Suspended", expired: "Expired" };

function pick<T extends string>(value: string | null, among: readonly T[]): T | undefined {
  return among.find((v) => v === value);
}

export function TenantsScreen() {
  const [params, setParams] = useSearchParams();
  const filters: TenantFilters = {
    ...(params.get("q") ? { q: params.get("q") as string } : {}),
    ...(pick(params.get("plan"), PLANS) ? { plan: pick(params.get("plan"), PLANS) } : {}),
    ...(pick(params.get("status"), STATUSES) ? { status: pick(params.get("status"), STATUSES) } : {}),
    ...(pick(params.get("state"), STATES) ? { state: pick(params.get("state"), STATES) } : {}),
  };
  const [search, setSearch] = useState(filters.q ?? "");
  const pages = usePageCursors();
  const tenants = useTenants(filters, pages.cursor);
  const locale = dashboardLocale();

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
    pages.reset();
  };

  return (
    <div className="page stack-lg">
      <PageHeader title="Platform console" lead="Every business on the platform: their plan, state and use this period." />
      <AdminTabs />
      <form
        className="admin-filters"
        role="search"
        aria-label="Tenants"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter("q", search.trim());
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="tenant-q">
            Search
          </label>
          <input id="tenant-q" type="search" placeholder="Name, slug or owner e-mail" value={search} maxLength={120} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <Filter label="Plan" value={filters.plan ?? ""} options={PLANS.map((p) => [p, planName(p)])} onChange={(v) => setFilter("plan", v)} />
        <Filter label="Status" value={filters.status ?? ""} options={STATUSES.map((s) => [s, SERVING[s] ?? s])} onChange={(v) => setFilter("status", v)} />
        <Filter label="State" value={filters.state ?? ""} options={STATES.map((s) => [s, STATUS_NAMES[s] ?? s])} onChange={(v) => setFilter("state", v)} />
        <Button type="submit" variant="primary">
          Search
        </Button>
      </form>
      {tenants.isPending ? (
        <Loading label="Loading tenants…" />
      ) : tenants.isError ? (
        <AdminError error={tenants.error} what="the tenants" onRetry={() => void tenants.refetch()} />
      ) : tenants.data.items.length === 0 && pages.onFirst ? (
        <EmptyState title="No tenants match.">Try another search or fewer filters.</EmptyState>
      ) : (
        <section className="card card-flush" aria-label="Tenants" aria-busy={tenants.isFetching || undefined}>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Business</th>
                  <th scope="col">Plan</th>
                  <th scope="col">State</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Bookings</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {tenants.data.items.map((t) => (
                  <TenantRow key={t.id} tenant={t} locale={locale} />
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} next={tenants.data.next_cursor} />
        </section>
      )}
    </div>
  );
}

function Filter({ label, value, options, onChange }: { label: string; value: string; options: [string, string][]; onChange: (value: string) => void }) {
  const id = `tenant-${label.toLowerCase()}`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function TenantRow({ tenant: t, locale }: { tenant: Tenant; locale: string }) {
  return (
    <tr>
      <td>
        <Link to={`/admin/tenants/${t.id}`}>{t.name}</Link>
        <div className="muted">{t.slug}</div>
      </td>
      <td>{planName(t.plan)}</td>
      <td>
        <StateBadge state={t.state} status={t.status} />
      </td>
      <td>{t.owner ? <span title={t.owner.name}>{t.owner.email}</span> : <span className="muted">No owner</span>}</td>
      <td>{t.usage.bookings.toLocaleString(locale)}</td>
      <td>
        {t.usage.messages_whatsapp.toLocaleString(locale)} WhatsApp · {t.usage.messages_email.toLocaleString(locale)} e-mail
      </td>
      <td>{billingDay(t.created_at, "UTC", locale)}</td>
    </tr>
  );
}
