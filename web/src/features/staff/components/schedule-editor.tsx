// The weekly hours (blocks per weekday and location, with breaks) and the dated overrides (a day
// off, or other hours on one date), saved together by PUT /staff/{id}/schedule. Times are wall-clock
// "HH:MM" at the location. The rows keep the order they are sent in, so a 422's `weekly.2.end` lands
// on the third block's end.
import { useState } from "react";
import { dashboardLocale } from "../../../lib/format";
import { Controller, useFieldArray, useForm, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { NamedOptions } from "../../../components/ui/option-list";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { formatDay, formatTime, todayIn, zonedTimeToInstant } from "../../../lib/zoned";
import type { Location } from "../../locations/api/locations";
import type { StaffMember } from "../api/staff";
import { useReplaceSchedule } from "../api/staff-member";
import { DateInput } from "./date-input";

interface Interval {
  start: string;
  end: string;
}
interface Block {
  location_id: string;
  weekday: number;
  start: string;
  end: string;
  breaks: Interval[];
}
interface DayChange {
  date: string;
  kind: "off" | "hours";
  location_id: string;
  intervals: Interval[];
}
export interface ScheduleValues {
  weekly: Block[];
  overrides: DayChange[];
}

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
const CLOCK = { value: /^([01][0-9]|2[0-3]):[0-5][0-9]$/, message: "Use a time like 09:30." };

const minutesOf = (clock: string) => {
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The form's values; a day off keeps a location ready in case it becomes "different hours". */
function valuesOf(schedule: Schemas["Schedule"], fallbackLocation: string): ScheduleValues {
  return {
    weekly: schedule.weekly.map((b) => ({ location_id: b.location_id, weekday: b.weekday, start: b.start, end: b.end, breaks: b.breaks.map(({ start, end }) => ({ start, end })) })),
    overrides: schedule.overrides.map((o) => ({
      date: o.date,
      kind: o.intervals.length ? "hours" : "off",
      location_id: o.location_id ?? fallbackLocation,
      intervals: o.intervals.map(({ start, end }) => ({ start, end })),
    })),
  };
}

/** The body of PUT /staff/{id}/schedule, row for row in the form's order. */
export function scheduleBody(values: ScheduleValues): Schemas["StaffSchedule"] {
  return {
    weekly: values.weekly.map((b) => ({ location_id: b.location_id, weekday: b.weekday, start: b.start, end: b.end, breaks: b.breaks })),
    overrides: values.overrides.map((o) =>
      o.kind === "off" ? { date: o.date, location_id: null, intervals: [] } : { date: o.date, location_id: o.location_id || null, intervals: o.intervals },
    ),
  };
}

/** Every input of the form, by the API's path for it. */
function fieldNames(values: ScheduleValues): string[] {
  const names: string[] = [];
  values.weekly.forEach((b, i) => {
    names.push(`weekly.${i}.location_id`, `weekly.${i}.start`, `weekly.${i}.end`);
    b.breaks.forEach((_, k) => names.push(`weekly.${i}.breaks.${k}.start`, `weekly.${i}.breaks.${k}.end`));
  });
  values.overrides.forEach((o, i) => {
    names.push(`overrides.${i}.date`, `overrides.${i}.location_id`);
    o.intervals.forEach((_, k) => names.push(`overrides.${i}.intervals.${k}.start`, `overrides.${i}.intervals.${k}.end`));
  });
  return names;
}

/** A reason about a whole row ("weekly.1": overlaps…) goes onto that row's first input. */
function toInput(path: string): string {
  if (/^weekly\.\d+$/.test(path) || /^weekly\.\d+\.breaks\.\d+$/.test(path) || /^overrides\.\d+\.intervals\.\d+$/.test(path)) return `${path}.start`;
  if (/^weekly\.\d+\.weekday$/.test(path)) return path.replace(/weekday$/, "start");
  if (/^overrides\.\d+$/.test(path) || /^overrides\.\d+\.intervals$/.test(path)) return `${path.split(".").slice(0, 2).join(".")}.date`;
  return path;
}

export function ScheduleEditor({ member, schedule, locations, timeZone }: { member: StaffMember; schedule: Schemas["Schedule"]; locations: Location[]; timeZone: string }) {
  const locale = dashboardLocale();
  const replace = useReplaceSchedule(member.id);
  const toast = useToast();
  const [formError, setFormError] = useState<string | null>(null);
  const theirs = locations.filter((l) => member.location_ids.includes(l.id));
  const firstLocation = theirs[0]?.id ?? "";
  const { register, control, handleSubmit, setError, reset, getValues, formState: { errors, isSubmitting, isDirty } } = useForm<ScheduleValues>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: valuesOf(schedule, firstLocation),
  });
  const weekly = useFieldArray({ control, name: "weekly" });
  const overrides = useFieldArray({ control, name: "overrides" });
  const today = todayIn(timeZone);

  /** "09:00" as every time in the app is written. */
  const clock = (time: string) => formatTime(zonedTimeToInstant("2000-01-03", minutesOf(time), "UTC"), "UTC", locale);
  const span = (i: Interval | undefined) => (i ? `${clock(i.start)}–${clock(i.end)}` : "another entry");

  /** The API names rows by index ("overlaps weekly.0"): say which ones in words. */
  const reword = (reason: string, values: ScheduleValues) =>
    reason
      .replace(/weekly\.(\d+)\.breaks\.(\d+)/g, (_m, i: string, k: string) => `the break ${span(values.weekly[Number(i)]?.breaks[Number(k)])}`)
      .replace(/weekly\.(\d+)/g, (_m, i: string) => {
        const b = values.weekly[Number(i)];
        return b ? `the ${WEEKDAYS[b.weekday - 1]} hours ${span(b)}` : "another block";
      })
      .replace(/overrides\.(\d+)\.intervals\.(\d+)/g, (_m, i: string, k: string) => `the hours ${span(values.overrides[Number(i)]?.intervals[Number(k)])}`)
      .replace(/overrides\.(\d+)/g, (_m, i: string) => {
        const o = values.overrides[Number(i)];
        return o?.date ? `the change on ${formatDay(o.date, locale)}` : "another date";
      });

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const saved = await replace.mutateAsync(scheduleBody(values));
      reset(valuesOf(saved, firstLocation));
      toast("Working hours saved.");
    } catch (error) {
      const named =
        error instanceof ApiError
          ? new ApiError(error.message, {
              status: error.status,
              code: error.code,
              details: { ...error.details, fields: Object.fromEntries(Object.entries(error.fields).map(([f, r]) => [f, reword(r, values)])) },
            })
          : error;
      setFormError(applyApiError(named, setError, fieldNames(values), toInput));
    }
  });

  if (theirs.length === 0) {
    return (
      <Alert tone="info" title="Choose where they work first">
        Working hours belong to a location. Tick at least one location in the profile above and save it
        {locations.length === 0 && (
          <>
            , or <Link to="/locations?new=1">add your first location</Link>
          </>
        )}
        .
      </Alert>
    );
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Working hours">
      {formError && <Alert tone="error">{formError}</Alert>}
      <h3 className="staff-subtitle">Every week</h3>
      <p className="muted">Times are the local time at each location. A day with no hours is a day off.</p>
      {WEEKDAYS.map((dayName, d) => {
        const weekday = d + 1;
        const rows = weekly.fields.map((f, i) => ({ f, i })).filter(({ f }) => f.weekday === weekday);
        return (
          <div className="staff-day staff-week-day" key={dayName} role="group" aria-label={dayName}>
            <h4>{dayName}</h4>
            <div>
              {rows.length === 0 && <p className="muted">Not working</p>}
              {rows.map(({ f, i }) => (
                <BlockRow
                  key={f.id}
                  index={i}
                  dayName={dayName}
                  control={control}
                  register={register}
                  errors={errors}
                  locations={theirs}
                  onRemove={() => weekly.remove(i)}
                />
              ))}
              <Button
                size="sm"
                variant="ghost"
                onClick={() => {
                  // A second block that day starts where the last one ends, an hour long to begin with.
                  const last = getValues("weekly").filter((b) => b.weekday === weekday).at(-1);
                  const start = last?.end || "09:00";
                  const end = last ? hhmm(Math.min(minutesOf(start) + 60, 23 * 60 + 59)) : "17:00";
                  weekly.append({ location_id: firstLocation, weekday, start, end, breaks: [] }, { shouldFocus: false });
                }}
              >
                Add hours on {dayName}
              </Button>
            </div>
          </div>
        );
      })}

      <h3 className="staff-subtitle">Changes on a date</h3>
      <p className="muted">A day off, or different hours on one date, instead of the weekly hours. Past dates are kept as history.</p>
      {overrides.fields.length === 0 && <p className="muted">No changes planned.</p>}
      {overrides.fields.map((f, i) => (
        <OverrideRow
          key={f.id}
          index={i}
          control={control}
          register={register}
          errors={errors}
          locations={theirs}
          today={today}
          onRemove={() => overrides.remove(i)}
        />
      ))}
      <Button size="sm" variant="ghost" onClick={() => overrides.append({ date: "", kind: "off", location_id: firstLocation, intervals: [{ start: "09:00", end: "17:00" }] }, { shouldFocus: false })}>
        Add a date
      </Button>

      <div className="form-buttons staff-section">
        <Button type="submit" variant="primary" busy={isSubmitting}>
          Save working hours
        </Button>
        {isDirty && (
          <Button variant="ghost" onClick={() => reset()}>
            Undo changes
          </Button>
        )}
      </div>
    </form>
  );
}

