// THE display of a refusal for the plan (plan_required, plan_limit) or the business's state
// (bookings_closed), where it happens: the screens' own error area shows this in place of their
// usual message when `planProblem(error)` recognises the error.
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { planProblem } from "../lib/words";

/** The explanation with its link, or null when `error` is not about the plan. */
export function PlanRefusal({ error }: { error: unknown }) {
  const me = useMe();
  const problem = planProblem(error);
  if (!problem) return null;
  // Only owners change the subscription: the others are told whom to ask.
  const owner = roleAtLeast(me.data?.role, "owner");
  return (
    <Alert
      tone="warning"
      title={problem.title}
      actions={
        <Link className="btn btn-sm btn-primary" to={problem.link.to}>
          {problem.link.label}
        </Link>
      }
    >
      {problem.message}
      {!owner && me.data && " Only an owner of the business can change its plan."}
    </Alert>
  );
}
