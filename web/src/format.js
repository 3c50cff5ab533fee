// Pure helpers for words and numbers on screen (no DOM: tested under node).

export const ROLES = ["owner", "admin", "staff"];
const ROLE_RANK = { staff: 0, admin: 1, owner: 2 };

export function roleAtLeast(role, needed) {
  return (ROLE_RANK[role] ?? -1) >= ROLE_RANK[needed];
}

export function roleLabel(role) {
  return { owner: "Owner", admin: "Admin", staff: "Staff" }[role] || String(role || "");
}

export function roleDescription(role) {
  return {
    owner: "Everything, including billing and the team's owners",
    admin: "Manages the business, its settings and the team",
    staff: "Sees and manages their own calendar",
  }[role] || "";
}

export function planLabel(plan) {
  return { trial: "Free trial", basic: "Basic", pro: "Pro", enterprise: "Enterprise" }[plan] || String(plan || "");
}

/** Turn validator wording ("Expected `int` >= 5") into a sentence for people. */
export function humanizeReason(reason) {
  const text = String(reason ?? "").trim();
  if (!text) return "This value is not valid.";
  if (/^required$/i.test(text)) return "This field is required.";
  if (/^unknown field$/i.test(text)) return "This field is not accepted.";
  let m = /^Expected `int` >= (-?\d+)$/.exec(text);
  if (m) return `Enter a whole number of at least ${m[1]}.`;
  m = /^Expected `int` <= (-?\d+)$/.exec(text);
  if (m) return `Enter a whole number no greater than ${m[1]}.`;
  if (/^Expected `(int|float)`, got `(str|null|float)`$/.test(text)) return "Enter a whole number.";
  m = /^Expected `str` of length >= (\d+)$/.exec(text);
  if (m) return m[1] === "1" ? "This field is required." : `Use at least ${m[1]} characters.`;
  m = /^Expected `str` of length <= (\d+)$/.exec(text);
  if (m) return `Use at most ${m[1]} characters.`;
  if (/^Expected `str` matching regex/.test(text)) return "This doesn't look right; check the format.";
  if (/^Expected `str`, got `null`$/.test(text)) return "This field is required.";
  const sentence = text.replace(/`/g, "");
  const capital = sentence[0].toUpperCase() + sentence.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** 90 → "1 h 30 min", 2880 → "2 days". */
export function formatMinutes(total) {
  const n = Number(total);
  if (!Number.isFinite(n) || n < 0) return "";
  if (n === 0) return "none";
  const days = Math.floor(n / 1440);
  const hours = Math.floor((n % 1440) / 60);
  const minutes = n % 60;
  const parts = [];
  if (days) parts.push(`${days} ${days === 1 ? "day" : "days"}`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  return parts.join(" ");
}

export function formatDate(iso, locale, timeZone) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...(timeZone ? { timeZone } : {}) }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** Whole days from `now` until `iso` (negative once passed). */
export function daysUntil(iso, now = Date.now()) {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.ceil((at - now) / 86_400_000);
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * What a PATCH should carry: the fields of `edited` that differ from `original`, nested objects
 * (contact, booking_policy) kept partial. Returns {} when nothing changed.
 */
export function diffChanges(original, edited) {
  const changes = {};
  for (const [key, value] of Object.entries(edited)) {
    if (isObject(value)) {
      const nested = diffChanges(isObject(original[key]) ? original[key] : {}, value);
      if (Object.keys(nested).length) changes[key] = nested;
    } else if (!Object.is(original[key], value)) {
      changes[key] = value;
    }
  }
  return changes;
}

/** Money as the API sends it ({amount in minor units, currency}) in words: {4500, "GBP"} → "£45.00". */
export function formatMoney(price, locale) {
  if (!price || !Number.isFinite(price.amount) || !price.currency) return "";
  let format;
  try {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: price.currency });
  } catch {
    format = new Intl.NumberFormat("en", { style: "currency", currency: price.currency });
  }
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(price.amount / 10 ** digits);
}