interface RowProps {
  index: number;
  control: Control<ScheduleValues>;
  register: UseFormRegister<ScheduleValues>;
  errors: FieldErrors<ScheduleValues>;
  locations: Location[];
  onRemove: () => void;
}

function BlockRow({ index, dayName, control, register, errors, locations, onRemove }: RowProps & { dayName: string }) {
  const breaks = useFieldArray({ control, name: `weekly.${index}.breaks` });
  const e = errors.weekly?.[index];
  return (
    <div className="staff-block">
      {locations.length > 1 && (
        <Field label="Location" error={e?.location_id?.message}>
          <select {...register(`weekly.${index}.location_id`, { required: "Choose a location." })}>
            <NamedOptions items={locations} />
          </select>
        </Field>
      )}
      <Field label={`${dayName} from`} error={e?.start?.message}>
        <input type="time" {...register(`weekly.${index}.start`, { required: "Enter a start time.", pattern: CLOCK })} />
      </Field>
      <Field label="until" error={e?.end?.message}>
        <input type="time" {...register(`weekly.${index}.end`, { required: "Enter an end time.", pattern: CLOCK })} />
      </Field>
      <Button size="sm" variant="danger-ghost" onClick={onRemove} aria-label={`Remove these ${dayName} hours`}>
        Remove
      </Button>
      <div className="staff-breaks">
        {breaks.fields.map((f, k) => (
          <div className="staff-block" key={f.id}>
            <Field label="Break from" error={e?.breaks?.[k]?.start?.message}>
              <input type="time" {...register(`weekly.${index}.breaks.${k}.start`, { required: "Enter a start time.", pattern: CLOCK })} />
            </Field>
            <Field label="until" error={e?.breaks?.[k]?.end?.message}>
              <input type="time" {...register(`weekly.${index}.breaks.${k}.end`, { required: "Enter an end time.", pattern: CLOCK })} />
            </Field>
            <Button size="sm" variant="danger-ghost" onClick={() => breaks.remove(k)} aria-label={`Remove this ${dayName} break`}>
              Remove break
            </Button>
          </div>
        ))}
        <div>
          <Button size="sm" variant="ghost" onClick={() => breaks.append({ start: "12:00", end: "13:00" }, { shouldFocus: false })}>
            Add a break
          </Button>
        </div>
      </div>
    </div>
  );
}

