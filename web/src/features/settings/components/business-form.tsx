// The business profile, contact details and booking policy (PATCH /business). Only what changed is
// sent, with the version the form was read at: if someone saved in between, the API answers 409
// stale_version and the form offers to reload.
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm, type FieldPath } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { OptionList } from "../../../components/ui/option-list";
import { SaveBar } from "../../../components/ui/save-bar";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { formatMinutes } from "../../../lib/format";
import { applyApiError } from "../../../lib/forms";
import { useUpdateBusiness, type Business, type BusinessChanges } from "../api/business";
import { currencyOptions, timeZoneOptions } from "../../../lib/options";
import { localeOptions } from "../options";

type Policy = Schemas["BookingPolicyAnswer"];
type PolicyNumber = Exclude<keyof Policy, "auto_confirm">;
type ContactField = keyof Schemas["ContactAnswer"];

export interface SettingsValues {
  name: string;
  slug: string;
  time_zone: string;
  currency: string;
  locale: string;
  contact: Record<ContactField, string>;
  booking_policy: Record<PolicyNumber, number> & { auto_confirm: boolean };
}

interface PolicySpec {
  name: PolicyNumber;
  label: string;
  unit: "min" | "days";
  min: number;
  max: number;
  hint: string;
  /** Minutes that can run to days: "1440 min" is also said as "1 day". */
  human?: boolean;
}

// The limits are the API's (BookingPolicy in openapi.json), checked here first to answer sooner.
const POLICY: PolicySpec[] = [
  { name: "slot_interval_min", label: "Time slot interval", unit: "min", min: 5, max: 240,
    hint: "Customers can start an appointment every this many minutes (15 gives 9:00, 9:15, 9:30…)." },
  { name: "min_notice_min", label: "Minimum notice", unit: "min", min: 0, max: 129600, human: true,
    hint: "How long before its start an appointment can still be booked online. 0 means right up to the start." },
  { name: "max_advance_days", label: "Book up to", unit: "days", min: 1, max: 730,
    hint: "How many days ahead customers can book online." },
  { name: "cancel_cutoff_min", label: "Cancellation cutoff", unit: "min", min: 0, max: 129600, human: true,
    hint: "Customers can cancel online until this long before the start; after that they have to call you." },
  { name: "reschedule_cutoff_min", label: "Reschedule cutoff", unit: "min", min: 0, max: 129600, human: true,
    hint: "Customers can move an appointment online until this long before the start." },
  { name: "buffer_before_min", label: "Buffer before", unit: "min", min: 0, max: 240,
    hint: "Free time kept before each appointment (a service can set its own)." },
  { name: "buffer_after_min", label: "Buffer after", unit: "min", min: 0, max: 240,
    hint: "Free time kept after each appointment, for cleaning up or notes (a service can set its own)." },
];

const PROFILE = ["name", "slug", "time_zone", "currency", "locale"] as const;
const CONTACT: ContactField[] = ["email", "phone", "website", "address"];

const FIELD_NAMES: string[] = [
  ...PROFILE,
  ...CONTACT.map((f) => `contact.${f}`),
  ...POLICY.map((p) => `booking_policy.${p.name}`),
  "booking_policy.auto_confirm",
];

export function valuesOf(business: Business): SettingsValues {
  const c = business.contact;
  return {
    name: business.name,
    slug: business.slug,
    time_zone: business.time_zone,
    currency: business.currency,
    locale: business.locale,
    contact: { email: c.email ?? "", phone: c.phone ?? "", website: c.website ?? "", address: c.address ?? "" },
    booking_policy: { ...business.booking_policy },
  };
}

/** What PATCH /business needs to turn `before` into `after` (an empty contact field is null). */
export function changesBetween(before: SettingsValues, after: SettingsValues): BusinessChanges {
  const changes: BusinessChanges = {};
  const cleaned = { ...after, name: after.name.trim(), slug: after.slug.trim().toLowerCase() };
  for (const field of PROFILE) {
    if (cleaned[field] !== before[field]) changes[field] = cleaned[field];
  }
  const contact: NonNullable<BusinessChanges["contact"]> = {};
  for (const field of CONTACT) {
    const was = before.contact[field].trim() || null;
    const now = after.contact[field].trim() || null;
    if (now !== was) contact[field] = now;
  }
  if (Object.keys(contact).length) changes.contact = contact;
  const policy: NonNullable<BusinessChanges["booking_policy"]> = {};
  for (const { name } of POLICY) {
    if (after.booking_policy[name] !== before.booking_policy[name]) policy[name] = after.booking_policy[name];
  }
  if (after.booking_policy.auto_confirm !== before.booking_policy.auto_confirm) policy.auto_confirm = after.booking_policy.auto_confirm;
  if (Object.keys(policy).length) changes.booking_policy = policy;
  return changes;
}

