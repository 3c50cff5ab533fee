import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, Navigate, useNavigate } from "react-router";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { OptionList } from "../../../components/ui/option-list";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { applyApiError } from "../../../lib/forms";
import { currencyOptions, guessCurrency, timeZoneOptions } from "../../../lib/options";
import { browserTimeZone } from "../../../lib/zoned";
import { useSignup } from "../api/auth";
import { SLUG_PATTERN, slugify } from "../utils/options";
import { AuthHeading, EMAIL_RULES, MIN_PASSWORD, PASSWORD_HINT, PasswordInput, type Problem, ProblemAlert, problemOf } from "./auth-parts";

interface Values {
  business_name: string;
  time_zone: string;
  currency: string;
  slug: string;
  owner_name: string;
  email: string;
  password: string;
}

const FIELDS = ["business_name", "time_zone", "currency", "slug", "owner_name", "email", "password"] as const;

// The 409s that are about one field.
const CONFLICTS: Record<string, [keyof Values, string]> = {
  slug_taken: ["slug", "Another business already uses this address; try another one."],
  email_taken: ["email", "This address already has an account. Log in instead, or use another address."],
};

/** /signup: a new business and its owner's account, then the getting-started checklist. */
export function SignupForm() {
  const api = useApi();
  const [signedIn] = useState(() => api.isLoggedIn());
  const navigate = useNavigate();
  const toast = useToast();
  const signup = useSignup();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [zone] = useState(browserTimeZone);
  const [zones] = useState(() => timeZoneOptions(zone));
  const { register, handleSubmit, setError, watch, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { business_name: "", time_zone: zone, currency: guessCurrency(), slug: "", owner_name: "", email: "", password: "" },
  });
  const { errors } = formState;

  if (signedIn) return <Navigate to="/" replace />;

  const suggestion = slugify(watch("business_name"));

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const slug = values.slug.trim().toLowerCase();
    const body: Schemas["Signup"] = {
      business_name: values.business_name.trim(),
      owner_name: values.owner_name.trim(),
      email: values.email.trim(),
      password: values.password,
      time_zone: values.time_zone,
      currency: values.currency,
      ...(slug ? { slug } : {}),
    };
    let answer: Schemas["NewBusiness"];
    try {
      answer = await signup.mutateAsync(body);
    } catch (error) {
      const conflict = error instanceof ApiError ? CONFLICTS[error.code] : undefined;
      if (conflict) {
        setError(conflict[0], { type: "server", message: conflict[1] }, { shouldFocus: true });
        setProblem(null);
      } else if (error instanceof ApiError && error.status === 422) {
        setProblem({ message: applyApiError(error, setError, FIELDS), tone: "error" });
      } else {
        setProblem(problemOf(error));
      }
      return;
    }
    toast(`Welcome to Booking! We sent a confirmation link to ${answer.user.email}.`);
    await navigate("/getting-started", { replace: true });
  });

  return (
    <div className="page-auth">
      <AuthHeading title="Start your free trial" lead="Set up your business in a minute. You can change everything later." />
      <ProblemAlert problem={problem} />
      <form className="stack" aria-label="Create your account" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset className="stack">
          <legend>Your business</legend>
          <Field label="Business name" error={errors.business_name?.message}>
            <input
              autoComplete="organization"
              maxLength={120}
              {...register("business_name", { required: "Enter your business's name.", validate: (v) => v.trim() !== "" || "Enter your business's name." })}
            />
          </Field>
          <div className="grid-2">
            <Field label="Time zone" hint="Appointment times are shown in this zone." error={errors.time_zone?.message}>
              <select {...register("time_zone", { required: "Choose a time zone." })}>
                <OptionList options={zones} />
              </select>
            </Field>
            <Field label="Currency" hint="Used for prices and payments." error={errors.currency?.message}>
              <select {...register("currency", { required: "Choose a currency." })}>
                <OptionList options={currencyOptions()} />
              </select>
            </Field>
          </div>
          <Field
            label="Booking page address"
            optional
            hint={
              suggestion.length >= 3
                ? `Lower-case letters, digits and hyphens. Leave it empty to use “${suggestion}”.`
                : "Lower-case letters, digits and hyphens. Leave it empty and we'll make one from the business name."
            }
            error={errors.slug?.message}
          >
            <input
              autoCapitalize="none"
              spellCheck={false}
              placeholder={suggestion.length >= 3 ? suggestion : "e.g. bella-hair-studio"}
              {...register("slug", {
                validate: (v) =>
                  v.trim() === "" || SLUG_PATTERN.test(v.trim().toLowerCase()) || "Use 3 to 63 lower-case letters, digits and hyphens, not starting or ending with a hyphen.",
              })}
            />
          </Field>
        </fieldset>
        <fieldset className="stack">
          <legend>You</legend>
          <Field label="Your name" error={errors.owner_name?.message}>
            <input autoComplete="name" maxLength={120} {...register("owner_name", { required: "Enter your name.", validate: (v) => v.trim() !== "" || "Enter your name." })} />
          </Field>
          <Field label="E-mail" error={errors.email?.message}>
            <input
              type="email"
              autoComplete="email"
              autoCapitalize="none"
              spellCheck={false}
              {...register("email", EMAIL_RULES)}
            />
          </Field>
          <Field label="Password" hint={PASSWORD_HINT} error={errors.password?.message}>
            <PasswordInput
              autoComplete="new-password"
              {...register("password", { required: "Choose a password.", minLength: { value: MIN_PASSWORD, message: `Use at least ${MIN_PASSWORD} characters.` } })}
            />
          </Field>
        </fieldset>
        <Button type="submit" variant="primary" block busy={formState.isSubmitting}>
          {formState.isSubmitting ? "Creating your account…" : "Create account"}
        </Button>
        <p className="fine-print">Your 14-day trial includes every Pro feature. No card needed.</p>
      </form>
      <p className="switch">
        Already have an account? <Link to="/login">Log in</Link>
      </p>
    </div>
  );
}
