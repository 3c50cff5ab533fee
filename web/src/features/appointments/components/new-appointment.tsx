// Booking by the team: service, staff (or anyone available), location, a free time of a chosen day,
// the customer (found, or added on the spot as a walk-in) and notes; optionally repeated every few
// weeks as a series, whose occurrences that could not be booked are listed. Opened from the
// calendar's empty times with ?staff_id=&start=&location_id=&service_id= (all optional).
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { EmptyState } from "../../../components/ui/empty-state";
import { Field } from "../../../components/ui/field";
import { NamedOptions } from "../../../components/ui/option-list";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { addDays, formatDateTime, localDate, todayIn } from "../../../lib/zoned";
import { useCustomer } from "../../customers/api/customers";
import { CustomerPicker } from "../../customers/components/customer-picker";
import { PlanRefusal } from "../../billing/components/plan-refusal";
import { planProblem } from "../../billing/lib/words";
import { useCreateAppointment, useCreateSeries, type Series, type Slot } from "../api/appointments";
import { dashboardLocale } from "../../../lib/format";
import { useNames, type Names } from "../lib/context";
import { occurrencesUntil } from "../lib/series";
import { conflictMessage } from "../lib/status";
import { SlotPicker } from "./slot-picker";
import "../appointments.css";

/** The API's bounds of a series (NewSeries). */
const MAX_COUNT = 52;
const MAX_EVERY_WEEKS = 12;

interface Values {
  service_id: string;
  staff_id: string;
  location_id: string;
  start_at: string;
  customer_id: string;
  notes: string;
  internal_notes: string;
  repeat: boolean;
  every_weeks: string;
  ends: "count" | "until";
  count: string;
  until: string;
}

const FIELDS = ["service_id", "staff_id", "location_id", "start_at", "customer_id", "notes", "internal_notes", "every_weeks", "count", "until"] as const;

export function NewAppointment() {
  const names = useNames();
  if (names.loading) return <Loading label="Loading…" />;
  if (!names.services.some((s) => s.active && !s.archived)) {
    return (
      <>
        <PageHeader title="New appointment" />
        <EmptyState title="No services yet" action={<Link className="btn btn-primary" to="/services?new=1">Add a service</Link>}>
          Add the services you offer first: every appointment is for one of them.
        </EmptyState>
      </>
    );
  }
  return <NewAppointmentForm names={names} />;
}

