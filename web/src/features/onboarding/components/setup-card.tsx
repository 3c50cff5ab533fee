// The dashboard's reminder while setup is unfinished: how far it has got and the next step, leading
// to the checklist. It shows nothing once every step is done (or while it cannot tell).
import { Link } from "react-router";
import { useSetup } from "../api/setup";
import { SetupProgress } from "./setup-progress";
import "../onboarding.css";

export function SetupCard() {
  const setup = useSetup();
  if (setup.isPending || setup.error || setup.complete) return null;
  const next = setup.steps.find((s) => !s.done);
  return (
    <section className="card setup-card" aria-labelledby="setup-card-title">
      <div className="setup-card-text">
        <h2 id="setup-card-title">Finish setting up your business</h2>
        {next && <p className="muted">Next: {next.title.charAt(0).toLowerCase() + next.title.slice(1)}.</p>}
        <SetupProgress done={setup.done} total={setup.total} />
      </div>
      <Link className="btn btn-primary" to="/getting-started">
        Continue setting up
      </Link>
    </section>
  );
}

/** Whether the business still has setup steps open (false while unknown). */
export function useSetupIncomplete(): boolean {
  const setup = useSetup();
  return !setup.isPending && !setup.error && !setup.complete;
}
