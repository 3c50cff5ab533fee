// Notifications in words (pure: tested under node): reminder offsets, the messages and their
// placeholders, what a settings PUT carries, the API's answers for this page, and the delivery log's
// paging. The limits mirror the API's (chalicelib/notifications/routes.py): it stays the judge.
import { humanizeReason } from "./format.js";

export const MIN_OFFSET_MIN = 15;
export const MAX_OFFSET_MIN = 14 * 24 * 60;
export const MAX_OFFSETS = 5;
export const MAX_WHATSAPP_VARIABLES = 10;

const WEEK = 7 * 24 * 60;
const DAY = 24 * 60;

export const OFFSET_UNITS = [
  { value: "minutes", label: "minutes", minutes: 1 },
  { value: "hours", label: "hours", minutes: 60 },
  { value: "days", label: "days", minutes: DAY },
];

/** One-click choices for the reminders (the first is the product's default). */
export const OFFSET_PRESETS = [[1440, 120], [1440], [2880, 120], [WEEK, 1440, 60], []];

function count(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * A time before the start in words: 30 → "30 minutes", 90 → "1 hour 30 minutes", 1440 → "24 hours"
 * (how people say the day-before reminder), 2880 → "2 days", 10080 → "1 week".
 */
export function offsetDuration(minutes) {
  const n = Number(minutes);
  if (!Number.isInteger(n) || n <= 0) return "";
  if (n % WEEK === 0) return count(n / WEEK, "week");
  const parts = [];
  let rest = n;
  if (n >= 2 * DAY) {
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
export function formatOffset(minutes) {
  const words = offsetDuration(minutes);
  return words ? `${words} before` : "";
}

/** A list of offsets in one phrase: [1440, 120] → "24 hours and 2 hours before", [] → "No reminders". */
export function describeOffsets(offsets) {
  const words = sortOffsets(offsets).map(offsetDuration);
  if (!words.length) return "No reminders";
  const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
  return `${list} before`;
}

/** Largest first, as the API stores them. */
export function sortOffsets(offsets) {
  return [...(offsets || [])].map(Number).sort((a, b) => b - a);
}

export function sameOffsets(a, b) {
  const x = sortOffsets(a);
  const y = sortOffsets(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * What the "add a reminder" inputs mean: ("2", "hours") → {minutes: 120}; ("1.5", "hours") → 90.
 * Anything the API would refuse answers {error} in words instead.
 */
export function parseOffset(amount, unit) {
  const text = String(amount ?? "").trim().replace(",", ".");
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
export function addOffset(offsets, minutes) {
  const list = sortOffsets(offsets);
  if (list.includes(minutes)) return { error: `There is already a reminder ${formatOffset(minutes)}.` };
  if (list.length >= MAX_OFFSETS) return { error: `At most ${MAX_OFFSETS} reminders: remove one first.` };
  return { offsets: sortOffsets([...list, minutes]) };
}

export function removeOffset(offsets, minutes) {
  return sortOffsets(offsets).filter((m) => m !== minutes);
}

// --- settings ---------------------------------------------------------------------------------------

/** The API's settings as the form holds them (what `settingsChanges` compares). */
export function settingsValues(settings) {
  return {
    email_enabled: Boolean(settings.email_enabled),
    whatsapp_enabled: Boolean(settings.whatsapp_enabled),
    whatsapp_phone_number_id: settings.whatsapp_phone_number_id ?? null,
    reminder_offsets_min: sortOffsets(settings.reminder_offsets_min),
    sender_name: settings.sender_name ?? null,
    reply_to: settings.reply_to ?? null,
  };
}

/** The form's values (FormData) and the reminders list in the API's shape; blanks become null. */
export function readSettingsForm(data, offsets) {
  const text = (name) => String(data.get(name) ?? "").trim();
  return {
    email_enabled: data.get("email_enabled") === "on",
    whatsapp_enabled: data.get("whatsapp_enabled") === "on",
    whatsapp_phone_number_id: text("whatsapp_phone_number_id").replace(/\s+/g, "") || null,
    reminder_offsets_min: sortOffsets(offsets),
    sender_name: text("sender_name") || null,
    reply_to: text("reply_to") || null,
  };
}

// What the API's patterns mean, said for people (the API answers "Expected `str` matching regex ...").
const FORMATS = {
  whatsapp_phone_number_id: [/^[0-9]{5,32}$/,
    "Digits only (5 to 32): the ID WhatsApp Manager shows for the number, not the phone number itself."],
  whatsapp_access_token: [/^[!-~]{20,2048}$/, "Paste the whole token: at least 20 characters, without spaces."],
  name: [/^[a-z0-9_]{1,512}$/, "Use the approved template's name: lower-case letters, digits and _ only."],
  language: [/^[a-z]{2,3}(_[A-Z]{2})?$/, "Use a WhatsApp language code such as en, en_GB or pt_BR."],
};

/**
 * What the browser can tell before the API does, by field: {name: reason}. `values` in the API's
 * shape; null, empty and absent fields are left to the API (which knows when they are required).
 */
export function formatProblems(values) {
  const problems = {};
  for (const [name, [pattern, reason]] of Object.entries(FORMATS)) {
    const value = values[name];
    if (typeof value === "string" && value !== "" && !pattern.test(value)) problems[name] = reason;
  }
  return problems;
}

/** What a PUT should carry: the fields that differ (the reminders compared as a set). {} if nothing. */
export function settingsChanges(original, edited) {
  const changes = {};
  for (const [key, value] of Object.entries(edited)) {
    const same = key === "reminder_offsets_min" ? sameOffsets(original[key], value) : Object.is(original[key], value);
    if (!same) changes[key] = value;
  }
  return changes;
}

// --- messages and templates -------------------------------------------------------------------------

const MESSAGES = {
  booking_confirmed: ["Booking confirmed", "When a booking is confirmed (at once, or when the team accepts it)."],
  booking_pending: ["Booking request received", "When an online booking waits for the team to confirm it."],
  booking_rescheduled: ["Booking moved", "When a booking moves to another time."],
  booking_cancelled: ["Booking cancelled", "When a booking is cancelled, by the customer or by the team."],
  reminder: ["Reminder", "Before the appointment, at the times set under Reminders."],
  staff_new_booking: ["New booking (to staff)", "To the staff member when a customer books with them."],
};

export function messageLabel(message) {
  if (MESSAGES[message]) return MESSAGES[message][0];
  const words = String(message || "").replace(/[._]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : "Message";
}

export function messageDescription(message) {
  return MESSAGES[message] ? MESSAGES[message][1] : "";
}

export function channelLabel(channel) {
  return { email: "E-mail", whatsapp: "WhatsApp" }[channel] || String(channel || "");
}

export function audienceLabel(audience) {
  return audience === "staff" ? "To the staff member" : "To the customer";
}

/** The templates list as rows: one per message (first-seen order), its templates by channel. */
export function templateRows(items) {
  const rows = new Map();
  for (const item of items || []) {
    if (!rows.has(item.message)) rows.set(item.message, { message: item.message, audience: item.audience, channels: {} });
    rows.get(item.message).channels[item.channel] = item;
  }
  return [...rows.values()];
}

export const PLACEHOLDER_HINTS = {
  customer_name: "The customer's name",
  service: "The service booked",
  staff: "The staff member's name",
  location: "Where the appointment is",
  start_time: "The date and time, in your business's time zone",
  manage_link: "The link that fits the message: manage the booking, book again, or the calendar (staff)",
  business_name: "Your business's name",
};

export function placeholderHint(name) {
  return PLACEHOLDER_HINTS[name] || "";
}

/**
 * `text` with "{name}" put in place of the selection [start, end) (or at the end when there is no
 * caret): {text, caret} with the caret just after what was inserted.
 */
export function insertPlaceholder(text, start, end, name) {
  const value = String(text ?? "");
  const clamp = (n, fallback) => (Number.isInteger(n) ? Math.min(Math.max(n, 0), value.length) : fallback);
  const from = clamp(start, value.length);
  const to = Math.max(from, clamp(end, from));
  const token = `{${name}}`;
  return { text: value.slice(0, from) + token + value.slice(to), caret: from + token.length };
}

/**
 * A wording filled with example values, as the API fills it: "{name}" replaced, "{{" and "}}" one
 * brace; a placeholder it does not know is left as written (saving it would be refused anyway).
 */
export function fillTemplate(text, values) {
  return String(text ?? "").replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, name) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name] ?? "") : match;
  });
}

// --- the API's answers ------------------------------------------------------------------------------

const FEATURE_NAMES = { whatsapp: "WhatsApp messages", custom_templates: "custom message templates" };

export function planMessage(feature) {
  const name = FEATURE_NAMES[feature] || (feature ? String(feature).replace(/_/g, " ") : "this feature");
  return `Your plan does not include ${name}. Upgrade your plan to use ${feature in FEATURE_NAMES ? "them" : "it"}.`;
}

/** A 422's field path as the form names it: "reminder_offsets_min.0" → "reminder_offsets_min". */
export function formField(path) {
  const parts = String(path || "").split(".");
  const at = parts.findIndex((p) => /^\d+$/.test(p));
  return at > 0 ? parts.slice(0, at).join(".") : String(path || "");
}

/** "parameters.2" → 2 (the item a reason is about), or null. */
function itemIndex(path) {
  const m = /\.(\d+)(\.|$)/.exec(String(path || ""));
  return m ? Number(m[1]) : null;
}

const ITEM_NAMES = { reminder_offsets_min: "Reminder", parameters: "Variable" };

/** The reasons of a 422 by form field, in words; an item's reason says which item ("Reminder 2: ..."). */
export function fieldReasons(fields) {
  const out = {};
  for (const [path, reason] of Object.entries(fields || {})) {
    const name = formField(path);
    const index = itemIndex(path);
    const words = /^Expected `str` matching regex/.test(String(reason)) && FORMATS[name] ? FORMATS[name][1] : humanizeReason(reason);
    const text = index === null ? words
      : name === "parameters" ? `Variable {{${index + 1}}}: ${words}` : `${ITEM_NAMES[name] || "Item"} ${index + 1}: ${words}`;
    out[name] = out[name] ? `${out[name]} ${text}` : text;
  }
  return out;
}

/**
 * How this page shows an error from the API: {kind, message, tone, fields, feature}.
 * kind: "plan" (403 plan_required), "stale" (409: reload), "fields" (422 by field), "gone" (404),
 * "session" (the app is on its way to the log-in page: show nothing), "other".
 */
export function explainError(err, { what = "These settings" } = {}) {
  if (!err) return { kind: "other", message: "Something went wrong. Please try again.", tone: "error", fields: {} };
  if (err.kind === "session_expired") return { kind: "session", message: null, tone: "error", fields: {} };
  const details = err.details || {};
  if (err.code === "plan_required") {
    return { kind: "plan", message: planMessage(details.feature), tone: "warning", fields: {}, feature: details.feature || null };
  }
  if (err.code === "stale_version") {
    return {
      kind: "stale", tone: "warning", fields: {},
      message: `${what} changed elsewhere (in another tab or by a colleague) after you opened the page. Reload to see the latest version; your unsaved changes will be lost.`,
    };
  }
  const fields = details.fields && typeof details.fields === "object" ? details.fields : {};
  if (err.status === 422 && Object.keys(fields).length) {
    return { kind: "fields", message: "Please correct the highlighted fields.", tone: "error", fields: fieldReasons(fields) };
  }
  if (err.status === 403) {
    return { kind: "other", message: "Only admins and owners can change notifications.", tone: "error", fields: {} };
  }
  if (err.status === 404) {
    return { kind: "gone", message: "This no longer exists. Reload the page to see what there is now.", tone: "error", fields: {} };
  }
  return { kind: "other", message: err.message || "Something went wrong. Please try again.", tone: "error", fields: {} };
}

// --- the delivery log -------------------------------------------------------------------------------

const DELIVERY = {
  sending: ["Sending", "info"],
  sent: ["Sent", "brand"],
  delivered: ["Delivered", "success"],
  read: ["Read", "success"],
  retrying: ["Retrying", "warning"],
  failed: ["Failed", "danger"],
  skipped: ["Skipped", "muted"],
  uncertain: ["Uncertain", "warning"],
};

export const DELIVERY_STATUSES = Object.keys(DELIVERY);

/** A delivery status as a word and a tone ("sent" → {label: "Sent", tone: "brand"}). */
export function deliveryStatus(status) {
  const [label, tone] = DELIVERY[status] || [String(status || "Unknown"), "muted"];
  return { label, tone };
}

export const LOG_PAGE_SIZE = 25;

/**
 * The log a page at a time: `fetchPage({limit, cursor})` answers {items, next_cursor}. `more()` adds
 * the next page (one at a time; an item already shown is not repeated), `reload()` starts again from
 * the newest, and an answer that a reload overtook is dropped.
 */
export function createLogPager(fetchPage, { pageSize = LOG_PAGE_SIZE } = {}) {
  let items = [];
  let cursor = null;
  let started = false;
  let loading = null;
  let ticket = 0;

  async function load(reset) {
    if (reset) {
      ticket += 1;
      loading = null;
    } else if (loading) {
      return loading;
    } else if (started && !cursor) {
      return items;
    }
    const mine = ticket;
    const run = (async () => {
      const page = await fetchPage({ limit: pageSize, cursor: reset ? null : cursor });
      if (mine !== ticket) return items; // a reload started meanwhile: its answer wins
      const seen = new Set(reset ? [] : items.map((item) => item.id));
      const fresh = ((page && page.items) || []).filter((item) => !seen.has(item.id));
      items = reset ? fresh : [...items, ...fresh];
      cursor = (page && page.next_cursor) || null;
      started = true;
      return items;
    })();
    loading = run;
    try {
      return await run;
    } finally {
      if (loading === run) loading = null;
    }
  }

  return {
    more: () => load(false),
    reload: () => load(true),
    get items() {
      return items;
    },
    get hasMore() {
      return !started || cursor !== null;
    },
    get loading() {
      return loading !== null;
    },
  };
}