function NewAppointmentForm({ names }: { names: Names }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const toast = useToast();
  const locale = dashboardLocale();
  const createOne = useCreateAppointment();
  const createSeries = useCreateSeries();
  const services = names.services.filter((s) => s.active && !s.archived);
  const locations = names.locations.filter((l) => !l.archived);
  const known = <T extends { id: string }>(list: T[], id: string | null) => (id && list.some((x) => x.id === id) ? id : "");
  const start = params.get("start");
  const startValid = start !== null && !Number.isNaN(new Date(start).getTime());
  const initialLocation = known(locations, params.get("location_id"));

  const { register, handleSubmit, setError, setValue, watch, formState, getValues } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: {
      service_id: known(services, params.get("service_id")) || (services.length === 1 ? (services[0]?.id ?? "") : ""),
      staff_id: names.ownStaff?.id ?? known(names.staff, params.get("staff_id")),
      location_id: initialLocation,
      start_at: startValid ? new Date(start).toISOString() : "",
      customer_id: "",
      notes: "",
      internal_notes: "",
      repeat: false,
      every_weeks: "1",
      ends: "count",
      count: "4",
      until: "",
    },
  });
  const [customer, setCustomer] = useState<Schemas["CustomerRecord"] | null>(null);
  // Booked from a customer's page: that customer is chosen already.
  const given = useCustomer(params.get("customer_id") ?? "", { enabled: params.has("customer_id") });
  useEffect(() => {
    if (given.data && !given.data.erased_at) {
      setCustomer(given.data);
      setValue("customer_id", given.data.id);
    }
  }, [given.data, setValue]);
  const [message, setMessage] = useState<string | null>(null);
  const [planError, setPlanError] = useState<unknown>(null);
  const [report, setReport] = useState<Series | null>(null);
  // The free time picked: with "anyone" or "any location", the person and place it was offered with.
  const [picked, setPicked] = useState<Slot | null>(null);

  const [serviceId, staffId, locationId, startAt, repeat, ends] = watch(["service_id", "staff_id", "location_id", "start_at", "repeat", "ends"]);
  // One place: its zone. Several and none chosen: the business's, as the calendar shows them.
  const zone = names.zoneOf(locationId || (locations.length === 1 ? locations[0]?.id : null));
  const today = todayIn(zone);
  const [date, setDate] = useState(() => (startValid ? localDate(start, zone) : today));
  const service = services.find((s) => s.id === serviceId);
  const performers = names.ownStaff ? [names.ownStaff] : names.staff.filter((s) => s.active && service?.staff.some((p) => p.staff_id === s.id));
  const { errors } = formState;
  // Once submitted, a value set by a picker is checked again at once, so its error clears when fixed.
  const setOptions = { shouldValidate: formState.isSubmitted, shouldDirty: true };

  register("start_at", { required: "Choose a time." });
  register("customer_id", { required: "Choose a customer, or add a walk-in." });

  const seriesCount = (values: Values): number =>
    values.ends === "count" ? Number(values.count) : occurrencesUntil(localDate(values.start_at, zone), values.until, Number(values.every_weeks) || 1);

  const goToCalendar = (at: string) => navigate(`/calendar?date=${localDate(at, zone)}`);

  const submit = handleSubmit(async (values) => {
    setMessage(null);
    setPlanError(null);
    const offered = picked?.start_at === values.start_at ? picked : null;
    const common = {
      service_id: values.service_id,
      customer_id: values.customer_id,
      start_at: values.start_at,
      staff_id: values.staff_id || offered?.staff_id || null,
      location_id: values.location_id || offered?.location_id || null,
      notes: values.notes.trim() || null,
      internal_notes: values.internal_notes.trim() || null,
    };
    try {
      if (!values.repeat) {
        const booked = await createOne.mutateAsync(common);
        toast("Appointment booked.");
        void goToCalendar(booked.start_at);
        return;
      }
      const series = await createSeries.mutateAsync({ ...common, every_weeks: Number(values.every_weeks), count: seriesCount(values) });
      const first = series.booked[0];
      if (series.skipped.length === 0 && first) {
        toast(`Booked ${series.booked.length} appointments.`);
        void goToCalendar(first.start_at);
        return;
      }
      setReport(series);
    } catch (error) {
      if (error instanceof ApiError && (error.code === "slot_taken" || error.code === "slot_unavailable")) {
        setValue("start_at", "");
      }
      // Past the month's allowance, or the business suspended or expired: why, and where to fix it.
      if (planProblem(error)) {
        setPlanError(error);
        return;
      }
      setMessage(
        error instanceof ApiError && error.status === 422
          ? applyApiError(error, setError, FIELDS, (f) => (f === "count" && values.ends === "until" ? "until" : f))
          : conflictMessage(error),
      );
    }
  });

  if (report) return <SeriesReport series={report} zone={zone} locale={locale} onCalendar={goToCalendar} />;

  return (
    <>
      <PageHeader title="New appointment" />
      <form className="appt-new card" aria-label="New appointment" onSubmit={(e) => void submit(e)} noValidate>
        {message && <Alert tone="error">{message}</Alert>}
        {planError !== null && <PlanRefusal error={planError} />}
        <Field label="Service" error={errors.service_id?.message}>
          <select {...register("service_id", { required: "Choose a service." })}>
            <option value="">Choose a service…</option>
            <NamedOptions items={services} />
          </select>
        </Field>
        <Field label="Staff member" error={errors.staff_id?.message}>
          <select {...register("staff_id")}>
            {!names.ownStaff && <option value="">Anyone available</option>}
            {(staffId && !performers.some((s) => s.id === staffId) ? names.staff.filter((s) => s.id === staffId) : [])
              .concat(performers)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </Field>
        {locations.length > 1 && (
          <Field label="Location" error={errors.location_id?.message}>
            <select {...register("location_id")}>
              <option value="">Any location</option>
              <NamedOptions items={locations} />
            </select>
          </Field>
        )}
        <fieldset className="field">
          <legend className="field-legend">Time</legend>
          {serviceId ? (
            <SlotPicker
              query={{ serviceId, staffId: staffId || undefined, locationId: locationId || undefined, tz: zone }}
              date={date}
              onDateChange={setDate}
              today={today}
              selected={startAt || null}
              onPick={(slot) => {
                setPicked(slot);
                setValue("start_at", slot.start_at, setOptions);
              }}
              locale={locale}
              describe={(slot) => (staffId ? null : names.staffName(slot.staff_id))}
            />
          ) : (
            <p className="muted">Choose a service to see its free times.</p>
          )}
          <p className="appt-choice" aria-live="polite">
            {startAt ? `Chosen time: ${formatDateTime(startAt, zone, locale)}` : "No time chosen yet."}
          </p>
          {errors.start_at?.message && (
            <p className="field-error" role="alert">
              {errors.start_at.message}
            </p>
          )}
        </fieldset>
        <CustomerPicker
          value={customer}
          onChange={(c) => {
            setCustomer(c);
            setValue("customer_id", c?.id ?? "", setOptions);
          }}
        />
        {errors.customer_id?.message && (
          <p className="field-error" role="alert">
            {errors.customer_id.message}
          </p>
        )}
        <Field label="Customer's notes" optional error={errors.notes?.message}>
          <textarea rows={2} {...register("notes", { maxLength: { value: 2000, message: "Use at most 2000 characters." } })} />
        </Field>
        <Field label="Internal notes" optional hint="Only your team sees these." error={errors.internal_notes?.message}>
          <textarea rows={2} {...register("internal_notes", { maxLength: { value: 2000, message: "Use at most 2000 characters." } })} />
        </Field>
        <div className="check-row">
          <input type="checkbox" id="appt-repeat" {...register("repeat")} />
          <label htmlFor="appt-repeat">Repeat: book a recurring series</label>
        </div>
        {repeat && (
          <div className="appt-repeat">
            <Field label="Every how many weeks" error={errors.every_weeks?.message}>
              <input
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_EVERY_WEEKS}
                {...register("every_weeks", {
                  validate: (v) => (Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= MAX_EVERY_WEEKS) || `Use a whole number from 1 to ${MAX_EVERY_WEEKS}.`,
                })}
              />
            </Field>
            <Field label="Ends">
              <select {...register("ends")}>
                <option value="count">After a number of appointments</option>
                <option value="until">On a date</option>
              </select>
            </Field>
            {ends === "count" ? (
              <Field label="Number of appointments" hint="The first one included." error={errors.count?.message}>
                <input
                  type="number"
                  inputMode="numeric"
                  min={2}
                  max={MAX_COUNT}
                  {...register("count", {
                    validate: (v) => (Number.isInteger(Number(v)) && Number(v) >= 2 && Number(v) <= MAX_COUNT) || `Use a whole number from 2 to ${MAX_COUNT}.`,
                  })}
                />
              </Field>
            ) : (
              <Field label="Last date" error={errors.until?.message}>
                <input
                  type="date"
                  min={startAt ? addDays(localDate(startAt, zone), 7) : today}
                  {...register("until", {
                    validate: (v) => {
                      if (!v) return "Choose the date of the last appointment.";
                      if (!getValues("start_at")) return true;
                      const n = seriesCount({ ...getValues(), until: v });
                      if (n < 2) return "Choose a date after the next repeat, so there are at least two appointments.";
                      return n <= MAX_COUNT || `That makes ${n} appointments; a series holds at most ${MAX_COUNT}. Choose an earlier date.`;
                    },
                  })}
                />
              </Field>
            )}
          </div>
        )}
        <div className="form-buttons">
          <Button type="submit" variant="primary" busy={formState.isSubmitting}>
            {repeat ? "Book the series" : "Book appointment"}
          </Button>
          <Link className="btn btn-ghost" to="/calendar">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}

