// Create or edit a staff profile: every field of StaffNew / StaffUpdate. The login to link comes from
// the team's members; a PATCH carries the version it was read at, so a concurrent edit is refused.
import { useEffect, useMemo, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { OptionList } from "../../../components/ui/option-list";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { timeZoneOptions } from "../../../lib/options";
import { useMe } from "../../../lib/session";
import { PlanRefusal } from "../../billing/components/plan-refusal";
import { planProblem } from "../../billing/lib/words";
import { useLocations } from "../../locations/api/locations";
import { useTeam } from "../../team/api/team";
import type { StaffMember } from "../api/staff";
import { useCreateStaff, useUpdateStaff } from "../api/staff-member";

interface Values {
  name: string;
  email: string;
  phone: string;
  bio: string;
  time_zone: string;
  location_ids: string[];
  bookable: boolean;
  user_id: string;
}

const FIELDS = ["name", "email", "phone", "bio", "time_zone", "location_ids", "bookable", "user_id"] as const;

function valuesOf(member: StaffMember | undefined): Values {
  return {
    name: member?.name ?? "",
    email: member?.email ?? "",
    phone: member?.phone ?? "",
    bio: member?.bio ?? "",
    time_zone: member?.time_zone ?? "",
    location_ids: member?.location_ids ?? [],
    bookable: member?.bookable ?? true,
    user_id: member?.user_id ?? "",
  };
}

/** Empty text is "not given" (null) to the API. */
const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

export function StaffForm({ member, onSaved, onCancel }: { member?: StaffMember; onSaved?: (saved: StaffMember) => void; onCancel?: () => void }) {
  const me = useMe();
  const locations = useLocations();
  const team = useTeam();
  const create = useCreateStaff();
  const update = useUpdateStaff(member?.id ?? "");
  const toast = useToast();
  const [formError, setFormError] = useState<{ text: string; stale: boolean; error: unknown } | null>(null);
  const { register, handleSubmit, setError, control, reset, getValues, setValue, formState: { errors, isSubmitting } } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: valuesOf(member),
  });
  const businessZone = me.data?.business.time_zone ?? "UTC";
  // Hundreds of zones: listed once per person, with theirs kept even if it is an older alias.
  const zones = useMemo(() => timeZoneOptions(member?.time_zone ?? ""), [member?.time_zone]);
  const activeLocations = (locations.data ?? []).filter((l) => !l.archived || member?.location_ids.includes(l.id));
  // With one location there is nothing to choose: a new person works there.
  const onlyLocation = !member && activeLocations.length === 1 ? activeLocations[0]?.id : undefined;
  useEffect(() => {
    if (onlyLocation && getValues("location_ids").length === 0) setValue("location_ids", [onlyLocation]);
  }, [onlyLocation, getValues, setValue]);

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const body = {
      name: values.name.trim(),
      email: orNull(values.email),
      phone: orNull(values.phone),
      bio: orNull(values.bio),
      time_zone: values.time_zone || null,
      location_ids: values.location_ids,
      bookable: values.bookable,
      user_id: values.user_id || null,
    } satisfies Schemas["StaffNew"];
    try {
      const saved = member ? await update.mutateAsync({ ...body, version: member.version }) : await create.mutateAsync(body);
      toast(member ? "Profile saved." : `${saved.name} was added.`);
      if (member) reset(valuesOf(saved));
      onSaved?.(saved);
    } catch (error) {
      if (error instanceof ApiError && error.code === "staff_user_taken") {
        setError("user_id", { type: "server", message: error.message }, { shouldFocus: true });
        return;
      }
      const text = applyApiError(error, setError, FIELDS, (f) => f.replace(/^location_ids\.\d+$/, "location_ids"));
      setFormError({ text, stale: error instanceof ApiError && error.code === "stale_version", error });
    }
  });

  // The selects are drawn once their options are known, so they show the saved choice.
  if (locations.isPending || team.isPending) return <Loading />;

  return (
    <form onSubmit={submit} noValidate aria-label={member ? "Staff profile" : "New staff member"}>
      {formError && planProblem(formError.error) ? (
        <PlanRefusal error={formError.error} />
      ) : formError && (
        <Alert
          tone="error"
          actions={formError.stale ? <Button size="sm" onClick={() => window.location.reload()}>Reload</Button> : undefined}
        >
          {formError.text}
        </Alert>
      )}
      <div className="staff-grid">
        <Field label="Name" error={errors.name?.message}>
          <input type="text" autoComplete="off" {...register("name", { required: "Enter a name.", maxLength: { value: 120, message: "Use at most 120 characters." } })} />
        </Field>
        <Field label="E-mail" optional error={errors.email?.message}>
          <input type="email" autoComplete="off" {...register("email")} />
        </Field>
        <Field label="Phone" optional error={errors.phone?.message}>
          <input type="tel" autoComplete="off" {...register("phone")} />
        </Field>
        <Field label="Time zone" error={errors.time_zone?.message} hint="Where their hours and time off are reckoned.">
          <select {...register("time_zone")}>
            <option value="">The business's ({businessZone})</option>
            <OptionList options={zones} />
          </select>
        </Field>
      </div>
      <Field label="Bio" optional error={errors.bio?.message} hint="Shown to customers on the booking page.">
        <textarea rows={3} {...register("bio", { maxLength: { value: 2000, message: "Use at most 2000 characters." } })} />
      </Field>
      <Controller
        control={control}
        name="location_ids"
        render={({ field, fieldState }) => (
          <fieldset className="staff-checks" aria-invalid={fieldState.error ? true : undefined}>
            <legend>Works at</legend>
            {activeLocations.length === 0 && !locations.isPending && (
              <p className="muted">
                No locations yet. <Link to="/locations?new=1">Add a location</Link> first, then choose it here.
              </p>
            )}
            {activeLocations.map((location) => (
              <label key={location.id} className="check-row">
                <input
                  type="checkbox"
                  checked={field.value.includes(location.id)}
                  onChange={(e) =>
                    field.onChange(e.target.checked ? [...field.value, location.id] : field.value.filter((id) => id !== location.id))
                  }
                />
                {location.name}
              </label>
            ))}
            {fieldState.error && (
              <p className="field-error" role="alert">
                {fieldState.error.message}
              </p>
            )}
          </fieldset>
        )}
      />
      <div className="field">
        <label className="check-row">
          <input type="checkbox" {...register("bookable")} />
          Customers can book them online
        </label>
      </div>
      <Field
        label="Team login"
        optional
        error={errors.user_id?.message}
        hint="Link the login this person signs in with, so they see and manage their own calendar."
      >
        <select {...register("user_id")}>
          <option value="">Not linked</option>
          {(team.data?.members ?? []).map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.name ? `${m.name} (${m.email})` : m.email}
            </option>
          ))}
          {/* The saved link stays selectable when the team can't be read (or no longer has that login). */}
          {member?.user_id && !team.data?.members.some((m) => m.user_id === member.user_id) && (
            <option value={member.user_id}>{team.data ? "A login no longer on the team" : "The linked login"}</option>
          )}
        </select>
      </Field>
      {team.isError && <p className="hint">We couldn't load the team's logins: {team.error.message}</p>}
      <div className="form-buttons">
        <Button type="submit" variant="primary" busy={isSubmitting}>
          {member ? "Save profile" : "Add staff member"}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
