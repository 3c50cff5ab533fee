// Pieces the account pages share: the heading, the result panel that replaces a form once it is
// done, the password input with show/hide, and an API refusal in words and as an alert.
import { useEffect, useRef, useState, type InputHTMLAttributes, type ReactNode, type Ref } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { ApiError, retryWords } from "../../../lib/api-client";

export const PASSWORD_HINT = "At least 10 characters. A short sentence is easy to remember and hard to guess.";
export const MIN_PASSWORD = 10;

/** The e-mail field's rules on every account page. */
export const EMAIL_RULES = {
  required: "Enter your e-mail address.",
  pattern: { value: /^\S+@\S+\.\S+$/, message: "Enter an e-mail address like name@example.com." },
};

export function AuthHeading({ title, lead }: { title: string; lead?: ReactNode }) {
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      {lead && <p className="lead">{lead}</p>}
    </>
  );
}

const GLYPH = { success: "✓", info: "✉", error: "!" } as const;

/** What a finished step says, with its next step; focus moves to its heading for screen readers. */
export function ResultPanel({ tone = "success", title, children, actions }: { tone?: keyof typeof GLYPH; title: string; children?: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className={`result result-${tone}`}>
      <span className="result-icon" aria-hidden="true">
        {GLYPH[tone]}
      </span>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
      {actions && <div className="result-actions">{actions}</div>}
    </div>
  );
}

/** A link from an e-mail that lost its token on the way (cut by the mail program, say). */
export function MissingToken({ what }: { what: string }) {
  return (
    <ResultPanel
      tone="error"
      title="This link is incomplete"
      actions={
        <Link to="/login" className="btn btn-secondary">
          Back to log in
        </Link>
      }
    >
      <p>The {what} link is missing its token. Open it again from the e-mail, copying the whole address.</p>
    </ResultPanel>
  );
}

type PasswordInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & { ref?: Ref<HTMLInputElement> };

/** A password input with a button that shows what was typed (Field gives it its id and aria). */
export function PasswordInput({ ref, ...props }: PasswordInputProps) {
  const [shown, setShown] = useState(false);
  return (
    <div className="input-group">
      <input ref={ref} type={shown ? "text" : "password"} spellCheck={false} autoCapitalize="none" {...props} />
      <button
        type="button"
        className="input-toggle"
        aria-pressed={shown}
        aria-controls={props.id}
        aria-label={shown ? "Hide password" : "Show password"}
        onClick={() => setShown(!shown)}
      >
        {shown ? "Hide" : "Show"}
      </button>
    </div>
  );
}

export interface Problem {
  title?: string;
  message: string;
  tone: "error" | "warning";
  /** Log-in is paused after failed attempts: resetting the password is the way on. */
  lockout?: boolean;
}

/** The refusal above a form, if there is one, with the way on (`actions`) where there is one. */
export function ProblemAlert({ problem, actions }: { problem: Problem | null; actions?: ReactNode }) {
  if (!problem) return null;
  return (
    <Alert tone={problem.tone} title={problem.title} actions={actions}>
      {problem.message}
    </Alert>
  );
}

/**
 * An API refusal as the form shows it. A 429 says when to try again (from Retry-After); a log-in
 * 429 is the lockout after failed attempts, and says so.
 */
export function problemOf(error: unknown, { login = false }: { login?: boolean } = {}): Problem {
  if (!(error instanceof ApiError)) return { message: "Something went wrong. Please try again.", tone: "error" };
  if (error.kind === "rate_limited") {
    return login
      ? {
          title: "Log-in is paused for now",
          message: `There were too many log-in attempts, so we've paused log-ins for a while to keep the account safe. ${retryWords(error.retryAfter)}`,
          tone: "warning",
          lockout: true,
        }
      : { title: "Too many attempts", message: retryWords(error.retryAfter), tone: "warning" };
  }
  return { message: error.message, tone: "error" };
}
