import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useSearchParams } from "react-router";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { ApiError } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { useResetPassword } from "../api/auth";
import { AuthHeading, MIN_PASSWORD, MissingToken, PASSWORD_HINT, PasswordInput, type Problem, ProblemAlert, problemOf, ResultPanel } from "./auth-parts";

interface Values {
  password: string;
  confirm: string;
}

/** /reset-password?token=…: choose a new password from the e-mailed link. */
export function ResetPassword() {
  const token = useSearchParams()[0].get("token");
  if (!token) return <MissingToken what="password reset" />;
  return <ResetForm token={token} />;
}

function ResetForm({ token }: { token: string }) {
  const reset = useResetPassword();
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<(Problem & { expired?: boolean }) | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { password: "", confirm: "" },
  });
  const { errors } = formState;

  const submit = handleSubmit(async ({ password }) => {
    setProblem(null);
    try {
      await reset.mutateAsync({ token, password });
    } catch (error) {
      if (error instanceof ApiError && error.code === "invalid_token") {
        setProblem({ message: error.message, tone: "error", expired: true });
      } else if (error instanceof ApiError && error.status === 422) {
        setProblem({ message: applyApiError(error, setError, ["password"]), tone: "error" });
      } else {
        setProblem(problemOf(error));
      }
      return;
    }
    setDone(true);
  });

  if (done) {
    return (
      <ResultPanel
        title="Your password is changed"
        actions={
          <Link to="/login" className="btn btn-primary">
            Log in
          </Link>
        }
      >
        <p>Log in with your new password to continue.</p>
      </ResultPanel>
    );
  }

  return (
    <div className="page-auth">
      <AuthHeading title="Choose a new password" lead="After this, every device that was logged in will need to log in again." />
      <ProblemAlert
        problem={problem}
        actions={
          problem?.expired ? (
            <Link to="/forgot-password" className="btn btn-secondary btn-sm">
              Send a new link
            </Link>
          ) : undefined
        }
      />
      <form className="stack" aria-label="Choose a new password" noValidate onSubmit={(e) => void submit(e)}>
        <Field label="New password" hint={PASSWORD_HINT} error={errors.password?.message}>
          <PasswordInput
            autoComplete="new-password"
            {...register("password", { required: "Choose a password.", minLength: { value: MIN_PASSWORD, message: `Use at least ${MIN_PASSWORD} characters.` } })}
          />
        </Field>
        <Field label="Repeat the new password" error={errors.confirm?.message}>
          <PasswordInput
            autoComplete="new-password"
            {...register("confirm", { validate: (value, all) => value === all.password || "The two passwords are not the same." })}
          />
        </Field>
        <Button type="submit" variant="primary" block busy={formState.isSubmitting}>
          {formState.isSubmitting ? "Saving…" : "Set new password"}
        </Button>
      </form>
    </div>
  );
}
