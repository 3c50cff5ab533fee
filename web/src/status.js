// Appointment statuses, what each allows, and the API's conflicts in words (pure: tested under node).

export const STATUSES = ["pending", "confirmed", "completed", "no_show", "cancelled"];

const LABELS = {
  pending: "Pending",
  confirmed: "Confirmed",
  completed: "Completed",
  no_show: "No-show",
  cancelled: "Cancelled",
};

export function statusLabel(status) {
  return LABELS[status] || String(status || "Unknown");
}

/** Still on the books (can be moved or cancelled). */
export function isActive(status) {
  return status === "pending" || status === "confirmed";
}

/**
 * The status changes the API accepts, with the path segment each posts to (as the server's
 * TRANSITIONS: confirm ← pending; complete, no-show ← confirmed; cancel ← pending or confirmed).
 */
export const ACTIONS = {
  confirm: { path: "confirm", label: "Confirm", done: "Appointment confirmed.", from: ["pending"] },
  complete: { path: "complete", label: "Mark completed", done: "Marked as completed.", from: ["confirmed"] },
  no_show: { path: "no-show", label: "Mark no-show", done: "Marked as a no-show.", from: ["confirmed"] },
  cancel: { path: "cancel", label: "Cancel…", done: "Appointment cancelled.", from: ["pending", "confirmed"] },
  reschedule: { path: "reschedule", label: "Reschedule…", done: "Appointment moved.", from: ["pending", "confirmed"] },
};

/** The actions offered for an appointment in `status`, in the order the panel shows them. */
export function actionsFor(status) {
  return Object.keys(ACTIONS).filter((action) => ACTIONS[action].from.includes(status));
}

const CONFLICTS = {
  stale_version: "Someone else changed this appointment a moment ago. It has been reloaded: check it and try again.",
  slot_taken: "That time has just been taken. The free times have been refreshed: please choose another.",
  slot_unavailable: "That time can no longer be booked. Please choose another.",
  invalid_transition: "This appointment's status has changed in the meantime, so that is no longer possible. It has been reloaded.",
  cutoff_passed: "It is too late to change this booking online. Please contact the business.",
  idempotency_in_progress: "This request is still being processed. Wait a moment, then check before trying again.",
  idempotency_key_reused: "This request was already sent with different details. Please try again.",
};

/** A sentence for an API error, the 409s explained rather than repeated. */
export function conflictMessage(err) {
  return (err && CONFLICTS[err.code]) || (err && err.message) || "Something went wrong. Please try again.";
}

/** Does this error mean "what you see is out of date": reload the appointment (and the calendar)? */
export function needsReload(err) {
  return Boolean(err && err.status === 409 && ["stale_version", "invalid_transition", "slot_taken", "slot_unavailable"].includes(err.code));
}

const HISTORY = {
  created: "Booked",
  confirm: "Confirmed",
  complete: "Completed",
  no_show: "Marked no-show",
  cancel: "Cancelled",
  rescheduled: "Rescheduled",
  edited: "Edited",
};

export function historyLabel(action) {
  return HISTORY[action] || String(action || "").replace(/_/g, " ");
}

const FIELD_LABELS = {
  status: "Status",
  start_at: "Start",
  end_at: "End",
  staff_id: "Staff",
  location_id: "Location",
  service_id: "Service",
  customer_id: "Customer",
  price_minor: "Price",
  notes: "Notes",
  internal_notes: "Internal notes",
  cancel_reason: "Reason",
};

/**
 * A history entry's changes as [{field, label, before, after}] (end_at is left out: it follows the
 * start). `show(field, value)` turns raw values into words (ids into names, instants into times).
 */
export function historyChanges(entry, show = (field, value) => value) {
  const before = entry.before || {};
  const after = entry.after || {};
  const fields = Object.keys(FIELD_LABELS).filter((f) => f !== "end_at" && (f in before || f in after));
  const changes = [];
  for (const field of fields) {
    if (entry.action === "created" && (after[field] === null || after[field] === undefined)) continue;
    if (entry.action === "created" && !["status", "start_at", "staff_id", "notes"].includes(field)) continue;
    const shown = (value) => (value === null || value === undefined || value === "" ? "—" : String(show(field, value)));
    changes.push({ field, label: FIELD_LABELS[field], before: field in before ? shown(before[field]) : null, after: shown(after[field]) });
  }
  return changes;
}

/** Who made a history entry, in words. `names`: user id → name (members we know). */
export function actorLabel(actor, { names = new Map(), meId = null } = {}) {
  if (!actor) return "Unknown";
  if (actor.type === "customer") return "The customer";
  if (actor.type === "system") return "Automatically";
  if (actor.id && actor.id === meId) return "You";
  return (actor.id && names.get(actor.id)) || "A team member";
}
