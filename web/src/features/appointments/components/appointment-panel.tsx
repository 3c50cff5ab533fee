// One appointment: what, when, who (with tappable phone and e-mail), the status changes it allows,
// moving it, cancelling it (a series: this and the following ones), its notes and its history. Used
// by the calendar in a side drawer and by /appointments/:appointmentId as a page.
import { useEffect, useId, useState, type ReactNode } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError } from "../../../lib/api-client";
import { formatMoney } from "../../../lib/format";
import { formatDateTime, formatDay, formatTime, formatTimeRange, localDate, zoneName } from "../../../lib/zoned";
import { useAppointment, useAppointmentChanges, type Action, type Appointment } from "../api/appointments";
import { dashboardLocale } from "../../../lib/format";
import { useNames, type Names } from "../lib/context";
import { ACTIONS, actionsFor, conflictMessage, needsReload, statusLabel, waitsForStart, type PanelAction } from "../lib/status";
import { AppointmentHistory } from "./appointment-history";
import { CancelForm, NotesForm, RescheduleForm } from "./appointment-forms";
import "../appointments.css";

export interface AppointmentPanelProps {
  appointmentId: string;
  onClose?: () => void;
  onChanged?: () => void;
}

const SOURCES: Record<Appointment["source"], string> = { online: "Online booking page", staff: "By the team" };
// setTimeout takes at most 2^31-1 ms (about 24 days); a start further away is not waited for.
const LONGEST_WAIT_MS = 2_147_483_647;

