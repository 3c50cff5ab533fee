// A tenant's feature and limit overrides: each a value (on/off for a feature, a number or "no
// limit" for a limit), a reason, and optionally an end. The whole set is sent (PUT replaces it:
// a row removed here loses its override), with the reason for the change.
import { useState } from "react";
import { useFieldArray, useForm, useWatch, type Control, type UseFormRegister, type FieldErrors } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { useToast } from "../../../components/ui/toast";
import { applyApiError } from "../../../lib/forms";
import { featureLabel, LIMIT_NAMES } from "../../billing/lib/words";
import { useTenantWrites, type FeatureOverride, type TenantDetail } from "../api/admin";

interface Row {
  feature: string;
  flag: boolean;
  /** A limit's number; empty: no limit. */
  limit: string;
  reason: string;
  /** datetime-local in the operator's own zone; empty: until changed. */
  ends_at: string;
}

interface Values {
  rows: Row[];
  reason: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as a datetime-local value in this browser's zone. */
function localInput(instant: string): string {
  const d = new Date(instant);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function rowsOf(tenant: TenantDetail, now: number): Row[] {
  // Ended overrides are history: they are not sent back (an end in the past is refused).
  return tenant.overrides
    .filter((o) => o.ends_at === null || Date.parse(o.ends_at) > now)
    .map((o) => ({
      feature: o.feature,
      flag: o.value === true,
      limit: typeof o.value === "number" ? String(o.value) : "",
      reason: o.reason,
      ends_at: o.ends_at ? localInput(o.ends_at) : "",
    }));
}

export function OverridesEditor({ tenant, now = Date.now() }: { tenant: TenantDetail; now?: number }) {
  const flags = Object.keys(tenant.entitlements.features);
  const limits = Object.keys(tenant.entitlements.limits);
  const isLimit = (feature: string) => limits.includes(feature);
  const { overrides } = useTenantWrites(tenant.id);
  const toast = useToast();
  const [formError, setFormError] = useState<string | null>(null);
  const { register, control, handleSubmit, setError, reset, formState: { errors, isSubmitting } } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { rows: rowsOf(tenant, now), reason: "" },
  });
  const rows = useFieldArray({ control, name: "rows" });
  const chosen = useWatch({ control, name: "rows" });
  const unused = [...flags, ...limits].filter((f) => !chosen.some((r) => r.feature === f));

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    const body = {
      reason: values.reason.trim(),
      overrides: values.rows.map((r): FeatureOverride => ({
        feature: r.feature,
        value: isLimit(r.feature) ? (r.limit.trim() === "" ? null : Number(r.limit)) : r.flag,
        reason: r.reason.trim(),
        ends_at: r.ends_at ? new Date(r.ends_at).toISOString() : null,
      })),
    };
    try {
      const saved = await overrides.mutateAsync(body);
      reset({ rows: rowsOf(saved, Date.now()), reason: "" });
      toast("Overrides saved.");
    } catch (error) {
      const names = ["reason", ...values.rows.flatMap((_r, i) => ["feature", "limit", "flag", "reason", "ends_at"].map((f) => `rows.${i}.${f}`))];
      setFormError(
        applyApiError(error, setError, names, (f) =>
          f.replace(/^overrides\.(\d+)\.value$/, (_m, i: string) => `rows.${i}.${isLimit(values.rows[Number(i)]?.feature ?? "") ? "limit" : "flag"}`).replace(/^overrides\./, "rows."),
        ),
      );
    }
  });

  return (
    <section className="card stack" aria-labelledby="overrides-title">
      <div>
        <h2 id="overrides-title" className="card-title">
          Overrides
        </h2>
        <p className="muted card-sub">Turn a feature on or off, or change a limit, for this business alone. Overrides win over the plan and rollouts.</p>
      </div>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label="Overrides">
        {formError && <Alert tone="error">{formError}</Alert>}
        {rows.fields.length === 0 && <p className="muted">No overrides: the plan decides everything.</p>}
        {rows.fields.map((field, index) => (
          <OverrideRow
            key={field.id}
            index={index}
            control={control}
            register={register}
            errors={errors}
            options={[...new Set([chosen[index]?.feature ?? field.feature, ...unused])]}
            isLimit={isLimit}
            onRemove={() => rows.remove(index)}
          />
        ))}
        <div className="row-actions">
          <Button
            size="sm"
            disabled={unused.length === 0}
            onClick={() => {
              const feature = unused[0] ?? "";
              rows.append({ feature, flag: true, limit: "", reason: "", ends_at: "" });
            }}
          >
            Add an override
          </Button>
        </div>
        <Field label="Why this change" hint="Kept with the change in the tenant's history." error={errors.reason?.message}>
          <input type="text" maxLength={500} {...register("reason", { validate: (v) => v.trim() !== "" || "Say why you change the overrides." })} />
        </Field>
        <div className="form-buttons">
          <Button type="submit" variant="primary" busy={isSubmitting}>
            Save overrides
          </Button>
        </div>
      </form>
    </section>
  );
}

function OverrideRow({ index, control, register, errors, options, isLimit, onRemove }: {
  index: number;
  control: Control<Values>;
  register: UseFormRegister<Values>;
  errors: FieldErrors<Values>;
  options: string[];
  isLimit: (feature: string) => boolean;
  onRemove: () => void;
}) {
  const feature = useWatch({ control, name: `rows.${index}.feature` });
  const e = errors.rows?.[index];
  const name = (key: string) => (isLimit(key) ? (LIMIT_NAMES[key] ?? key) : featureLabel(key));
  return (
    <div className="override-row" role="group" aria-label={`Override ${index + 1}: ${name(feature)}`}>
      <Field label="Feature or limit" error={e?.feature?.message}>
        <select {...register(`rows.${index}.feature`)}>
          {options.map((key) => (
            <option key={key} value={key}>
              {name(key)}
            </option>
          ))}
        </select>
      </Field>
      {isLimit(feature) ? (
        <Field label="Limit" hint="Empty: no limit." error={e?.limit?.message}>
          <input
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            {...register(`rows.${index}.limit`, { validate: (v) => v.trim() === "" || /^\d+$/.test(v.trim()) || "Use a whole number from 0, or leave it empty." })}
          />
        </Field>
      ) : (
        <Field label="Value" error={e?.flag?.message}>
          <select {...register(`rows.${index}.flag`, { setValueAs: (v: string | boolean) => v === true || v === "true" })}>
            <option value="true">On</option>
            <option value="false">Off</option>
          </select>
        </Field>
      )}
      <Field label="Reason" error={e?.reason?.message}>
        <input type="text" maxLength={500} {...register(`rows.${index}.reason`, { validate: (v) => v.trim() !== "" || "Say why." })} />
      </Field>
      <Field label="Ends" optional hint="Your time. Empty: until changed." error={e?.ends_at?.message}>
        <input type="datetime-local" {...register(`rows.${index}.ends_at`)} />
      </Field>
      <Button variant="danger-ghost" size="sm" className="override-remove" onClick={onRemove} aria-label={`Remove the override of ${name(feature)}`}>
        Remove
      </Button>
    </div>
  );
}
