import { useMemo, useState } from "react";
import { Loading } from "../../../components/ui/spinner";
import { formatMoney, roleAtLeast } from "../../../lib/format";
import { useTeam } from "../../team/api/team";
import { formatDateTime } from "../../../lib/zoned";
import { useAppointmentHistory, type Appointment } from "../api/appointments";
import type { Names } from "../lib/context";
import { actorLabel, historyChanges, historyLabel, statusLabel } from "../lib/status";

/** Every change of the appointment (who, when, before → after), read when first opened. */
export function AppointmentHistory({ appointment, names, zone, locale }: { appointment: Appointment; names: Names; zone: string; locale: string }) {
  const [open, setOpen] = useState(false);
  const history = useAppointmentHistory(appointment.id, open);
  // The team list is for admins and owners; for others a colleague stays "A team member".
  const team = useTeam({ enabled: open && roleAtLeast(names.me?.role, "admin") });
  const members = useMemo(() => new Map((team.data?.members ?? []).map((m) => [m.user_id, m.name])), [team.data]);

  const show = (field: string, value: unknown): string => {
    const text = String(value);
    if (field === "start_at" || field === "end_at") return formatDateTime(text, zone, locale);
    if (field === "status") return statusLabel(value as Appointment["status"]);
    if (field === "staff_id") return names.staffName(text);
    if (field === "location_id") return names.location(text)?.name ?? "A former location";
    if (field === "service_id") return names.service(text)?.name ?? "A former service";
    if (field === "customer_id") return text === appointment.customer_id ? (appointment.customer?.name ?? "The customer") : "Another customer";
    if (field === "price_minor") return formatMoney({ amount: Number(value), currency: appointment.price.currency }, locale);
    return text;
  };

  return (
    <details className="appt-history" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>History</summary>
      {!open ? null : history.isPending ? (
        <Loading label="Loading the history…" />
      ) : history.isError ? (
        <p className="field-error">Couldn't load the history. {history.error.message}</p>
      ) : history.data.items.length === 0 ? (
        <p className="muted">No changes recorded.</p>
      ) : (
        <ol className="history" aria-label="Changes">
          {history.data.items.map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <p className="history-head">
                <strong>{historyLabel(entry.action)}</strong>
                <span className="muted">
                  {" "}
                  · {actorLabel(entry.actor, names.me?.user.id, members)} · {formatDateTime(entry.at, zone, locale)}
                </span>
              </p>
              <ul className="history-changes">
                {historyChanges(entry, show).map((change) => (
                  <li key={change.field}>
                    <span className="muted">{change.label}: </span>
                    {change.before !== null && (
                      <>
                        <del>{change.before}</del> →{" "}
                      </>
                    )}
                    <span>{change.after}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
