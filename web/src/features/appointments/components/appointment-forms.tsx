// The panel's forms: cancel (with a reason, and for a series "this and following"), move to a free
// time, and edit the notes. Each sends the version the panel shows; a 409 is explained and the
// appointment is read again.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { NamedOptions } from "../../../components/ui/option-list";
import { ApiError } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { formatDateTime, localDate, todayIn } from "../../../lib/zoned";
import { useAppointmentChanges, type Appointment, type Slot } from "../api/appointments";
import type { Names } from "../lib/context";
import { conflictMessage, needsReload } from "../lib/status";
import { SlotPicker } from "./slot-picker";

interface FormProps {
  appointment: Appointment;
  onDone: (message: string) => void;
  onClose: () => void;
}

interface CancelValues {
  reason: string;
  scope: "this" | "following";
}

export function CancelForm({ appointment, onDone, onClose }: FormProps) {
  const { cancel, reload } = useAppointmentChanges(appointment.id);
  const { register, handleSubmit, setError, formState } = useForm<CancelValues>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { reason: "", scope: "this" },
  });
  const [message, setMessage] = useState<string | null>(null);

  const submit = handleSubmit(async (values) => {
    setMessage(null);
    try {
      const answer = await cancel.mutateAsync({ reason: values.reason.trim() || null, scope: values.scope, version: appointment.version });
      const others = (answer.cancelled?.length ?? 1) - 1;
      onDone(others > 0 ? `Cancelled, with ${others} later appointment${others === 1 ? "" : "s"} of the series.` : "Appointment cancelled.");
    } catch (error) {
      if (needsReload(error)) void reload();
      setMessage(error instanceof ApiError && error.status === 422 ? applyApiError(error, setError, ["reason", "scope"]) : conflictMessage(error));
    }
  });

  return (
    <form className="stack appt-form" aria-label="Cancel the appointment" onSubmit={(e) => void submit(e)} noValidate>
      <h3>Cancel this appointment</h3>
      {message && <Alert tone="error">{message}</Alert>}
      <Field label="Reason" optional hint="Kept in the appointment's history." error={formState.errors.reason?.message}>
        <textarea rows={2} {...register("reason", { maxLength: { value: 500, message: "Use at most 500 characters." } })} />
      </Field>
      {appointment.series_id && (
        <fieldset className="field">
          <legend>Which appointments</legend>
          <div className="check-row">
            <input type="radio" id="cancel-scope-this" value="this" {...register("scope")} />
            <label htmlFor="cancel-scope-this">Only this one</label>
          </div>
          <div className="check-row">
            <input type="radio" id="cancel-scope-following" value="following" {...register("scope")} />
            <label htmlFor="cancel-scope-following">This one and the later ones of the series</label>
          </div>
        </fieldset>
      )}
      <div className="form-buttons">
        <Button type="submit" variant="danger" size="sm" busy={formState.isSubmitting}>
          Cancel appointment
        </Button>
        <Button variant="ghost" size="sm" onClick={onClose}>
          Keep it
        </Button>
      </div>
    </form>
  );
}

export function RescheduleForm({ appointment, names, zone, locale, onDone, onClose }: FormProps & { names: Names; zone: string; locale: string }) {
  const { reschedule, reload } = useAppointmentChanges(appointment.id);
  const today = todayIn(zone);
  const own = localDate(appointment.start_at, zone);
  const [date, setDate] = useState(own < today ? today : own);
  const [staffId, setStaffId] = useState(appointment.staff_id);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const service = names.service(appointment.service_id);
  const performers = names.ownStaff
    ? [names.ownStaff]
    : names.staff.filter((s) => s.id === appointment.staff_id || (s.active && service?.staff.some((p) => p.staff_id === s.id)));

  const move = async () => {
    if (!slot) return;
    setMessage(null);
    try {
      const answer = await reschedule.mutateAsync({
        start_at: slot.start_at,
        staff_id: slot.staff_id,
        location_id: slot.location_id,
        version: appointment.version,
      });
      onDone(`Moved to ${formatDateTime(answer.start_at, zone, locale)}.`);
    } catch (error) {
      if (needsReload(error)) void reload();
      setSlot(null);
      setMessage(conflictMessage(error));
    }
  };

  return (
    <div className="stack appt-form" role="group" aria-label="Reschedule">
      <h3>Move to another time</h3>
      {message && <Alert tone="warning">{message}</Alert>}
      <Field label="Staff member">
        <select
          value={staffId}
          disabled={performers.length < 2}
          onChange={(e) => {
            setStaffId(e.target.value);
            setSlot(null);
          }}
        >
          <NamedOptions items={performers} />
        </select>
      </Field>
      <SlotPicker
        query={{ serviceId: appointment.service_id, staffId, tz: zone, excludeAppointmentId: appointment.id }}
        date={date}
        onDateChange={(next) => {
          setDate(next);
          setSlot(null);
        }}
        today={today}
        selected={slot?.start_at ?? null}
        onPick={setSlot}
        locale={locale}
        describe={(s) => (s.location_id !== appointment.location_id ? (names.location(s.location_id)?.name ?? null) : null)}
      />
      <p className="appt-choice" aria-live="polite">
        {slot ? `New time: ${formatDateTime(slot.start_at, zone, locale)} with ${names.staffName(slot.staff_id)}.` : "Choose a new time."}
      </p>
      <div className="form-buttons">
        <Button variant="primary" size="sm" disabled={!slot} busy={reschedule.isPending} onClick={() => void move()}>
          Move here
        </Button>
        <Button variant="ghost" size="sm" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </div>
  );
}

interface NotesValues {
  notes: string;
  internal_notes: string;
}

export function NotesForm({ appointment, onDone, onClose }: FormProps) {
  const { edit, reload } = useAppointmentChanges(appointment.id);
  const { register, handleSubmit, setError, formState } = useForm<NotesValues>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { notes: appointment.notes ?? "", internal_notes: appointment.internal_notes ?? "" },
  });
  const [message, setMessage] = useState<{ tone: "error" | "warning"; text: string } | null>(null);
  const limit = { maxLength: { value: 2000, message: "Use at most 2000 characters." } };

  const submit = handleSubmit(async (values) => {
    setMessage(null);
    try {
      await edit.mutateAsync({
        notes: values.notes.trim() || null,
        internal_notes: values.internal_notes.trim() || null,
        version: appointment.version,
      });
      onDone("Notes saved.");
    } catch (error) {
      if (needsReload(error)) {
        // What was shown is out of date: read it again; the text typed stays, to be saved over it.
        void reload();
        setMessage({ tone: "warning", text: conflictMessage(error) });
        return;
      }
      setMessage({ tone: "error", text: applyApiError(error, setError, ["notes", "internal_notes"]) });
    }
  });

  return (
    <form className="stack appt-form" aria-label="Edit the notes" onSubmit={(e) => void submit(e)} noValidate>
      <h3>Notes</h3>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Field label="Customer's notes" optional error={formState.errors.notes?.message}>
        <textarea rows={3} {...register("notes", limit)} />
      </Field>
      <Field label="Internal notes" optional hint="Only your team sees these." error={formState.errors.internal_notes?.message}>
        <textarea rows={3} {...register("internal_notes", limit)} />
      </Field>
      <div className="form-buttons">
        <Button type="submit" variant="primary" size="sm" busy={formState.isSubmitting}>
          Save notes
        </Button>
        <Button variant="ghost" size="sm" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
