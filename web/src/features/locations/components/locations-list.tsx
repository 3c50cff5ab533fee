// "/locations": every place appointments happen, with its address, phone, time zone and opening
// hours. `?new=1` (the getting-started checklist's link) opens the create form.
import { useState } from "react";
import { Link, Navigate, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { dashboardLocale, roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { useLocations } from "../api/locations";
import { summariseHours } from "./hours";
import "./locations.css";

export function LocationsList() {
  const [params] = useSearchParams();
  const [includeArchived, setIncludeArchived] = useState(false);
  const locations = useLocations({ includeArchived });
  const me = useMe();
  const locale = dashboardLocale();
  const canEdit = roleAtLeast(me.data?.role, "admin");
  if (params.get("new") === "1") return <Navigate to="/locations/new" replace />;
  const create = (label: string) =>
    canEdit ? (
      <Link className="btn btn-primary" to="/locations/new">
        {label}
      </Link>
    ) : undefined;

  return (
    <div className="page">
      <PageHeader title="Locations" lead="Where customers come for their appointments, and when each place is open." actions={create("New location")} />
      <div className="catalog-toolbar">
        <label className="check-row">
          <input type="checkbox" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
          Include archived locations
        </label>
      </div>
      {locations.isPending ? (
        <Loading label="Loading locations…" />
      ) : locations.isError ? (
        <Alert tone="error" title="We couldn't load your locations." actions={<Button size="sm" onClick={() => void locations.refetch()}>Try again</Button>}>
          {locations.error.message}
        </Alert>
      ) : locations.data.length === 0 ? (
        <EmptyState title="No locations yet" action={create("Add your first location")}>
          A location is where customers come for their appointments: your salon, studio or clinic. It has an address, a time zone that
          all its times are in, and opening hours. Staff work at one or more locations.
        </EmptyState>
      ) : (
        <ul className="location-cards">
          {locations.data.map((location) => {
            const hours = summariseHours(location.opening_hours, locale);
            return (
              <li key={location.id} className="card location-card">
                <h2 className="location-card-title">
                  <Link to={`/locations/${location.id}`}>{location.name}</Link>
                  {location.archived && <span className="badge badge-muted">Archived</span>}
                </h2>
                <dl className="location-facts">
                  <div>
                    <dt>Address</dt>
                    <dd>{location.address ?? <span className="muted">Not given</span>}</dd>
                  </div>
                  <div>
                    <dt>Phone</dt>
                    <dd>{location.phone ? <a href={`tel:${location.phone.replace(/[^+0-9]/g, "")}`}>{location.phone}</a> : <span className="muted">Not given</span>}</dd>
                  </div>
                  <div>
                    <dt>Time zone</dt>
                    <dd>{location.time_zone.replace(/_/g, " ")}</dd>
                  </div>
                  <div>
                    <dt>Opening hours</dt>
                    <dd>
                      {location.opening_hours === null ? (
                        <span className="muted">No set hours: open whenever staff work here</span>
                      ) : (
                        <ul className="hours-summary">
                          {hours.map((line) => (
                            <li key={line}>{line}</li>
                          ))}
                        </ul>
                      )}
                    </dd>
                  </div>
                </dl>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
