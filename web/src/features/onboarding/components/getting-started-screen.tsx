// "/getting-started": the checklist a new business follows to its first online booking. Each step is
// ticked from the business's own data and links to the screen that fills it.
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CopyButton } from "../../../components/ui/copy-button";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError } from "../../../lib/api-client";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { bookingUrl, markLinkShared } from "../../settings/api/booking-link";
import { useUpdateBusiness, type Business } from "../../settings/api/business";
import { useSetup, type SetupStep } from "../api/setup";
import { SetupProgress } from "./setup-progress";
import "../onboarding.css";

export function GettingStartedScreen() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (!roleAtLeast(me.data?.role, "admin")) {
    return (
      <div className="page">
        <PageHeader title="Getting started" />
        <Alert tone="info">Setting up the business is done by its owners and admins. Ask one of them if something is missing.</Alert>
      </div>
    );
  }
  return <Checklist />;
}

function Checklist() {
  const setup = useSetup();
  const business = setup.business;
  return (
    <div className="page getting-started">
      <PageHeader title="Getting started" lead="Five steps to your first online booking. You can come back to any of them later." />
      {setup.error ? (
        <Alert tone="error" title="We couldn't check your setup.">
          {setup.error.message}
        </Alert>
      ) : setup.isPending || !business ? (
        <Loading label="Checking your setup…" />
      ) : (
        <>
          <SetupProgress done={setup.done} total={setup.total} />
          {setup.complete && (
            <Alert tone="success" title="You're all set." actions={<Link className="btn btn-primary btn-sm" to="/calendar">Open the calendar</Link>}>
              Customers can book you online. New bookings appear on your calendar.
            </Alert>
          )}
          <ol className="setup-steps">
            {setup.steps.map((step, index) => (
              <Step key={step.id} step={step} number={index + 1} business={business} />
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function Step({ step, number, business }: { step: SetupStep; number: number; business: Business }) {
  const titleId = `step-${step.id}`;
  return (
    <li className={`card setup-step${step.done ? " is-done" : ""}`} aria-labelledby={titleId}>
      <span className={step.done ? "setup-tick" : "step-number"} aria-hidden="true">
        {step.done ? "✓" : number}
      </span>
      <div className="setup-step-body">
        <h2 id={titleId} className="card-title">
          {step.title}
          <span className="sr-only">{step.done ? " (done)" : " (to do)"}</span>
        </h2>
        <p className="muted">{step.description}</p>
        {step.detail && <p className="setup-detail">{step.detail}</p>}
        {step.id === "link" && <LinkStep business={business} />}
        <div className="placeholder-actions">
          <Link className={`btn ${step.done ? "btn-secondary" : "btn-primary"} btn-sm`} to={step.href}>
            {step.done && step.id !== "link" ? "Edit" : step.action}
            {step.done && step.id !== "link" && <span className="sr-only">: {step.title.toLowerCase()}</span>}
          </Link>
          {step.id === "profile" && !step.done && <KeepSettings business={business} />}
        </div>
      </div>
    </li>
  );
}

/** The defaults may be right as they are: saying so ticks the step (an empty save bumps the version). */
function KeepSettings({ business }: { business: Business }) {
  const update = useUpdateBusiness();
  const toast = useToast();
  return (
    <>
      <Button
        size="sm"
        busy={update.isPending}
        onClick={() => update.mutate({ version: business.version }, { onSuccess: () => toast("Settings kept as they are.") })}
      >
        They look right
      </Button>
      {update.error && (
        <p className="field-error" role="alert">
          {update.error instanceof ApiError && update.error.code === "stale_version" ? "Your settings were just changed elsewhere; review them on the settings page." : update.error.message}
        </p>
      )}
    </>
  );
}

function LinkStep({ business }: { business: Business }) {
  const url = bookingUrl(business.slug);
  const shared = () => markLinkShared(business.id);
  return (
    <div className="setup-link">
      <a href={url} target="_blank" rel="noreferrer" onClick={shared} className="booking-link-url">
        {url}
        <span className="sr-only"> (opens in a new tab)</span>
      </a>
      <CopyButton text={url} label="Copy link" size="sm" onCopied={shared} />
    </div>
  );
}
