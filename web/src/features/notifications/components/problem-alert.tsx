// How the notification forms show a refusal: its field reasons on the fields, the rest in an alert
// that offers to reload when the record changed or went away meanwhile.
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PLANS_PATH } from "../../billing/lib/words";
import type { Problem } from "../utils/notifications";

/** A refusal with the reasons that fit none of the form's fields. */
export type ShownProblem = Problem & { unplaced: string[] };

/** Put `found`'s reasons on the form's `fields` (focusing the first) and keep the others to show. */
export function placeProblem<V extends FieldValues>(found: Problem, fields: readonly Path<V>[], setError: UseFormSetError<V>): ShownProblem {
  const unplaced: string[] = [];
  let first = true;
  for (const [name, reason] of Object.entries(found.fields)) {
    if ((fields as readonly string[]).includes(name)) {
      setError(name as Path<V>, { type: "server", message: reason }, { shouldFocus: first });
      first = false;
    } else {
      unplaced.push(reason);
    }
  }
  return { ...found, unplaced };
}

export function ProblemAlert({ problem, onReload }: { problem: ShownProblem; onReload: () => void }) {
  return (
    <Alert
      tone={problem.tone}
      actions={
        problem.kind === "stale" || problem.kind === "gone" ? (
          <Button size="sm" onClick={onReload}>
            Reload
          </Button>
        ) : problem.kind === "plan" ? (
          <Link className="btn btn-sm btn-primary" to={PLANS_PATH}>
            Compare plans
          </Link>
        ) : undefined
      }
    >
      {problem.message}
      {problem.unplaced.length > 0 && (
        <ul>
          {problem.unplaced.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
