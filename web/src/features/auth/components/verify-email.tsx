import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { useVerifyEmail } from "../api/auth";
import { MissingToken, ResultPanel } from "./auth-parts";

/** /verify-email?token=…: confirm the address as soon as the link is opened. */
export function VerifyEmail() {
  const token = useSearchParams()[0].get("token");
  if (!token) return <MissingToken what="confirmation" />;
  return <Verification token={token} />;
}

function Verification({ token }: { token: string }) {
  const api = useApi();
  const verification = useVerifyEmail(token);
  const next = api.isLoggedIn() ? (
    <Link to="/" className="btn btn-primary">
      Go to the dashboard
    </Link>
  ) : (
    <Link to="/login" className="btn btn-primary">
      Log in
    </Link>
  );
  if (verification.isPending) {
    return (
      <div className="result" aria-live="polite">
        <span className="spinner spinner-lg" aria-hidden="true" />
        <h1 tabIndex={-1}>Confirming your e-mail address…</h1>
      </div>
    );
  }
  if (verification.isError) {
    const expired = verification.error instanceof ApiError && verification.error.code === "invalid_token";
    return (
      <ResultPanel tone="error" title={expired ? "This link has expired or was already used" : "We couldn't confirm your address"} actions={next}>
        <p>
          {expired
            ? "If your address is already confirmed there's nothing more to do. Otherwise, log in to ask for a new link."
            : verification.error.message}
        </p>
      </ResultPanel>
    );
  }
  return (
    <ResultPanel title="Your e-mail address is confirmed" actions={next}>
      <p>Thank you! You'll receive booking notifications and account messages at this address.</p>
    </ResultPanel>
  );
}
