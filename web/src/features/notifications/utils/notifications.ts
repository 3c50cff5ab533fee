// Notifications in words: reminder offsets, the messages and their placeholders, the delivery
// statuses, and the API's refusals for this page. The limits mirror the API's
// (chalicelib/notifications): it stays the judge.
import { ApiError, type Schemas } from "../../../lib/api-client";
import { humanizeReason } from "../../../lib/forms";
import { planProblem } from "../../billing/lib/words";

export const MIN_OFFSET_MIN = 15;
export const MAX_OFFSET_MIN = 14 * 24 * 60;
export const MAX_OFFSETS = 5;
export const MAX_WHATSAPP_VARIABLES = 10;

const DAY = 24 * 60;
const WEEK = 7 * DAY;

export type OffsetUnit = "minutes" | "hours" | "days";
export const OFFSET_UNITS: readonly { value: OffsetUnit; minutes: number }[] = [
  { value: "minutes", minutes: 1 },
  { value: "hours", minutes: 60 },
  { value: "days", minutes: DAY },
];

/** One-click choices for the reminders (the first is the product's default). */
export const OFFSET_PRESETS: readonly (readonly number[])[] = [[1440, 120], [1440], [2880, 120], [WEEK, 1440, 60], []];

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** 30 → "30 minutes", 90 → "1 hour 30 minutes", 1440 → "24 hours" (the day-before reminder), 10080 → "1 week". */
export function offsetDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes <= 0) return "";
  if (minutes % WEEK === 0) return count(minutes / WEEK, "week");
  const parts: string[] = [];
  let rest = minutes;
  if (minutes >= 2 * DAY) {
    parts.push(count(Math.floor(rest / DAY), "day"));
    rest %= DAY;
  }
  if (rest >= 60) {
    parts.push(count(Math.floor(rest / 60), "hour"));
    rest %= 60;
  }
  if (rest) parts.push(count(rest, "minute"));
  return parts.join(" ");
}

/** 1440 → "24 hours before". */
export function formatOffset(minutes: number): string {
  const words = offsetDuration(minutes);
  return words ? `${words} before` : "";
}

/** Largest first, as the API stores them. */
export function sortOffsets(offsets: readonly number[]): number[] {
  return [...offsets].sort((a, b) => b - a);
}

