// The customer's details and consent, then the booking: POST /public/{slug}/bookings with an
// Idempotency-Key (the same one when the same booking is sent again after no answer, a 429 or a 5xx).
// Ticking "news and offers" is only a request: the API e-mails a link to confirm it (double opt-in).
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CheckField } from "../../../components/ui/check-field";
import { Field } from "../../../components/ui/field";
import { ApiError } from "../../../lib/api-client";
import { useBook, type Booked, type PublicBookingBody } from "../api/public";
import type { MessageId } from "../i18n/messages";
import { useWords } from "../i18n/use-words";
import { createKeyKeeper } from "../utils/idempotency";
import { placeFieldErrors, refusal } from "../utils/refusals";
import type { Slot } from "../utils/slots";

interface Values {
  customer: { name: string; email: string; phone: string };
  notes: string;
  consent: { terms: boolean; marketing: boolean };
}

const FIELDS = ["customer.name", "customer.email", "customer.phone", "notes", "consent.terms", "consent.marketing"];

/** The words for a 422 reason of the API on one of this form's fields. */
function reasonFor(field: string, reason: string): MessageId | null {
  if (!FIELDS.includes(field)) return null;
  if (field === "customer.name") return "form.nameInvalid";
  if (field === "customer.email") return /required/i.test(reason) ? "form.contactRequired" : "form.emailInvalid";
  if (field === "customer.phone") return "form.phoneInvalid";
  if (field === "consent.terms") return "form.termsRequired";
  if (field === "notes") return "form.notesTooLong";
  return null;
}

export function BookingForm({ slug, businessName, serviceId, staffId, slot, submitLabel, policyHint, onBooked, onSlotLost }: {
  slug: string;
  businessName: string;
  serviceId: string;
  /** The chosen person, or null for "anyone available" (the API then picks, and picks again if beaten to it). */
  staffId: string | null;
  slot: Slot;
  submitLabel: string;
  policyHint: string;
  onBooked: (answer: Booked, email: string | null) => void;
  onSlotLost: (message: string) => void;
}) {
  const { t } = useWords();
  const book = useBook(slug);
  const keeper = useRef(createKeyKeeper());
  const coolUntil = useRef(0);
  const [formError, setFormError] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { customer: { name: "", email: "", phone: "" }, notes: "", consent: { terms: false, marketing: false } },
  });
  const errors = formState.errors;
  const optional = ` ${t("form.optional")}`;

  const submit = handleSubmit(async (values) => {
    setFormError(null);
    if (Date.now() < coolUntil.current) {
      setFormError(t("error.wait", { seconds: Math.ceil((coolUntil.current - Date.now()) / 1000) }));
      return;
    }
    const email = values.customer.email.trim() || null;
    const body: PublicBookingBody = {
      service_id: serviceId,
      start_at: slot.start_at,
      staff_id: staffId,
      location_id: slot.location_id,
      customer: { name: values.customer.name.trim(), email, phone: values.customer.phone.trim() || null },
      consent: { terms: values.consent.terms, marketing: values.consent.marketing },
      notes: values.notes.trim() || null,
    };
    let answer: Booked;
    try {
      answer = await book.mutateAsync({ body, key: keeper.current.keyFor(body) });
      keeper.current.settle();
    } catch (error) {
      keeper.current.settle(error);
      if (error instanceof ApiError && (error.code === "slot_taken" || error.code === "slot_unavailable")) {
        onSlotLost(refusal(t, error));
        return;
      }
      if (error instanceof ApiError && error.status === 422) {
        setFormError(placeFieldErrors(t, error, setError, reasonFor));
        return;
      }
      if (error instanceof ApiError && error.kind === "rate_limited") coolUntil.current = Date.now() + (error.retryAfter ?? 30) * 1000;
      setFormError(refusal(t, error, businessName));
      return;
    }
    onBooked(answer, email);
  });

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {formError && <Alert tone="error">{formError}</Alert>}
      <Field label={t("form.name")} error={errors.customer?.name?.message}>
        <input
          type="text"
          autoComplete="name"
          maxLength={120}
          {...register("customer.name", { validate: (v) => (v.trim() ? true : t("form.nameRequired")) })}
        />
      </Field>
      <div className="grid-2 book-contact-fields">
        <Field label={t("form.email")} error={errors.customer?.email?.message}>
          <input
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            {...register("customer.email", {
              validate: (v, all) => {
                if (!v.trim() && !all.customer.phone.trim()) return t("form.contactRequired");
                if (v.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())) return t("form.emailInvalid");
                return true;
              },
            })}
          />
        </Field>
        <Field label={t("form.phone")} error={errors.customer?.phone?.message}>
          <input type="tel" autoComplete="tel" {...register("customer.phone", { deps: ["customer.email"] })} />
        </Field>
      </div>
      <p className="hint">{t("form.contactHint")}</p>
      <Field label={`${t("form.notes")}${optional}`} error={errors.notes?.message}>
        <textarea rows={2} maxLength={2000} {...register("notes")} />
      </Field>
      <CheckField
        label={t("form.terms", { business: businessName })}
        hint={policyHint}
        error={errors.consent?.terms?.message}
        {...register("consent.terms", { validate: (v) => v || t("form.termsRequired") })}
      />
      <CheckField
        label={`${t("form.marketing", { business: businessName })}${optional}`}
        hint={t("form.marketingHint")}
        error={errors.consent?.marketing?.message}
        {...register("consent.marketing")}
      />
      <Button type="submit" variant="primary" block busy={formState.isSubmitting}>
        {formState.isSubmitting ? t("form.submitting") : submitLabel}
      </Button>
    </form>
  );
}