/** Has the appointment begun? Drawn again at its start while the panel stays open. */
function useStarted(startAt: string): boolean {
  const start = new Date(startAt).getTime();
  const [, redraw] = useState(0);
  useEffect(() => {
    const wait = start - Date.now();
    if (wait <= 0 || wait > LONGEST_WAIT_MS) return;
    const timer = setTimeout(() => redraw((n) => n + 1), wait);
    return () => clearTimeout(timer);
  }, [start]);
  return Date.now() >= start;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function AppointmentPanel({ appointmentId, onClose, onChanged }: AppointmentPanelProps) {
  const appointment = useAppointment(appointmentId);
  const names = useNames();
  if (appointment.isPending || names.loading) return <Loading label="Loading the appointment…" />;
  if (appointment.isError) {
    const gone = appointment.error instanceof ApiError && appointment.error.status === 404;
    return (
      <Alert tone="error" title={gone ? "This appointment was not found." : "Couldn't load the appointment."}>
        {gone ? "It may have been removed, or it belongs to another calendar." : appointment.error.message}
      </Alert>
    );
  }
  return <Panel appointment={appointment.data} names={names} onClose={onClose} onChanged={onChanged} />;
}

type Open = "cancel" | "reschedule" | "notes" | null;

function Panel({ appointment: a, names, onClose, onChanged }: { appointment: Appointment; names: Names; onClose?: (() => void) | undefined; onChanged?: (() => void) | undefined }) {
  const toast = useToast();
  const locale = dashboardLocale();
  const zone = names.zoneOf(a.location_id);
  const started = useStarted(a.start_at);
  const { act, reload } = useAppointmentChanges(a.id);
  const [open, setOpen] = useState<Open>(null);
  const [asking, setAsking] = useState<"complete" | "no_show" | null>(null);
  const [alert, setAlert] = useState<{ tone: "error" | "warning"; text: string } | null>(null);
  const titleId = useId();
  const waitId = useId();
  const service = names.service(a.service_id);
  const location = names.location(a.location_id);

  const done = (message: string) => {
    setOpen(null);
    setAlert(null);
    toast(message);
    onChanged?.();
  };

  const change = async (action: Action) => {
    setAlert(null);
    try {
      await act.mutateAsync({ action, version: a.version });
      setAsking(null);
      done(ACTIONS[action].done);
    } catch (error) {
      setAsking(null);
      if (needsReload(error)) {
        void reload();
        onChanged?.();
      }
      setAlert({ tone: needsReload(error) ? "warning" : "error", text: conflictMessage(error) });
    }
  };

  const press = (action: PanelAction) => {
    setAlert(null);
    if (action === "cancel" || action === "reschedule") setOpen(open === action ? null : action);
    else if (action === "confirm") void change("confirm");
    else setAsking(action);
  };

  const actions = actionsFor(a.status);
  const startsAt = `${formatDay(localDate(a.start_at, zone), locale, { weekday: "short", day: "numeric", month: "short" })}, ${formatTime(a.start_at, zone, locale)}`;
  const customer = a.customer;

  return (
    <section className="appt-panel-view" aria-labelledby={titleId}>
      <div className="appt-panel-head">
        <h2 id={titleId}>{service?.name ?? "Appointment"}</h2>
        {onClose && (
          <Button variant="ghost" size="sm" aria-label="Close the appointment" onClick={onClose}>
            ×
          </Button>
        )}
      </div>
      <div className="appt-summary">
        <div className="appt-when">
          <p className="appt-day">{formatDay(localDate(a.start_at, zone), locale)}</p>
          <p className="appt-hours">
            {formatTimeRange(a.start_at, a.end_at, zone, locale)}
            <span className="muted"> · {zoneName(zone)} time</span>
          </p>
          <span className={`status status-${a.status}`}>{statusLabel(a.status)}</span>
        </div>
        <dl className="facts">
          <Fact label="Customer">
            {customer?.name ?? "An erased customer"}
            {customer?.phone && (
              <a className="block" href={`tel:${customer.phone.replace(/[^\d+]/g, "")}`}>
                {customer.phone}
              </a>
            )}
            {customer?.email && (
              <a className="block" href={`mailto:${customer.email}`}>
                {customer.email}
              </a>
            )}
          </Fact>
          <Fact label="Service">{service?.name ?? "A former service"}</Fact>
          <Fact label="Staff">{names.staffName(a.staff_id)}</Fact>
          <Fact label="Location">{location?.name ?? "A former location"}</Fact>
          <Fact label="Price">{formatMoney(a.price, locale)}</Fact>
          <Fact label="Booked">
            {SOURCES[a.source]}, {formatDateTime(a.created_at, zone, locale)}
          </Fact>
          {a.series_id && <Fact label="Series">Part of a recurring series</Fact>}
          {a.notes && <Fact label="Customer's notes">{a.notes}</Fact>}
          {a.internal_notes && <Fact label="Internal notes">{a.internal_notes}</Fact>}
          {a.status === "cancelled" && (
            <Fact label="Cancelled">
              {a.cancelled_by === "customer" ? "By the customer" : "By the business"}
              {a.cancelled_at && `, ${formatDateTime(a.cancelled_at, zone, locale)}`}
              {a.cancel_reason && <span className="block">“{a.cancel_reason}”</span>}
            </Fact>
          )}
        </dl>
      </div>
      {alert && <Alert tone={alert.tone}>{alert.text}</Alert>}
      {actions.length === 0 && <p className="muted appt-final">This appointment is closed: its status can no longer change.</p>}
      <div className="appt-actions">
        {actions.map((action) => {
          const waiting = waitsForStart(action) && !started;
          const tone = action === "cancel" ? "danger-ghost" : action === "confirm" || action === "complete" ? "primary" : "secondary";
          return (
            <Button
              key={action}
              size="sm"
              variant={tone}
              disabled={waiting}
              aria-describedby={waiting ? waitId : undefined}
              aria-expanded={action === "cancel" || action === "reschedule" ? open === action : undefined}
              busy={action === "confirm" && act.isPending}
              onClick={() => press(action)}
            >
              {ACTIONS[action].label}
            </Button>
          );
        })}
        <Button size="sm" variant="ghost" aria-expanded={open === "notes"} onClick={() => setOpen(open === "notes" ? null : "notes")}>
          Edit notes
        </Button>
        {a.status === "confirmed" && !started && (
          <p className="hint appt-wait" id={waitId}>
            Completed and no-show can be marked once it has started ({startsAt}).
          </p>
        )}
      </div>
      {open === "cancel" && <CancelForm appointment={a} onDone={done} onClose={() => setOpen(null)} />}
      {open === "reschedule" && (
        <RescheduleForm appointment={a} names={names} zone={zone} locale={locale} onDone={done} onClose={() => setOpen(null)} />
      )}
      {open === "notes" && <NotesForm appointment={a} onDone={done} onClose={() => setOpen(null)} />}
      <AppointmentHistory appointment={a} names={names} zone={zone} locale={locale} />
      <ConfirmDialog
        open={asking !== null}
        title={asking === "no_show" ? "Mark as a no-show?" : "Mark as completed?"}
        confirmLabel={asking === "no_show" ? "Mark no-show" : "Mark completed"}
        danger={asking === "no_show"}
        busy={act.isPending}
        onConfirm={() => asking && void change(asking)}
        onClose={() => setAsking(null)}
      >
        {asking === "no_show"
          ? `${customer?.name ?? "The customer"} did not come to ${service?.name ?? "the appointment"} at ${startsAt}. This cannot be undone.`
          : `${service?.name ?? "The appointment"} with ${customer?.name ?? "the customer"} at ${startsAt} took place. This cannot be undone.`}
      </ConfirmDialog>
    </section>
  );
}
