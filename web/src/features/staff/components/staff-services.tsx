// What this person performs, from their own page: ticking a service adds them to its performers
// (PUT /services/{id}/staff, the service's other performers and everyone's own duration and price
// kept as they are). A new stylist is set up in one place instead of on every service's page.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { useToast } from "../../../components/ui/toast";
import type { Schemas } from "../../../lib/api-client";
import { useServices, useServiceWrites, type Service } from "../../services/api/services";
import type { StaffMember } from "../api/staff";

/** The performers a service's PUT needs, from what its GET says. */
export function performersWith(service: Service, staffId: string, performs: boolean): Schemas["ServicePerformer"][] {
  const others = service.staff.filter((p) => p.staff_id !== staffId);
  const kept = service.staff.find((p) => p.staff_id === staffId);
  const own = kept ?? { staff_id: staffId, duration_min: null, price: null };
  return [...others, ...(performs ? [own] : [])].map((p) => ({ staff_id: p.staff_id, duration_min: p.duration_min, price: p.price }));
}

export function StaffServices({ member, readOnly }: { member: StaffMember; readOnly: boolean }) {
  const services = useServices();
  const writes = useServiceWrites();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = (services.data ?? []).filter((s) => !s.archived);
  const performs = (s: Service) => chosen[s.id] ?? s.staff.some((p) => p.staff_id === member.id);
  const changed = list.filter((s) => performs(s) !== s.staff.some((p) => p.staff_id === member.id));

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      for (const service of changed) await writes.setStaff(service.id, performersWith(service, member.id, performs(service)));
      setChosen({});
      toast("Services saved.");
    } catch (e) {
      setError(e instanceof Error ? e.message : "The services could not be saved.");
    } finally {
      setSaving(false);
      await queryClient.invalidateQueries({ queryKey: ["services"] });
    }
  };

  return (
    <section className="card staff-section" aria-labelledby="services-title">
      <h2 className="card-title" id="services-title">
        Services
      </h2>
      <p className="muted">What customers can book {member.name} for. Their own length and price for a service are set on the service's page.</p>
      {services.isError && <Alert tone="error">{services.error.message}</Alert>}
      {services.isSuccess && list.length === 0 && (
        <p className="muted">
          No services yet. <Link to="/services?new=1">Add a service</Link>.
        </p>
      )}
      {list.length > 0 && (
        <fieldset className="stack" disabled={readOnly || saving}>
          <legend className="sr-only">Services {member.name} performs</legend>
          {list.map((service) => (
            <label key={service.id} className="check-row">
              <input type="checkbox" checked={performs(service)} onChange={(e) => setChosen({ ...chosen, [service.id]: e.target.checked })} />
              {service.name}
            </label>
          ))}
        </fieldset>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {!readOnly && list.length > 0 && (
        <div className="form-buttons">
          <Button variant="primary" busy={saving} disabled={changed.length === 0} onClick={() => void save()}>
            Save services
          </Button>
        </div>
      )}
    </section>
  );
}
