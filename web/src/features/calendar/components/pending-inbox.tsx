// "/appointments/pending": booking requests waiting for the business (services that need
// confirmation), from today on, each confirmed or declined here. Declining cancels the request on
// the business's side, with an optional reason kept on it.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { EmptyState } from "../../../components/ui/empty-state";
import { Field } from "../../../components/ui/field";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { applyApiError } from "../../../lib/forms";
import { useMe } from "../../../lib/session";
import { addDays, formatDay, formatTimeRange, localDate, todayIn, zoneName } from "../../../lib/zoned";
import { useServices } from "../../services/api/services";
import { useStaffList } from "../../staff/api/staff";
import { useAppointments, useConfirmAppointment, useDeclineAppointment, type Appointment } from "../api/calendar";
import { dashboardLocale } from "../../../lib/format";
import { countWords } from "../lib/view";
import "./calendar.css";

/** How far ahead the inbox looks (the API lists at most 366 days at once). */
const AHEAD_DAYS = 365;

export function PendingInbox() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (!me.data) return <Alert tone="error" title="We couldn't load your account.">{me.error?.message}</Alert>;
  return <Inbox timeZone={me.data.business.time_zone} />;
}

function Inbox({ timeZone }: { timeZone: string }) {
  const locale = dashboardLocale();
  const today = todayIn(timeZone);
  const pending = useAppointments({ from: today, to: addDays(today, AHEAD_DAYS), tz: timeZone, status: "pending" });
  const services = useServices({ includeArchived: true });
  const staff = useStaffList({ includeInactive: true });
  const confirm = useConfirmAppointment();
  const toast = useToast();
  const [failure, setFailure] = useState<string | null>(null);
  const [declining, setDeclining] = useState<Appointment | null>(null);

  const serviceName = (id: string) => services.data?.find((s) => s.id === id)?.name ?? "Appointment";
  const staffName = (id: string) => staff.data?.find((s) => s.id === id)?.name ?? "Former staff member";
  const requests = (pending.data ?? []).filter((a) => a.status === "pending");

  const onConfirm = (appointment: Appointment) => {
    setFailure(null);
    confirm.mutate(appointment, {
      onSuccess: () => toast(`Confirmed ${appointment.customer?.name ?? "the customer"}'s booking.`),
      onError: (error) => setFailure(error.message),
    });
  };

  return (
    <div className="page page-pending">
      <PageHeader
        title="Pending requests"
        lead={`Bookings waiting for your confirmation. Times in ${zoneName(timeZone)} time.`}
        actions={<Link className="btn btn-secondary" to="/calendar">Open the calendar</Link>}
      />
      {failure && (
        <Alert tone="error" title="That didn't work.">
          {failure}
        </Alert>
      )}
      {pending.isPending ? (
        <Loading label="Loading the requests…" />
      ) : pending.error ? (
        <Alert tone="error" title="We couldn't load the requests." actions={<Button size="sm" onClick={() => void pending.refetch()}>Try again</Button>}>
          {pending.error.message}
        </Alert>
      ) : requests.length === 0 ? (
        <EmptyState title="No pending requests">
          When a customer books a service that needs your confirmation, the request waits here for you to confirm or decline it.
        </EmptyState>
      ) : (
        <>
          <p className="muted">{countWords(requests.length, "request", "requests")} waiting.</p>
          <ul className="pending-list" aria-label="Pending requests">
            {requests.map((a) => {
              const who = a.customer?.name ?? "Customer";
              return (
                <li key={a.id} className="card pending-item">
                  <div className="pending-what">
                    <span className="pending-when">
                      {formatDay(localDate(a.start_at, timeZone), locale, { weekday: "short", day: "numeric", month: "short" })},{" "}
                      {formatTimeRange(a.start_at, a.end_at, timeZone, locale)}
                    </span>
                    <span>
                      <strong>{serviceName(a.service_id)}</strong> with {staffName(a.staff_id)}
                    </span>
                    <span>
                      <Link to={`/customers/${a.customer_id}`}>{who}</Link>
                      {a.customer?.phone && (
                        <>
                          {" · "}
                          <a href={`tel:${a.customer.phone}`}>{a.customer.phone}</a>
                        </>
                      )}
                      {a.customer?.email && (
                        <>
                          {" · "}
                          <a href={`mailto:${a.customer.email}`}>{a.customer.email}</a>
                        </>
                      )}
                    </span>
                    {a.notes && <span className="muted">“{a.notes}”</span>}
                  </div>
                  <div className="pending-actions">
                    <Button
                      variant="primary"
                      busy={confirm.isPending && confirm.variables?.id === a.id}
                      aria-label={`Confirm ${who}'s booking`}
                      onClick={() => onConfirm(a)}
                    >
                      Confirm
                    </Button>
                    <Button variant="danger-ghost" aria-label={`Decline ${who}'s booking`} onClick={() => setDeclining(a)}>
                      Decline…
                    </Button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {declining && <DeclineDialog appointment={declining} onClose={() => setDeclining(null)} />}
    </div>
  );
}

interface DeclineFields {
  reason: string;
}

function DeclineDialog({ appointment, onClose }: { appointment: Appointment; onClose: () => void }) {
  const decline = useDeclineAppointment();
  const toast = useToast();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<DeclineFields>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { reason: "" },
  });
  const who = appointment.customer?.name ?? "the customer";
  const submit = handleSubmit(async ({ reason }) => {
    setFormError(null);
    try {
      await decline.mutateAsync({ appointment, reason: reason.trim() || null });
      toast(`Declined ${who}'s request.`);
      onClose();
    } catch (error) {
      setFormError(applyApiError(error, setError, ["reason"]));
    }
  });
  return (
    <Dialog open title={`Decline ${who}'s request?`} onClose={onClose}>
      <form onSubmit={submit} noValidate className="stack">
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field label="Reason" optional hint="Kept with the cancelled appointment." error={formState.errors.reason?.message}>
          <textarea rows={3} {...register("reason", { maxLength: { value: 500, message: "At most 500 characters." } })} />
        </Field>
        <div className="form-buttons">
          <Button type="submit" variant="danger" busy={formState.isSubmitting}>
            Decline request
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Keep it
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