function OverrideRow({ index, control, register, errors, locations, today, onRemove }: RowProps & { today: string }) {
  const intervals = useFieldArray({ control, name: `overrides.${index}.intervals` });
  const e = errors.overrides?.[index];
  return (
    <Controller
      control={control}
      name={`overrides.${index}.kind`}
      render={({ field: kind }) => (
        <div className="staff-day" role="group" aria-label={`Change ${index + 1}`}>
          <div className="staff-block">
            <Controller
              control={control}
              name={`overrides.${index}.date`}
              rules={{ required: "Choose a date.", pattern: { value: /^\d{4}-\d{2}-\d{2}$/, message: "Use a date like 2027-03-28." } }}
              render={({ field }) => (
                <Field label="Date" error={e?.date?.message}>
                  <DateInput value={field.value} onChange={field.onChange} onBlur={field.onBlur} name={field.name} ref={field.ref} min={today} />
                </Field>
              )}
            />
            <Field label="That day">
              <select value={kind.value} onChange={(ev) => kind.onChange(ev.target.value)}>
                <option value="off">Day off</option>
                <option value="hours">Different hours</option>
              </select>
            </Field>
            {kind.value === "hours" && locations.length > 1 && (
              <Field label="Location" error={e?.location_id?.message}>
                <select {...register(`overrides.${index}.location_id`, { required: "Choose a location." })}>
                  <NamedOptions items={locations} />
                </select>
              </Field>
            )}
            <Button size="sm" variant="danger-ghost" onClick={onRemove} aria-label={`Remove change ${index + 1}`}>
              Remove
            </Button>
          </div>
          {kind.value === "hours" && (
            <div className="staff-breaks">
              {locations.length === 1 && e?.location_id?.message && (
                <p className="field-error" role="alert">
                  {e.location_id.message}
                </p>
              )}
              {intervals.fields.map((f, k) => (
                <div className="staff-block" key={f.id}>
                  <Field label="From" error={e?.intervals?.[k]?.start?.message}>
                    <input type="time" {...register(`overrides.${index}.intervals.${k}.start`, { required: "Enter a start time.", pattern: CLOCK })} />
                  </Field>
                  <Field label="until" error={e?.intervals?.[k]?.end?.message}>
                    <input type="time" {...register(`overrides.${index}.intervals.${k}.end`, { required: "Enter an end time.", pattern: CLOCK })} />
                  </Field>
                  {intervals.fields.length > 1 && (
                    <Button size="sm" variant="danger-ghost" onClick={() => intervals.remove(k)}>
                      Remove these hours
                    </Button>
                  )}
                </div>
              ))}
              <div>
                <Button size="sm" variant="ghost" onClick={() => intervals.append({ start: "", end: "" }, { shouldFocus: false })}>
                  Add more hours that day
                </Button>
              </div>
            </div>
          )}
        </div>
      )}
    />
  );
}
