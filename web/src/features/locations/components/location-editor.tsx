// "/locations/:locationId" ("new": create): name, address, phone, time zone and weekly opening hours
// (several ranges a day for a lunch closing, closed days, or no set hours at all), and archiving.
// Saving sends a PATCH with the `version` the form was loaded at: someone else's change in between
// is a 409, and the form offers to reload.
import { useMemo, useState } from "react";
import { useFieldArray, useForm, useWatch, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { Field } from "../../../components/ui/field";
import { OptionList } from "../../../components/ui/option-list";
import { PageHeader } from "../../../components/ui/page-header";
import { RecordLoader } from "../../../components/ui/record-loader";
import { SaveBar } from "../../../components/ui/save-bar";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError } from "../../../lib/api-client";
import { dashboardLocale, roleAtLeast } from "../../../lib/format";
import { applyApiError } from "../../../lib/forms";
import { timeZoneOptions } from "../../../lib/options";
import { useMe } from "../../../lib/session";
import { PlanRefusal } from "../../billing/components/plan-refusal";
import { planProblem } from "../../billing/lib/words";
import { locationKey, useLocationDetail, useLocationWrites, type Location } from "../api/locations";
import { weekdayNames } from "./hours";
import {
  locationBody,
  locationFieldNames,
  locationFieldOf,
  locationValues,
  overlapping,
  PHONE_PATTERN,
  type LocationValues,
} from "./location-values";
import "./locations.css";

export function LocationEditor({ locationId }: { locationId: string }) {
  return locationId === "new" ? <LoadedEditor location={null} reload={null} /> : <ExistingLocation locationId={locationId} />;
}

function ExistingLocation({ locationId }: { locationId: string }) {
  const query = useLocationDetail(locationId);
  return (
    <RecordLoader
      query={query}
      loading="Loading the location…"
      failure="We couldn't load this location."
      title="Location"
      back={{ to: "/locations", label: "Back to locations" }}
    >
      {(location, reload) => <LoadedEditor location={location} reload={reload} />}
    </RecordLoader>
  );
}

function LoadedEditor({ location, reload }: { location: Location | null; reload: (() => Promise<Location | undefined>) | null }) {
  const me = useMe();
  if (me.isPending) return <Loading label="Loading…" />;
  if (me.isError) {
    return (
      <div className="page">
        <PageHeader title={location?.name ?? "New location"} />
        <Alert tone="error" title="We couldn't load your business.">{me.error.message}</Alert>
      </div>
    );
  }
  return (
    <LocationForm location={location} reload={reload} businessZone={me.data.business.time_zone} canEdit={roleAtLeast(me.data.role, "admin")} />
  );
}