export function sameOffsets(a: readonly number[], b: readonly number[]): boolean {
  const x = sortOffsets(a);
  const y = sortOffsets(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** [1440, 120] → "24 hours and 2 hours before", [] → "No reminders". */
export function describeOffsets(offsets: readonly number[]): string {
  const words = sortOffsets(offsets).map(offsetDuration);
  if (!words.length) return "No reminders";
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
  return `${list} before`;
}

/** ("2", "hours") → {minutes: 120}; ("1.5", "hours") → 90; what the API would refuse → {error}. */
export function parseOffset(amount: string, unit: OffsetUnit): { minutes: number } | { error: string } {
  const text = amount.trim().replace(",", ".");
  const spec = OFFSET_UNITS.find((u) => u.value === unit);
  if (!text) return { error: "Enter how long before the appointment." };
  if (!spec || !/^\d+(\.\d+)?$/.test(text)) return { error: "Enter a number, such as 2 or 1.5." };
  const exact = Number(text) * spec.minutes;
  const minutes = Math.round(exact);
  if (Math.abs(exact - minutes) > 1e-9) return { error: "Use whole minutes." };
  if (minutes < MIN_OFFSET_MIN) return { error: `Reminders go at least ${offsetDuration(MIN_OFFSET_MIN)} before.` };
  if (minutes > MAX_OFFSET_MIN) return { error: `Reminders go at most ${offsetDuration(MAX_OFFSET_MIN)} (14 days) before.` };
  return { minutes };
}

/** `offsets` with `minutes` added (largest first), or {error} if it is there already or the list is full. */
export function addOffset(offsets: readonly number[], minutes: number): { offsets: number[] } | { error: string } {
  if (offsets.includes(minutes)) return { error: `There is already a reminder ${formatOffset(minutes)}.` };
  if (offsets.length >= MAX_OFFSETS) return { error: `At most ${MAX_OFFSETS} reminders: remove one first.` };
  return { offsets: sortOffsets([...offsets, minutes]) };
}

// --- messages and templates -------------------------------------------------------------------------

const MESSAGES: Record<string, [string, string]> = {
  booking_confirmed: ["Booking confirmed", "When a booking is confirmed (at once, or when the team accepts it)."],
  booking_pending: ["Booking request received", "When an online booking waits for the team to confirm it."],
  booking_rescheduled: ["Booking moved", "When a booking moves to another time."],
  booking_cancelled: ["Booking cancelled", "When a booking is cancelled, by the customer or by the team."],
  reminder: ["Reminder", "Before the appointment, at the times set under Reminders."],
  staff_new_booking: ["New booking (to staff)", "To the staff member when a customer books with them."],
};

export function messageLabel(message: string): string {
  const known = MESSAGES[message];
  if (known) return known[0];
  const words = message.replace(/[._]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Message";
}

export function messageDescription(message: string): string {
  return MESSAGES[message]?.[1] ?? "";
}

export type Channel = Schemas["NotificationTemplate"]["channel"];
export const CHANNELS: readonly Channel[] = ["email", "whatsapp"];

export function channelLabel(channel: Channel): string {
  return channel === "email" ? "E-mail" : "WhatsApp";
}

export function audienceLabel(audience: Schemas["NotificationTemplate"]["audience"]): string {
  return audience === "staff" ? "To the staff member" : "To the customer";
}

export interface TemplateRow {
  message: string;
  audience: Schemas["NotificationTemplate"]["audience"];
  channels: Partial<Record<Channel, Schemas["NotificationTemplate"]>>;
}

/** The templates as rows: one per message (first-seen order), its templates by channel. */
export function templateRows(items: readonly Schemas["NotificationTemplate"][]): TemplateRow[] {
  const rows = new Map<string, TemplateRow>();
  for (const item of items) {
    const row = rows.get(item.message) ?? { message: item.message, audience: item.audience, channels: {} };
    row.channels[item.channel] = item;
    rows.set(item.message, row);
  }
  return [...rows.values()];
}

const PLACEHOLDER_HINTS: Record<string, string> = {
  customer_name: "The customer's name",
  service: "The service booked",
  staff: "The staff member's name",
  location: "Where the appointment is",
  start_time: "The date and time, in your business's time zone",
  manage_link: "The link that fits the message: manage the booking, book again, or the calendar (staff)",
  business_name: "Your business's name",
};

export function placeholderHint(name: string): string {
  return PLACEHOLDER_HINTS[name] ?? "";
}

/** `text` with "{name}" in place of the selection [start, end): the new text and the caret after it. */
export function insertPlaceholder(text: string, start: number | null, end: number | null, name: string): { text: string; caret: number } {
  const clamp = (n: number | null, fallback: number) => (n === null ? fallback : Math.min(Math.max(n, 0), text.length));
  const from = clamp(start, text.length);
  const to = Math.max(from, clamp(end, from));
  const token = `{${name}}`;
  return { text: text.slice(0, from) + token + text.slice(to), caret: from + token.length };
}

/** A wording filled as the API fills it: "{name}" replaced, "{{" and "}}" one brace, unknown names left. */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, name: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    return name !== undefined && Object.hasOwn(values, name) ? (values[name] ?? "") : match;
  });
}

// What the API's patterns mean, said for people (the API answers "Expected `str` matching regex ...").
export const FORMATS = {
  whatsapp_phone_number_id: [/^[0-9]{5,32}$/, "Digits only (5 to 32): the ID WhatsApp Manager shows for the number, not the phone number itself."],
  whatsapp_access_token: [/^[!-~]{20,2048}$/, "Paste the whole token: at least 20 characters, without spaces."],
  name: [/^[a-z0-9_]{1,512}$/, "Use the approved template's name: lower-case letters, digits and _ only."],
  language: [/^[a-z]{2,3}(_[A-Z]{2})?$/, "Use a WhatsApp language code such as en, en_GB or pt_BR."],
} as const satisfies Record<string, readonly [RegExp, string]>;

