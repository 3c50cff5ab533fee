import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { ApiError } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { useForgotPassword } from "../api/auth";
import { AuthHeading, EMAIL_RULES, type Problem, ProblemAlert, problemOf, ResultPanel } from "./auth-parts";

/** /forgot-password: ask for a reset link. The answer is the same whether the address is known. */
export function ForgotPassword() {
  const forgot = useForgotPassword();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<{ email: string }>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { email: "" },
  });

  const submit = handleSubmit(async ({ email }) => {
    setProblem(null);
    try {
      await forgot.mutateAsync(email.trim());
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 422 ? { message: applyApiError(error, setError, ["email"]), tone: "error" } : problemOf(error),
      );
      return;
    }
    setSentTo(email.trim());
  });

  if (sentTo) {
    return (
      <ResultPanel
        tone="info"
        title="Check your inbox"
        actions={
          <Link to="/login" className="btn btn-secondary">
            Back to log in
          </Link>
        }
      >
        <p>If an account exists for {sentTo}, we've sent it a link to reset the password.</p>
        <p>The link works once and expires in one hour. Nothing arrived? Check your spam folder.</p>
      </ResultPanel>
    );
  }

  return (
    <div className="page-auth">
      <AuthHeading title="Forgot your password?" lead="Enter the address you log in with and we'll e-mail you a link to choose a new one." />
      <ProblemAlert problem={problem} />
      <form className="stack" aria-label="Reset your password" noValidate onSubmit={(e) => void submit(e)}>
        <Field label="E-mail" error={formState.errors.email?.message}>
          <input
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            {...register("email", EMAIL_RULES)}
          />
        </Field>
        <Button type="submit" variant="primary" block busy={formState.isSubmitting}>
          {formState.isSubmitting ? "Sending…" : "Send reset link"}
        </Button>
      </form>
      <p className="switch">
        <Link to="/login">Back to log in</Link>
      </p>
    </div>
  );
}
