import { useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate, useSearchParams } from "react-router";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { useToast } from "../../../components/ui/toast";
import { ApiError } from "../../../lib/api-client";
import { applyApiError } from "../../../lib/forms";
import { useAcceptInvitation } from "../api/auth";
import { AuthHeading, MissingToken, PasswordInput, type Problem, ProblemAlert, problemOf } from "./auth-parts";

interface Values {
  name: string;
  password: string;
}

/** /accept-invitation?token=…: join a team, with a new account or the one the address already has. */
export function AcceptInvitation() {
  const token = useSearchParams()[0].get("token");
  if (!token) return <MissingToken what="invitation" />;
  return <AcceptForm token={token} />;
}

function AcceptForm({ token }: { token: string }) {
  const accept = useAcceptInvitation();
  const navigate = useNavigate();
  const toast = useToast();
  const [problem, setProblem] = useState<Problem | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { name: "", password: "" },
  });
  const { errors } = formState;

  const submit = handleSubmit(async ({ name, password }) => {
    setProblem(null);
    try {
      await accept.mutateAsync({ token, name: name.trim(), password });
    } catch (error) {
      if (error instanceof ApiError && error.code === "invalid_credentials") {
        // The address has an account already, and this is not its password.
        setError("password", { type: "server", message: error.message }, { shouldFocus: true });
      } else if (error instanceof ApiError && error.code === "invalid_token") {
        setProblem({ message: "This invitation has expired or was already used. Ask the person who invited you to send a new one.", tone: "error" });
      } else if (error instanceof ApiError && error.status === 422) {
        setProblem({ message: applyApiError(error, setError, ["name", "password"]), tone: "error" });
      } else {
        setProblem(problemOf(error));
      }
      return;
    }
    toast("Welcome to the team!");
    await navigate("/", { replace: true });
  });

  return (
    <div className="page-auth">
      <AuthHeading title="You're invited" lead="Set up your account to join your team on Booking." />
      <ProblemAlert problem={problem} />
      <form className="stack" aria-label="Join the team" noValidate onSubmit={(e) => void submit(e)}>
        <Field label="Your name" hint="How your colleagues and customers will see you." error={errors.name?.message}>
          <input autoComplete="name" maxLength={120} {...register("name", { required: "Enter your name.", validate: (v) => v.trim() !== "" || "Enter your name." })} />
        </Field>
        <Field
          label="Password"
          hint="Choose a password (at least 10 characters). Already have a Booking account with this address? Enter its password instead."
          error={errors.password?.message}
        >
          <PasswordInput autoComplete="new-password" {...register("password", { required: "Enter a password." })} />
        </Field>
        <Button type="submit" variant="primary" block busy={formState.isSubmitting}>
          {formState.isSubmitting ? "Joining…" : "Join the team"}
        </Button>
      </form>
    </div>
  );
}
