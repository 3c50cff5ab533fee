// Create or edit a customer: every field the API takes. A refusal's reasons go onto their fields
// (and clear as each is fixed); a duplicate e-mail or phone says so and links to the customer who
// has it; an edit that raced another one offers to reload.
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { ApiError } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { LOCALES, LOCALE_NAMES } from "../../../lib/locale";
import { CUSTOMERS_KEY, useCreateCustomer, useUpdateCustomer, type Customer, type NewCustomer } from "../api/customers";

export interface CustomerFormValues {
  name: string;
  email: string;
  phone: string;
  tags: string;
  locale: string;
  preferred_channel: NonNullable<NewCustomer["preferred_channel"]>;
  marketing_opt_in: boolean;
  terms_accepted: boolean;
}

const FIELDS = ["name", "email", "phone", "tags", "locale", "preferred_channel", "marketing_opt_in", "terms_accepted"] as const;

/** "vip, colour ,vip" → ["vip", "colour"]: tags are typed as one comma-separated line. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];
}

function initialValues(customer: Customer | undefined): CustomerFormValues {
  return {
    name: customer?.name ?? "",
    email: customer?.email ?? "",
    phone: customer?.phone ?? "",
    tags: customer?.tags.join(", ") ?? "",
    locale: customer?.locale ?? "",
    preferred_channel: customer?.preferred_channel ?? "email",
    marketing_opt_in: customer?.marketing_opt_in ?? false,
    terms_accepted: customer?.terms_accepted ?? false,
  };
}

function toBody(values: CustomerFormValues): NewCustomer {
  return {
    name: values.name.trim(),
    email: values.email.trim() || null,
    phone: values.phone.trim() || null,
    tags: parseTags(values.tags),
    locale: values.locale || null,
    preferred_channel: values.preferred_channel,
    marketing_opt_in: values.marketing_opt_in,
    terms_accepted: values.terms_accepted,
  };
}

/** The refusal of a duplicate: the customer who already has the address or number. */
export function existingCustomerId(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409 || error.code !== "customer_exists") return null;
  const id = error.details.customer_id;
  return typeof id === "string" ? id : null;
}

export function CustomerForm({ customer, onSaved, onCancel }: { customer?: Customer; onSaved: (saved: Customer) => void; onCancel: () => void }) {
  const editing = customer !== undefined;
  const create = useCreateCustomer();
  const update = useUpdateCustomer(customer?.id ?? "");
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<{ message: string; existingId: string | null; stale: boolean } | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CustomerFormValues>({ mode: "onSubmit", reValidateMode: "onChange", defaultValues: initialValues(customer) });

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    try {
      const body = toBody(values);
      const saved = customer ? await update.mutateAsync({ ...body, version: customer.version }) : await create.mutateAsync(body);
      onSaved(saved);
    } catch (error) {
      const existingId = existingCustomerId(error);
      if (existingId !== null || (error instanceof ApiError && error.status === 409)) {
        const stale = error instanceof ApiError && error.code === "stale_version";
        setProblem({ message: (error as ApiError).message, existingId, stale });
        return;
      }
      setProblem({ message: applyApiError(error, setError, FIELDS, (f) => f.split(".")[0] ?? f), existingId: null, stale: false });
    }
  });

  const locales: string[] = [...LOCALES];
  if (customer?.locale && !locales.includes(customer.locale)) locales.push(customer.locale);

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {problem && (
        <Alert
          tone="error"
          title={problem.existingId ? "This customer is already on your list" : undefined}
          actions={
            problem.existingId ? (
              <Link className="btn btn-secondary btn-sm" to={`/customers/${problem.existingId}`} onClick={onCancel}>
                Open the existing customer
              </Link>
            ) : problem.stale ? (
              <Button
                size="sm"
                onClick={() => {
                  void queryClient.invalidateQueries({ queryKey: CUSTOMERS_KEY });
                  onCancel();
                }}
              >
                Reload the customer
              </Button>
            ) : undefined
          }
        >
          {problem.message}
        </Alert>
      )}
      <Field label="Name" error={errors.name?.message}>
        <input type="text" autoComplete="off" maxLength={120} {...register("name", { validate: (v) => v.trim() !== "" || "Enter the customer's name." })} />
      </Field>
      <div className="grid-2">
        <Field label="E-mail" optional error={errors.email?.message}>
          <input type="email" autoComplete="off" maxLength={254} {...register("email")} />
        </Field>
        <Field label="Phone" optional error={errors.phone?.message} hint="With the country code for text messages, e.g. +44 7700 900123.">
          <input type="tel" autoComplete="off" maxLength={40} {...register("phone")} />
        </Field>
      </div>
      <Field label="Tags" optional error={errors.tags?.message} hint="Separate tags with commas, e.g. vip, colour. Up to 20.">
        <input type="text" autoComplete="off" {...register("tags")} />
      </Field>
      <div className="grid-2">
        <Field label="Language for messages" error={errors.locale?.message}>
          <select {...register("locale")}>
            <option value="">The business's language</option>
            {locales.map((code) => (
              <option key={code} value={code}>
                {code in LOCALE_NAMES ? LOCALE_NAMES[code as keyof typeof LOCALE_NAMES] : code}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Send reminders by" error={errors.preferred_channel?.message}>
          <select {...register("preferred_channel")}>
            <option value="email">E-mail</option>
            <option value="whatsapp">WhatsApp</option>
          </select>
        </Field>
      </div>
      <fieldset className="field">
        <legend className="field-legend">Consent</legend>
        <label className="check-row">
          <input type="checkbox" {...register("marketing_opt_in")} aria-invalid={errors.marketing_opt_in ? true : undefined} />
          <span>Agrees to receive marketing messages</span>
        </label>
        {errors.marketing_opt_in && <p className="field-error" role="alert">{errors.marketing_opt_in.message}</p>}
        <label className="check-row">
          <input type="checkbox" {...register("terms_accepted")} aria-invalid={errors.terms_accepted ? true : undefined} />
          <span>Has accepted the business's terms</span>
        </label>
        {errors.terms_accepted && <p className="field-error" role="alert">{errors.terms_accepted.message}</p>}
        <p className="hint">Every change of consent is kept in the customer's consent history.</p>
      </fieldset>
      <div className="form-buttons">
        <Button type="submit" variant="primary" busy={isSubmitting}>
          {editing ? "Save changes" : "Add customer"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