export function BusinessForm({ business, readOnly, onReload }: { business: Business; readOnly: boolean; onReload: () => Promise<Business | undefined> }) {
  // The profile the form was opened at: its version goes with the save, and what changed is measured
  // against it (a refetch in the background must not move it under the person's edits).
  const [base, setBase] = useState(business);
  const original = useMemo(() => valuesOf(base), [base]);
  // Hundreds of time zones: listed once per profile, not on every keystroke.
  const choices = useMemo(
    () => ({ zones: timeZoneOptions(base.time_zone), currencies: currencyOptions(base.currency), locales: localeOptions(base.locale) }),
    [base.time_zone, base.currency, base.locale],
  );
  const form = useForm<SettingsValues>({ mode: "onSubmit", reValidateMode: "onChange", defaultValues: original });
  const { register, handleSubmit, reset, setError, watch, formState } = form;
  const errors = formState.errors;
  const update = useUpdateBusiness();
  const toast = useToast();
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [reloading, setReloading] = useState(false);
  const messages = useRef<HTMLDivElement>(null);
  const values = watch();

  // The save bar sits at the bottom of a long form: bring a refusal into view where it is said.
  useEffect(() => {
    if (stale || formError) messages.current?.scrollIntoView?.({ block: "center", behavior: "smooth" });
  }, [stale, formError]);
  const dirty = Object.keys(changesBetween(original, values)).length > 0;

  const showFresh = (fresh: Business) => {
    setBase(fresh);
    reset(valuesOf(fresh));
    setStale(false);
    setFormError(null);
  };

  const reload = async () => {
    setReloading(true);
    try {
      const fresh = await onReload();
      if (fresh) showFresh(fresh);
    } finally {
      setReloading(false);
    }
  };

  const submit = handleSubmit(async (edited) => {
    setFormError(null);
    const changes = changesBetween(original, edited);
    if (!Object.keys(changes).length) {
      toast("Nothing to save: no changes.", "info");
      return;
    }
    try {
      const saved = await update.mutateAsync({ ...changes, version: base.version });
      showFresh(saved);
      toast("Settings saved.");
    } catch (error) {
      if (error instanceof ApiError && error.code === "stale_version") {
        setStale(true);
        return;
      }
      if (error instanceof ApiError && error.code === "slug_taken") {
        setError("slug", { type: "server", message: "Another business already uses this address; choose another one." }, { shouldFocus: true });
        return;
      }
      setFormError(applyApiError(error, setError, FIELD_NAMES));
    }
  });

  const err = (name: FieldPath<SettingsValues>): string | undefined => {
    let at: unknown = errors;
    for (const part of name.split(".")) at = at && typeof at === "object" ? (at as Record<string, unknown>)[part] : undefined;
    const message = at && typeof at === "object" ? (at as { message?: unknown }).message : undefined;
    return typeof message === "string" ? message : undefined;
  };

  return (
    <form className={`settings-form${dirty ? " is-dirty" : ""}`} aria-label="Business settings" noValidate onSubmit={(e) => void submit(e)}>
      <div ref={messages}>
        {stale && (
          <Alert
            tone="warning"
            title="These settings were changed elsewhere"
            actions={
              <Button size="sm" busy={reloading} onClick={() => void reload()}>
                Reload settings
              </Button>
            }
          >
            Someone (in another tab, or a colleague) saved them since you opened this page. Reload to see the latest version; your unsaved changes will be lost.
          </Alert>
        )}
        {formError && <Alert tone="error">{formError}</Alert>}
      </div>
      <fieldset className="stack-lg settings-fieldset" disabled={readOnly}>
        <legend className="sr-only">Business settings</legend>

        <Section title="Business profile" description="How your business appears to customers on its booking page.">
          <Field label="Business name" error={err("name")}>
            <input type="text" maxLength={120} {...register("name", { validate: (v) => v.trim() !== "" || "Enter your business's name." })} />
          </Field>
          <Field
            label="Booking page address"
            error={err("slug")}
            hint="3–63 lower-case letters, digits and hyphens. Changing it breaks links you've already shared."
          >
            <input
              type="text"
              autoCapitalize="none"
              spellCheck={false}
              {...register("slug", {
                validate: (v) => /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/.test(v.trim().toLowerCase()) || "Use 3–63 lower-case letters, digits and hyphens (not at either end).",
              })}
            />
          </Field>
          <div className="grid-2">
            <Field label="Time zone" error={err("time_zone")} hint="Opening hours, working hours and the calendar are in this zone.">
              <select {...register("time_zone")}>
                <OptionList options={choices.zones} />
              </select>
            </Field>
            <Field label="Currency" error={err("currency")} hint="Prices of your services are in this currency.">
              <select {...register("currency")}>
                <OptionList options={choices.currencies} />
              </select>
            </Field>
          </div>
          <Field label="Language of messages to customers" error={err("locale")} hint="Confirmations and reminders are written in this language.">
            <select {...register("locale")}>
              <OptionList options={choices.locales} />
            </select>
          </Field>
        </Section>

        <Section title="Contact" description="Shown to customers and used in confirmations. Leave a field empty to hide it.">
          <div className="grid-2">
            <Field label="E-mail" optional error={err("contact.email")}>
              <input type="email" autoCapitalize="none" spellCheck={false} {...register("contact.email")} />
            </Field>
            <Field label="Phone" optional error={err("contact.phone")}>
              <input type="tel" placeholder="+44 20 7946 0000" {...register("contact.phone")} />
            </Field>
          </div>
          <Field label="Website" optional error={err("contact.website")} hint="The full address, starting with https://">
            <input type="url" placeholder="https://" autoCapitalize="none" spellCheck={false} {...register("contact.website")} />
          </Field>
          <Field label="Address" optional error={err("contact.address")}>
            <textarea rows={2} maxLength={300} {...register("contact.address")} />
          </Field>
        </Section>

        <Section title="Booking policy" description="The rules online bookings follow. You and your team can still book anything by hand.">
          <div className="grid-2">
            {POLICY.map((spec) => (
              <Field key={spec.name} label={<>{spec.label}<span className="sr-only"> ({spec.unit === "min" ? "minutes" : "days"})</span></>} error={err(`booking_policy.${spec.name}`)} hint={spec.hint}>
                <PolicyInput spec={spec} value={values.booking_policy[spec.name]} {...register(`booking_policy.${spec.name}`, {
                  valueAsNumber: true,
                  validate: (v) => {
                    if (!Number.isInteger(v)) return "Enter a whole number.";
                    if (v < spec.min) return `Use ${spec.min} or more.`;
                    if (v > spec.max) return `Use ${spec.max} or less.`;
                    return true;
                  },
                })} />
              </Field>
            ))}
          </div>
          <div className="field field-check">
            <div className="check-row">
              <input type="checkbox" id="auto-confirm" aria-describedby="auto-confirm-hint" {...register("booking_policy.auto_confirm")} />
              <label htmlFor="auto-confirm">Confirm new bookings automatically</label>
            </div>
            <p className="hint" id="auto-confirm-hint">
              Otherwise each online booking waits as a request until someone on your team accepts or declines it.
            </p>
            {err("booking_policy.auto_confirm") && (
              <p className="field-error" role="alert">
                {err("booking_policy.auto_confirm")}
              </p>
            )}
          </div>
        </Section>
      </fieldset>
      {!readOnly && (
        <SaveBar
          busy={formState.isSubmitting}
          dirty={dirty}
          onDiscard={() => {
            reset(original);
            setFormError(null);
          }}
        />
      )}
    </form>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  const id = `s-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <section className="card form-section" aria-labelledby={id}>
      <div className="form-section-intro">
        <h2 id={id}>{title}</h2>
        <p className="muted">{description}</p>
      </div>
      <div className="form-section-fields">{children}</div>
    </section>
  );
}

type InputProps = React.InputHTMLAttributes<HTMLInputElement> & { ref?: React.Ref<HTMLInputElement> };

/** A whole number with its unit after it; long spans of minutes are also said in days and hours. */
function PolicyInput({ spec, value, ...input }: { spec: PolicySpec; value: number } & InputProps) {
  return (
    <span className="policy-input">
      <span className="input-group">
        <input type="number" inputMode="numeric" step={1} min={spec.min} max={spec.max} {...input} />
        <span className="input-suffix" aria-hidden="true">
          {spec.unit}
        </span>
      </span>
      {spec.human && Number.isInteger(value) && value >= 60 && <span className="input-human">= {formatMinutes(value)}</span>}
    </span>
  );
}
