// The API's refusals in the customer's language (the API's own messages are English).
import type { UseFormSetError, FieldValues, Path } from "react-hook-form";
import { ApiError } from "../../../lib/api-client";
import type { MessageId } from "../i18n/messages";
import type { Translate } from "../i18n/use-words";

/** "Too many attempts. Try again in 40 seconds." */
export function waitWords(t: Translate, error: ApiError): string {
  return error.retryAfter == null ? t("error.waitUnknown") : t("error.wait", { seconds: error.retryAfter });
}

const CONFLICTS: Record<string, MessageId> = {
  slot_taken: "error.slotTaken",
  slot_unavailable: "error.slotUnavailable",
  too_many_pending: "error.tooManyPending",
  cutoff_passed: "error.cutoff",
  invalid_transition: "error.changed",
  idempotency_in_progress: "error.inProgress",
  idempotency_key_reused: "error.keyReused",
};

/** Any refusal in words. `business`: the business's name, for its budget being spent. */
export function refusal(t: Translate, error: unknown, business?: string): string {
  if (!(error instanceof ApiError)) return t("error.generic");
  if (error.kind === "network") return t("error.network");
  if (error.kind === "rate_limited") {
    // The business's online budget is spent: not the customer's doing, so not "you tried too often".
    if (business && error.details.limit === "online_bookings_per_business") {
      const when = error.retryAfter == null ? t("error.retryLater") : t("error.retryIn", { seconds: error.retryAfter });
      return `${t("error.budget", { business })} ${when}`;
    }
    return waitWords(t, error);
  }
  const conflict = CONFLICTS[error.code];
  if (conflict) return t(conflict);
  return t("error.generic");
}

/**
 * A 422 onto the form's fields, each in the page's language (`reasonFor` picks the words for a field
 * and the API's reason). Returns the message for the form as a whole.
 */
export function placeFieldErrors<T extends FieldValues>(
  t: Translate,
  error: ApiError,
  setError: UseFormSetError<T>,
  reasonFor: (field: string, apiReason: string) => MessageId | null,
): string {
  let placed = 0;
  let unplaced = 0;
  for (const [path, reason] of Object.entries(error.fields)) {
    const field = path.replace(/^\$\./, "");
    const id = reasonFor(field, reason);
    if (id) {
      setError(field as Path<T>, { type: "server", message: t(id) }, { shouldFocus: placed === 0 });
      placed += 1;
    } else {
      unplaced += 1;
    }
  }
  return placed && !unplaced ? t("error.fixFields") : t("error.invalid");
}
