// "/services": the catalogue by category, each service with its length, price, whether customers can
// book it online and who performs it. `?new=1` (the getting-started checklist's link) opens the
// create form.
import { useState } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { dashboardLocale, formatMinutes, formatMoney, roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { useStaffList } from "../../staff/api/staff";
import { useServices, type Service } from "../api/services";
import "./services.css";

const NO_CATEGORY = "Other services";

/** Services by category (categories A–Z, the uncategorised last), each group by name. */
export function groupByCategory(services: Service[]): [string, Service[]][] {
  const groups = new Map<string, Service[]>();
  for (const service of [...services].sort((a, b) => a.name.localeCompare(b.name))) {
    const key = service.category?.trim() || NO_CATEGORY;
    groups.set(key, [...(groups.get(key) ?? []), service]);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === NO_CATEGORY ? 1 : b === NO_CATEGORY ? -1 : a.localeCompare(b)));
}

export function ServicesList() {
  const [params] = useSearchParams();
  const [includeArchived, setIncludeArchived] = useState(false);
  const services = useServices({ includeArchived });
  const staff = useStaffList({ includeInactive: true });
  const me = useMe();
  const locale = dashboardLocale();
  const canEdit = roleAtLeast(me.data?.role, "admin");
  if (params.get("new") === "1") return <Navigate to="/services/new" replace />;
  const staffName = new Map((staff.data ?? []).map((m) => [m.id, m.name]));
  const create = (label: string) =>
    canEdit ? (
      <Link className="btn btn-primary" to="/services/new">
        {label}
      </Link>
    ) : undefined;

  return (
    <div className="page">
      <PageHeader title="Services" lead="What customers can book: how long it takes, what it costs and who does it." actions={create("New service")} />
      <div className="catalog-toolbar">
        <label className="check-row">
          <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          Include archived services
        </label>
      </div>
      {services.isPending ? (
        <Loading label="Loading services…" />
      ) : services.isError ? (
        <Alert tone="error" title="We couldn't load your services." actions={<Button size="sm" onClick={() => void services.refetch()}>Try again</Button>}>
          {services.error.message}
        </Alert>
      ) : services.data.length === 0 ? (
        <EmptyState title="No services yet" action={create("Create your first service")}>
          A service is something customers book with you, like “Haircut, 45 minutes, £45”. It says how long an appointment takes, what it
          costs and which of your staff perform it. Add at least one before you share your booking link.
        </EmptyState>
      ) : (
        groupByCategory(services.data).map(([category, list]) => (
          <section key={category} className="card card-flush catalog-group" aria-labelledby={`category-${slugOf(category)}`}>
            <h2 className="catalog-group-title" id={`category-${slugOf(category)}`}>
              {category}{" "}
              <span className="count">
                {list.length}
                <span className="sr-only"> {list.length === 1 ? "service" : "services"}</span>
              </span>
            </h2>
            <ul className="catalog-list">
              {list.map((service) => (
                <li key={service.id} className="catalog-item">
                  <span className="service-swatch" style={{ background: service.color ?? "transparent" }} aria-hidden="true" />
                  <div className="catalog-main">
                    <Link className="catalog-name" to={`/services/${service.id}`}>
                      {service.name}
                    </Link>
                    <span className="catalog-badges">
                      {service.archived && <span className="badge badge-muted">Archived</span>}
                      {!service.archived && !service.active && <span className="badge badge-warning">Paused</span>}
                      {service.requires_confirmation && <span className="badge badge-brand">You confirm each booking</span>}
                      {service.capacity > 1 && <span className="badge badge-brand">Group · {service.capacity} places</span>}
                    </span>
                    <span className="catalog-staff muted">
                      {service.staff.length === 0
                        ? "Nobody performs it yet, so it can't be booked"
                        : staff.isSuccess
                          ? `By ${service.staff.map((p) => staffName.get(p.staff_id) ?? "a former staff member").join(", ")}`
                          : `By ${service.staff.length} ${service.staff.length === 1 ? "person" : "people"}`}
                    </span>
                  </div>
                  <dl className="catalog-facts">
                    <div>
                      <dt>Duration</dt>
                      <dd>{formatMinutes(service.duration_min)}</dd>
                    </div>
                    <div>
                      <dt>Price</dt>
                      <dd>{formatMoney(service.price, locale)}</dd>
                    </div>
                    <div>
                      <dt>Online</dt>
                      <dd>{service.bookable_online ? "Bookable online" : "Team only"}</dd>
                    </div>
                  </dl>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}

function slugOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
