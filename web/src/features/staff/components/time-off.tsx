// Time off: what has not ended yet, adding a range (whole days, or from a time to a time) and removing
// one. Times are typed on the staff member's wall clock and sent as instants of that zone, so a range
// across a DST change is right.
import { useState } from "react";
import { dashboardLocale } from "../../../lib/format";
import { Controller, useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { Field } from "../../../components/ui/field";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import type { Schemas } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { formatDateTime, formatDay, formatTime, localDate, todayIn, zonedTimeToInstant } from "../../../lib/zoned";
import { useAddTimeOff, useRemoveTimeOff, useTimeOff } from "../api/staff-member";
import { DateInput } from "./date-input";

type TimeOff = Schemas["TimeOff"];
type Kind = TimeOff["kind"];

const KINDS: Record<Kind, string> = { holiday: "Holiday", sickness: "Sickness", training: "Training", other: "Other" };

interface Values {
  all_day: boolean;
  start_date: string;
  end_date: string;
  start_time: string;
  end_time: string;
  kind: Kind;
  note: string;
}

const FIELDS = ["start_date", "end_date", "start_time", "end_time", "kind", "note"] as const;
const DATE_RULES = { required: "Choose a date.", pattern: { value: /^\d{4}-\d{2}-\d{2}$/, message: "Use a date like 2027-03-28." } };
const CLOCK = { value: /^([01][0-9]|2[0-3]):[0-5][0-9]$/, message: "Use a time like 09:30." };

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The body of POST /staff/{id}/time-off: dates for whole days, else instants of `timeZone`'s wall clock. */
export function timeOffBody(values: Values, timeZone: string): Schemas["TimeOffNew"] {
  const note = values.note.trim() || null;
  if (values.all_day) return { all_day: true, start_date: values.start_date, end_date: values.end_date, kind: values.kind, note };
  return {
    all_day: false,
    starts_at: zonedTimeToInstant(values.start_date, minutesOf(values.start_time), timeZone).toISOString(),
    ends_at: zonedTimeToInstant(values.end_date, minutesOf(values.end_time), timeZone).toISOString(),
    kind: values.kind,
    note,
  };
}

export function TimeOffSection({ staffId, timeZone }: { staffId: string; timeZone: string }) {
  const locale = dashboardLocale();
  const list = useTimeOff(staffId);
  const add = useAddTimeOff(staffId);
  const remove = useRemoveTimeOff(staffId);
  const toast = useToast();
  const [removing, setRemoving] = useState<TimeOff | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const today = todayIn(timeZone);
  const { register, control, handleSubmit, setError, reset, watch, getValues, formState: { errors, isSubmitting } } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { all_day: true, start_date: today, end_date: today, start_time: "09:00", end_time: "17:00", kind: "holiday", note: "" },
  });
  const allDay = watch("all_day");

  const describe = (t: TimeOff) => {
    if (t.all_day && t.start_date && t.end_date) {
      const first = formatDay(t.start_date, locale);
      return t.start_date === t.end_date ? `${first}, all day` : `${first} to ${formatDay(t.end_date, locale)}, all day`;
    }
    const sameDay = localDate(t.starts_at, timeZone) === localDate(t.ends_at, timeZone);
    const withYear = { year: "numeric" } as const;
    return `${formatDateTime(t.starts_at, timeZone, locale, withYear)} to ${sameDay ? formatTime(t.ends_at, timeZone, locale) : formatDateTime(t.ends_at, timeZone, locale, withYear)}`;
  };

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      await add.mutateAsync(timeOffBody(values, timeZone));
      toast("Time off added.");
      reset({ ...getValues(), note: "" });
    } catch (error) {
      // The API names the instants; the form has a date and a time for each.
      setFormError(applyApiError(error, setError, FIELDS, (f) => ({ starts_at: "start_time", ends_at: "end_time" })[f] ?? f));
    }
  });

  const confirmRemove = () => {
    if (!removing) return;
    setRemoveError(null);
    remove.mutate(removing.id, {
      onSuccess: () => {
        toast("Time off removed.");
        setRemoving(null);
      },
      onError: (error) => {
        setRemoveError(error.message);
        setRemoving(null);
      },
    });
  };

  return (
    <section className="card staff-section" aria-labelledby="time-off-title">
      <h2 className="card-title" id="time-off-title">
        Time off
      </h2>
      <p className="muted card-sub">Holidays, sickness and training: customers can't book these times. Times are in {timeZone} time.</p>
      {removeError && <Alert tone="error">{removeError}</Alert>}
      {list.isPending ? (
        <Loading label="Loading time off…" />
      ) : list.isError ? (
        <Alert tone="error" title="We couldn't load the time off.">{list.error.message}</Alert>
      ) : list.data.length === 0 ? (
        <p className="muted">No time off coming up.</p>
      ) : (
        <ul className="staff-list-plain" aria-label="Upcoming time off">
          {list.data.map((t) => (
            <li key={t.id}>
              <span>
                <strong>{KINDS[t.kind]}</strong>: {describe(t)}
                {t.note && <span className="muted"> · {t.note}</span>}
              </span>
              <Button size="sm" variant="danger-ghost" onClick={() => setRemoving(t)} aria-label={`Remove ${KINDS[t.kind].toLowerCase()}: ${describe(t)}`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}

      <form onSubmit={submit} noValidate aria-label="Add time off" className="staff-section">
        <h3 className="staff-subtitle">Add time off</h3>
        {formError && <Alert tone="error">{formError}</Alert>}
        <div className="field">
          <label className="check-row">
            <input type="checkbox" {...register("all_day")} />
            Whole days
          </label>
        </div>
        <div className="staff-block">
          <Controller
            control={control}
            name="start_date"
            rules={DATE_RULES}
            render={({ field }) => (
              <Field label={allDay ? "First day" : "From (date)"} error={errors.start_date?.message}>
                <DateInput value={field.value} onChange={field.onChange} onBlur={field.onBlur} name={field.name} ref={field.ref} min={today} />
              </Field>
            )}
          />
          {!allDay && (
            <Field label="From (time)" error={errors.start_time?.message}>
              <input type="time" {...register("start_time", { required: "Enter a start time.", pattern: CLOCK })} />
            </Field>
          )}
          <Controller
            control={control}
            name="end_date"
            rules={DATE_RULES}
            render={({ field }) => (
              <Field label={allDay ? "Last day" : "Until (date)"} error={errors.end_date?.message}>
                <DateInput value={field.value} onChange={field.onChange} onBlur={field.onBlur} name={field.name} ref={field.ref} min={today} />
              </Field>
            )}
          />
          {!allDay && (
            <Field label="Until (time)" error={errors.end_time?.message}>
              <input type="time" {...register("end_time", { required: "Enter an end time.", pattern: CLOCK })} />
            </Field>
          )}
        </div>
        <div className="staff-grid">
          <Field label="Reason" error={errors.kind?.message}>
            <select {...register("kind")}>
              {(Object.keys(KINDS) as Kind[]).map((k) => (
                <option key={k} value={k}>
                  {KINDS[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Note" optional error={errors.note?.message}>
            <input type="text" {...register("note", { maxLength: { value: 500, message: "Use at most 500 characters." } })} />
          </Field>
        </div>
        <Button type="submit" variant="primary" busy={isSubmitting}>
          Add time off
        </Button>
      </form>

      <ConfirmDialog
        open={removing !== null}
        title="Remove this time off?"
        confirmLabel="Remove time off"
        danger
        busy={remove.isPending}
        onConfirm={confirmRemove}
        onClose={() => setRemoving(null)}
      >
        {removing && (
          <p>
            {KINDS[removing.kind]}: {describe(removing)}. Customers will be able to book this time again.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
