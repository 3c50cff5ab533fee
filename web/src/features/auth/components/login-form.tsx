import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { ApiError } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { applyApiError } from "../../../lib/forms";
import { useLogin } from "../api/auth";
import { safeNext } from "../utils/options";
import { AuthHeading, EMAIL_RULES, PasswordInput, type Problem, ProblemAlert, problemOf } from "./auth-parts";

interface Values {
  email: string;
  password: string;
}

const FIELDS = ["email", "password"] as const;

/** /login?next=…: log in, then go where the user was headed (a path of this site only). */
export function LoginForm() {
  const api = useApi();
  // Decided once: the log-in itself signs the user in before this page navigates away.
  const [signedIn] = useState(() => api.isLoggedIn());
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const login = useLogin();
  const [problem, setProblem] = useState<Problem | null>(
    params.get("expired") ? { message: "Your session has ended. Please log in again.", tone: "warning" } : null,
  );
  // While log-in is paused (429), the button waits for the time the server said.
  const [paused, setPaused] = useState(false);
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { email: "", password: "" },
  });
  const { errors } = formState;

  useEffect(() => {
    if (!(login.error instanceof ApiError) || login.error.kind !== "rate_limited" || login.error.retryAfter == null) return;
    setPaused(true);
    const timer = setTimeout(() => setPaused(false), login.error.retryAfter * 1000);
    return () => clearTimeout(timer);
  }, [login.error]);

  if (signedIn) return <Navigate to="/" replace />;

  const submit = handleSubmit(async ({ email, password }) => {
    setProblem(null);
    try {
      await login.mutateAsync({ email: email.trim(), password });
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        setProblem({ message: applyApiError(error, setError, FIELDS), tone: "error" });
      } else {
        setProblem(problemOf(error, { login: true }));
      }
      return;
    }
    await navigate(safeNext(params.get("next")), { replace: true });
  });

  return (
    <div className="page-auth">
      <AuthHeading title="Welcome back" lead="Log in to manage your bookings, team and settings." />
      <ProblemAlert
        problem={problem}
        actions={
          problem?.lockout ? (
            <Link to="/forgot-password" className="btn btn-secondary btn-sm">
              Reset your password
            </Link>
          ) : undefined
        }
      />
      <form className="stack" aria-label="Log in" noValidate onSubmit={(e) => void submit(e)}>
        <Field label="E-mail" error={errors.email?.message}>
          <input
            type="email"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            {...register("email", EMAIL_RULES)}
          />
        </Field>
        <Field label="Password" error={errors.password?.message}>
          <PasswordInput autoComplete="current-password" {...register("password", { required: "Enter your password." })} />
        </Field>
        <div className="row-end">
          <Link to="/forgot-password" className="link-sm">
            Forgot your password?
          </Link>
        </div>
        <Button type="submit" variant="primary" block busy={formState.isSubmitting} disabled={paused}>
          {formState.isSubmitting ? "Logging in…" : "Log in"}
        </Button>
      </form>
      <p className="switch">
        New to Booking? <Link to="/signup">Start a free trial</Link>
      </p>
    </div>
  );
}