/** What a series booked, and each occurrence it skipped with the reason. */
function SeriesReport({ series, zone, locale, onCalendar }: { series: Series; zone: string; locale: string; onCalendar: (at: string) => void }) {
  const first = series.booked[0];
  const total = series.booked.length + series.skipped.length;
  return (
    <>
      <PageHeader title="Series booked" lead={`Booked ${series.booked.length} of ${total} appointments.`} />
      <div className="card appt-new">
        <Alert tone="warning" title={`${series.skipped.length} ${series.skipped.length === 1 ? "date was" : "dates were"} skipped`}>
          <ul className="appt-skipped">
            {series.skipped.map((s) => (
              <li key={s.start_at}>
                <strong>{formatDateTime(s.start_at, zone, locale)}</strong>: {s.message}
              </li>
            ))}
          </ul>
        </Alert>
        <div className="form-buttons">
          {first && (
            <>
              <Button variant="primary" onClick={() => onCalendar(first.start_at)}>
                Go to the calendar
              </Button>
              <Link className="btn btn-secondary" to={`/appointments/${first.id}`}>
                Open the first appointment
              </Link>
            </>
          )}
          {!first && (
            <Link className="btn btn-secondary" to="/calendar">
              Back to the calendar
            </Link>
          )}
        </div>
      </div>
    </>
  );
}