/** A rule for react-hook-form: empty is left to `required`, anything else must match the format. */
export function formatRule(name: keyof typeof FORMATS) {
  const [pattern, reason] = FORMATS[name];
  return (value: string | null | undefined) => !value || pattern.test(value.trim()) || reason;
}

// --- the API's answers ------------------------------------------------------------------------------

/** A 422's field path as the form names it: "reminder_offsets_min.0" → "reminder_offsets_min". */
export function formField(path: string): string {
  const parts = path.split(".");
  const at = parts.findIndex((p) => /^\d+$/.test(p));
  return at > 0 ? parts.slice(0, at).join(".") : path;
}

/** A 422's reasons by form field, in words; an item's reason says which item ("Reminder 2: ..."). */
export function fieldReasons(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, reason] of Object.entries(fields)) {
    const name = formField(path.replace(/^\$\./, ""));
    const index = /\.(\d+)(\.|$)/.exec(path)?.[1];
    const format = (FORMATS as Record<string, readonly [RegExp, string]>)[name];
    const words = format && /^Expected `str` matching regex/.test(reason) ? format[1] : humanizeReason(reason);
    const text =
      index === undefined
        ? words
        : name === "parameters"
          ? `Variable {{${Number(index) + 1}}}: ${words}`
          : `${name === "reminder_offsets_min" ? "Reminder" : "Item"} ${Number(index) + 1}: ${words}`;
    out[name] = out[name] ? `${out[name]} ${text}` : text;
  }
  return out;
}

export type ProblemKind = "plan" | "stale" | "fields" | "gone" | "other";

export interface Problem {
  kind: ProblemKind;
  message: string;
  tone: "error" | "warning";
  fields: Record<string, string>;
  feature?: string;
}

/** How this page shows an API refusal: a plan limit, a stale version (reload), field reasons, or words. */
export function explainError(error: unknown, what = "These settings"): Problem {
  if (!(error instanceof ApiError)) return { kind: "other", message: "Something went wrong. Please try again.", tone: "error", fields: {} };
  // The plan's refusals are worded by billing, the same on every screen.
  const plan = planProblem(error);
  if (plan) {
    const feature = typeof error.details.feature === "string" ? error.details.feature : undefined;
    return { kind: "plan", message: plan.message, tone: "warning", fields: {}, ...(feature ? { feature } : {}) };
  }
  if (error.code === "stale_version") {
    return {
      kind: "stale",
      tone: "warning",
      fields: {},
      message: `${what} changed elsewhere (in another tab or by a colleague) after you opened the page. Reload to see the latest version; your unsaved changes will be lost.`,
    };
  }
  if (error.status === 422 && Object.keys(error.fields).length) {
    return { kind: "fields", message: "Please correct the highlighted fields.", tone: "error", fields: fieldReasons(error.fields) };
  }
  if (error.status === 403) return { kind: "other", message: "Only admins and owners can change notifications.", tone: "error", fields: {} };
  if (error.status === 404) return { kind: "gone", message: "This no longer exists. Reload the page to see what there is now.", tone: "error", fields: {} };
  return { kind: "other", message: error.message, tone: "error", fields: {} };
}

// --- the delivery log -------------------------------------------------------------------------------

type DeliveryStatus = Schemas["Delivery"]["status"];
const DELIVERY: Record<DeliveryStatus, [string, string]> = {
  sending: ["Sending", "info"],
  sent: ["Sent", "brand"],
  delivered: ["Delivered", "success"],
  read: ["Read", "success"],
  retrying: ["Retrying", "warning"],
  failed: ["Failed", "danger"],
  skipped: ["Skipped", "muted"],
  uncertain: ["Uncertain", "warning"],
};

/** A delivery status as a word and a tone ("sent" → {label: "Sent", tone: "brand"}). */
export function deliveryStatus(status: DeliveryStatus): { label: string; tone: string } {
  const [label, tone] = DELIVERY[status];
  return { label, tone };
}

export const LOG_PAGE_SIZE = 25;