function LocationForm({
  location,
  reload,
  businessZone,
  canEdit,
}: {
  location: Location | null;
  reload: (() => Promise<Location | undefined>) | null;
  businessZone: string;
  canEdit: boolean;
}) {
  const writes = useLocationWrites();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const locale = dashboardLocale();
  const [base, setBase] = useState(location);
  const [formError, setFormError] = useState<string | null>(null);
  const [planError, setPlanError] = useState<unknown>(null);
  const [stale, setStale] = useState(false);
  const [reloading, setReloading] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const form = useForm<LocationValues>({ mode: "onSubmit", reValidateMode: "onChange", defaultValues: locationValues(location, businessZone) });
  const { register, control, handleSubmit, setError, reset, watch, formState } = form;
  const { errors, isSubmitting } = formState;
  const readOnly = !canEdit || Boolean(base?.archived);
  const zones = useMemo(() => timeZoneOptions(location?.time_zone ?? businessZone), [location, businessZone]);
  const names = useMemo(() => weekdayNames(locale), [locale]);
  const hoursMode = watch("hours_mode");

  const invalidate = () => queryClient.invalidateQueries({ queryKey: ["locations"] });

  const onSubmit = async (values: LocationValues) => {
    setFormError(null);
    setPlanError(null);
    setStale(false);
    const { body, places } = locationBody(values);
    try {
      if (!base) {
        const created = await writes.create(body);
        await invalidate();
        toast(`“${created.name}” was added.`);
        navigate("/locations");
        return;
      }
      const saved = await writes.update(base.id, { ...body, version: base.version });
      setBase(saved);
      queryClient.setQueryData(locationKey(saved.id), saved);
      await invalidate();
      reset(locationValues(saved, businessZone));
      toast("Changes saved.");
    } catch (error) {
      if (error instanceof ApiError && error.code === "stale_version") setStale(true);
      else if (planProblem(error)) setPlanError(error);
      else setFormError(applyApiError(error, setError, locationFieldNames(values), (f) => locationFieldOf(f, places)));
    }
  };

  const reloadLocation = async () => {
    if (!reload) return;
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) {
        setBase(fresh);
        reset(locationValues(fresh, businessZone));
        setStale(false);
        setFormError(null);
      }
    } finally {
      setReloading(false);
    }
  };

  const archive = async () => {
    if (!base) return;
    setArchiving(true);
    try {
      await writes.archive(base.id);
      await invalidate();
      toast(`“${base.name}” was archived.`);
      navigate("/locations");
    } catch (error) {
      setConfirming(false);
      setFormError(error instanceof Error ? error.message : "The location couldn't be archived.");
    } finally {
      setArchiving(false);
    }
  };

  return (
    <div className="page location-editor">
      <PageHeader
        title={base ? base.name : "New location"}
        lead={base ? "Where appointments happen, in which time zone, and when it's open." : "Add a place where customers come for appointments."}
        actions={
          <Link className="btn btn-ghost" to="/locations">
            All locations
          </Link>
        }
      />
      {base?.archived && (
        <Alert tone="warning" title="This location is archived.">
          It can no longer be booked or changed. Its past appointments and staff hours keep it.
        </Alert>
      )}
      {!canEdit && !base?.archived && <Alert tone="info">Only the owner and admins can change locations.</Alert>}
      {stale && (
        <Alert
          tone="error"
          title="Someone else changed this location while you were editing."
          actions={
            <Button size="sm" busy={reloading} onClick={() => void reloadLocation()}>
              Reload the location
            </Button>
          }
        >
          Reload to see their changes, then make yours again. Reloading discards what you typed here.
        </Alert>
      )}
      <form className="card location-form" noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)}>
        <fieldset disabled={readOnly} className="location-fieldset">
          <section className="form-section" aria-labelledby="location-about">
            <div className="form-section-intro">
              <h2 id="location-about">The place</h2>
              <p className="muted">Customers see these on your booking page and in their confirmations.</p>
            </div>
            <div className="form-section-fields">
              <Field label="Name" error={errors.name?.message} hint="Like “Soho” or “Main street studio”.">
                <input
                  type="text"
                  autoComplete="off"
                  {...register("name", {
                    validate: (v) => v.trim() !== "" || "Give the location a name.",
                    maxLength: { value: 120, message: "Use at most 120 characters." },
                  })}
                />
              </Field>
              <Field label="Address" optional error={errors.address?.message}>
                <textarea rows={2} autoComplete="street-address" {...register("address", { maxLength: { value: 300, message: "Use at most 300 characters." } })} />
              </Field>
              <Field label="Phone" optional error={errors.phone?.message}>
                <input
                  type="tel"
                  autoComplete="tel"
                  {...register("phone", {
                    validate: (v) => v.trim() === "" || PHONE_PATTERN.test(v.trim()) || "Use digits, spaces and + ( ) . / - only, like +44 20 7946 0012.",
                  })}
                />
              </Field>
              <Field
                label="Time zone"
                error={errors.time_zone?.message}
                hint="Opening hours, staff hours and appointments here are in this zone's local time."
              >
                <select {...register("time_zone")}>
                  <OptionList options={zones} />
                </select>
              </Field>
            </div>
          </section>

          <section className="form-section" aria-labelledby="location-hours">
            <div className="form-section-intro">
              <h2 id="location-hours">Opening hours</h2>
              <p className="muted">Customers can book only while the location is open and the person they book is working.</p>
            </div>
            <div className="form-section-fields">
              <fieldset className="hours-mode">
                <legend className="field-legend">When is it open?</legend>
                <label className="check-row">
                  <input type="radio" value="set" {...register("hours_mode")} />
                  On the days and times below
                </label>
                <label className="check-row">
                  <input type="radio" value="none" {...register("hours_mode")} />
                  No set hours: whenever staff work here
                </label>
              </fieldset>
              {hoursMode === "set" && (
                <ul className="hours-days" aria-label="Opening hours by weekday">
                  {names.map((name, d) => (
                    <DayRow key={name} day={d} name={name} control={control} register={register} errors={errors} />
                  ))}
                </ul>
              )}
            </div>
          </section>
        </fieldset>
        {formError && (
          <div className="location-form-alert">
            <Alert tone="error">{formError}</Alert>
          </div>
        )}
        {planError !== null && (
          <div className="location-form-alert">
            <PlanRefusal error={planError} />
          </div>
        )}
        {!readOnly && (
          <SaveBar busy={isSubmitting} label={base ? "Save changes" : "Add location"} />
        )}
      </form>
      {base && !readOnly && (
        <section className="card danger-zone" aria-labelledby="location-archive">
          <h2 id="location-archive">Archive this location</h2>
          <p className="muted">Archived locations can't be booked or changed. Past appointments and staff hours keep them.</p>
          <Button variant="danger-ghost" onClick={() => setConfirming(true)}>
            Archive location
          </Button>
        </section>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Archive “${base?.name ?? ""}”?`}
        confirmLabel="Archive"
        danger
        busy={archiving}
        onConfirm={() => void archive()}
        onClose={() => setConfirming(false)}
      >
        Customers will no longer be able to book here, and it can't be changed afterwards. Existing appointments are kept.
      </ConfirmDialog>
    </div>
  );
}

/** One weekday: open or closed, and its ranges (two or more for a lunch closing). */
function DayRow({
  day,
  name,
  control,
  register,
  errors,
}: {
  day: number;
  name: string;
  control: Control<LocationValues>;
  register: UseFormRegister<LocationValues>;
  errors: FieldErrors<LocationValues>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: `days.${day}.ranges` });
  const current = useWatch({ control, name: `days.${day}` });
  const open = current?.open ?? false;
  // A range's check reads the whole day, so a change to one range re-checks the others.
  const dayFields = fields.flatMap((_f, r) => [`days.${day}.ranges.${r}.opens` as const, `days.${day}.ranges.${r}.closes` as const]);
  const dayErrors = errors.days?.[day]?.ranges;
  const lastEnd = current?.ranges[current.ranges.length - 1]?.closes || "12:00";
  return (
    <li className="hours-day">
      <label className="check-row hours-day-name">
        <input type="checkbox" {...register(`days.${day}.open`)} />
        {name}
      </label>
      {open ? (
        <div className="hours-ranges">
          {fields.map((field, r) => {
            const rangeErrors = dayErrors?.[r];
            return (
              <div key={field.id} className="hours-range">
                <Field label={`${name} opens${fields.length > 1 ? ` (${r + 1})` : ""}`} error={rangeErrors?.opens?.message}>
                  <input
                    type="time"
                    {...register(`days.${day}.ranges.${r}.opens`, {
                      deps: dayFields,
                      validate: (value, all) => {
                        const d = all.days[day];
                        if (all.hours_mode !== "set" || !d?.open) return true;
                        if (!value) return "Enter an opening time.";
                        return !overlapping(d.ranges).has(r) || "Overlaps the hours above.";
                      },
                    })}
                  />
                </Field>
                <Field label={`${name} closes${fields.length > 1 ? ` (${r + 1})` : ""}`} error={rangeErrors?.closes?.message}>
                  <input
                    type="time"
                    {...register(`days.${day}.ranges.${r}.closes`, {
                      deps: dayFields,
                      validate: (value, all) => {
                        const d = all.days[day];
                        if (all.hours_mode !== "set" || !d?.open) return true;
                        if (!value) return "Enter a closing time.";
                        const opens = d.ranges[r]?.opens ?? "";
                        return !opens || value > opens || "Closes after it opens.";
                      },
                    })}
                  />
                </Field>
                {fields.length > 1 && (
                  <Button size="sm" variant="ghost" className="hours-remove" aria-label={`Remove ${name} hours ${r + 1}`} onClick={() => remove(r)}>
                    Remove
                  </Button>
                )}
              </div>
            );
          })}
          <Button
            size="sm"
            variant="ghost"
            className="hours-add"
            aria-label={`Add hours on ${name}`}
            onClick={() => append({ opens: addHour(lastEnd), closes: addHour(addHour(lastEnd)) })}
          >
            Add hours
          </Button>
        </div>
      ) : (
        <span className="muted hours-closed">Closed</span>
      )}
    </li>
  );
}

/** An hour after "HH:MM", at most 23:MM (a second range starts after the last one ends). */
function addHour(time: string): string {
  const [h = 0, m = 0] = time.split(":").map(Number);
  return `${String(Math.min(h + 1, 23)).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}
