// Appointment statuses, what each allows, and the API's conflicts in words. Mirrors the server's
// status machine: confirm ← pending; complete, no-show ← confirmed and started; cancel and move ←
// pending or confirmed.
import { ApiError, type Schemas } from "../../../lib/api-client";

type Status = Schemas["Appointment"]["status"];
export type PanelAction = "confirm" | "complete" | "no_show" | "cancel" | "reschedule";

const LABELS: Record<Status, string> = {
  pending: "Pending",
  confirmed: "Confirmed",
  completed: "Completed",
  no_show: "No-show",
  cancelled: "Cancelled",
};

export function statusLabel(status: Status): string {
  return LABELS[status];
}

export const ACTIONS: Record<PanelAction, { label: string; done: string; from: readonly Status[] }> = {
  confirm: { label: "Confirm", done: "Appointment confirmed.", from: ["pending"] },
  complete: { label: "Mark completed", done: "Marked as completed.", from: ["confirmed"] },
  no_show: { label: "Mark no-show", done: "Marked as a no-show.", from: ["confirmed"] },
  cancel: { label: "Cancel…", done: "Appointment cancelled.", from: ["pending", "confirmed"] },
  reschedule: { label: "Reschedule…", done: "Appointment moved.", from: ["pending", "confirmed"] },
};

/** The actions offered for an appointment in `status`, in the order the panel shows them. */
export function actionsFor(status: Status): PanelAction[] {
  return (Object.keys(ACTIONS) as PanelAction[]).filter((action) => ACTIONS[action].from.includes(status));
}

/** Completed and no-show say what happened: the API takes them only once the appointment has begun. */
export function waitsForStart(action: PanelAction): boolean {
  return action === "complete" || action === "no_show";
}

const CONFLICTS: Record<string, string> = {
  stale_version: "Someone else changed this appointment a moment ago. It has been reloaded: check it and try again.",
  slot_taken: "That time has just been taken. The free times have been refreshed: please choose another.",
  slot_unavailable: "That time can no longer be booked. Please choose another.",
  invalid_transition: "This appointment's status has changed in the meantime, so that is no longer possible. It has been reloaded.",
};

/** A sentence for an API error, the 409s explained rather than repeated. */
export function conflictMessage(error: unknown): string {
  if (error instanceof ApiError) return CONFLICTS[error.code] ?? error.message;
  return "Something went wrong. Please try again.";
}

/** Does this error mean "what you see is out of date": reload the appointment (and the calendar)? */
export function needsReload(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && ["stale_version", "invalid_transition", "slot_taken", "slot_unavailable"].includes(error.code);
}

const HISTORY: Record<string, string> = {
  created: "Booked",
  confirm: "Confirmed",
  complete: "Completed",
  no_show: "Marked no-show",
  cancel: "Cancelled",
  rescheduled: "Rescheduled",
  edited: "Edited",
};

export function historyLabel(action: string): string {
  return HISTORY[action] ?? action.replace(/_/g, " ");
}

const FIELD_LABELS: Record<string, string> = {
  status: "Status",
  start_at: "Start",
  staff_id: "Staff",
  location_id: "Location",
  service_id: "Service",
  customer_id: "Customer",
  price_minor: "Price",
  notes: "Notes",
  internal_notes: "Internal notes",
  cancel_reason: "Reason",
};

export interface HistoryChange {
  field: string;
  label: string;
  before: string | null;
  after: string;
}

/**
 * A history entry's changes in words (end_at is left out: it follows the start). `show(field, value)`
 * turns raw values into words (ids into names, instants into times).
 */
export function historyChanges(entry: Schemas["Change"], show: (field: string, value: unknown) => string): HistoryChange[] {
  const before: Record<string, unknown> = entry.before ?? {};
  const after: Record<string, unknown> = entry.after ?? {};
  const shown = (field: string, value: unknown) => (value === null || value === undefined || value === "" ? "—" : show(field, value));
  const changes: HistoryChange[] = [];
  for (const [field, label] of Object.entries(FIELD_LABELS)) {
    if (!(field in before) && !(field in after)) continue;
    // A booking's first entry holds every field: only the ones a person looks for are listed.
    if (entry.action === "created" && (after[field] == null || !["status", "start_at", "staff_id", "notes"].includes(field))) continue;
    changes.push({ field, label, before: field in before ? shown(field, before[field]) : null, after: shown(field, after[field]) });
  }
  return changes;
}

/** Who made a history entry, in words: a member by name where the team list is readable. */
export function actorLabel(actor: Schemas["Actor"], meId: string | undefined, members: ReadonlyMap<string, string> = new Map()): string {
  if (actor.type === "customer") return "The customer";
  if (actor.type === "system") return "Automatically";
  if (actor.id && actor.id === meId) return "You";
  return (actor.id && members.get(actor.id)) || "A team member";
}
