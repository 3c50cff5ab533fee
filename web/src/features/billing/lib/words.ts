// Words for what billing sends: plan keys, features, limits, meters, statuses; and THE explanation of
// a refusal for the plan (plan_required, plan_limit) or the business's state (bookings_closed), used
// by every screen where one can happen.
import { ApiError } from "../../../lib/api-client";
import { formatDay, localDate } from "../../../lib/zoned";

export const PLANS_PATH = "/settings/plans";
export const BILLING_PATH = "/settings/billing";

/** "pro" → "Pro" (the catalogue's own names are used where it is loaded). */
export function planName(key: string | null | undefined): string {
  if (!key) return "";
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** Features: [their name in a list, the same inside a sentence, plural?]. */
const FEATURES: Record<string, [string, string, boolean]> = {
  whatsapp: ["WhatsApp messages", "WhatsApp messages", true],
  custom_templates: ["Custom message templates", "custom message templates", true],
  google_calendar: ["Google Calendar sync", "Google Calendar sync", false],
  intake_forms: ["Intake forms", "intake forms", true],
  reviews: ["Reviews", "reviews", true],
  waitlist: ["Waitlist", "the waitlist", false],
  campaigns: ["Campaigns", "campaigns", true],
  analytics: ["Analytics", "analytics", false],
  api_access: ["API access", "API access", false],
  data_export: ["Data export", "data export", false],
};

/** "custom_templates" → "Custom message templates" (a row of the comparison). */
export function featureLabel(key: string): string {
  return FEATURES[key]?.[0] ?? capital(key.replace(/_/g, " "));
}

/** Limits as counted things: [singular, plural]. */
const LIMIT_UNITS: Record<string, [string, string]> = {
  staff: ["staff member", "staff members"],
  locations: ["location", "locations"],
  bookings_per_month: ["booking a month", "bookings a month"],
  messages_per_month: ["WhatsApp message a month", "WhatsApp messages a month"],
};

export const LIMIT_NAMES: Record<string, string> = {
  staff: "Staff members",
  locations: "Locations",
  bookings_per_month: "Bookings a month",
  messages_per_month: "WhatsApp messages a month",
};

/** 2, "staff" → "2 staff members"; null → "Unlimited staff members". */
export function limitAmount(limit: string, value: number | null | undefined): string {
  const [one, many] = LIMIT_UNITS[limit] ?? [limit.replace(/_/g, " "), limit.replace(/_/g, " ")];
  if (value == null) return `Unlimited ${many}`;
  if (value === 0) return `No ${many}`;
  return `${value.toLocaleString()} ${value === 1 ? one : many}`;
}

export const METER_NAMES: Record<string, string> = {
  bookings: "Bookings",
  messages_email: "E-mails",
  messages_whatsapp: "WhatsApp messages",
};

export const STATUS_NAMES: Record<string, string> = {
  trialing: "Trial",
  active: "Active",
  past_due: "Payment overdue",
  suspended: "Suspended",
  expired: "Expired",
  cancelled: "Cancelled",
};

export const STATUS_TONES: Record<string, string> = {
  trialing: "info",
  active: "success",
  past_due: "warning",
  suspended: "danger",
  expired: "danger",
  cancelled: "muted",
};

export interface PlanProblem {
  title: string;
  /** One or two sentences a person reads. */
  message: string;
  /** Where to go about it: the plans to compare, or the billing page (payment). */
  link: { to: string; label: string };
}

const text = (value: unknown): string | null => (typeof value === "string" && value ? value : null);
const count = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

/**
 * A refusal caused by the plan or by billing, explained; null for any other error. Details are
 * {feature, current, plan, upgrade_to} (plan_required), {limit, current, allowed, plan, upgrade_to}
 * (plan_limit) or {status} (bookings_closed).
 */
export function planProblem(error: unknown): PlanProblem | null {
  if (!(error instanceof ApiError)) return null;
  const d = error.details;
  const plan = text(d.plan);
  const thePlan = plan ? `The ${planName(plan)} plan` : "Your plan";
  const upgradeTo = text(d.upgrade_to);
  const compare = { to: PLANS_PATH, label: upgradeTo ? `Compare plans` : "See the plans" };
  if (error.code === "plan_required") {
    const feature = text(d.feature);
    const [, what, plural] = (feature && FEATURES[feature]) || [null, feature ? feature.replace(/_/g, " ") : "this feature", false];
    const lift = upgradeTo ? ` Upgrade to ${planName(upgradeTo)} to use ${plural ? "them" : "it"}.` : "";
    return { title: "Not included in your plan", message: `${capital(what)} ${plural ? "are" : "is"} not included in ${lower(thePlan)}.${lift}`, link: compare };
  }
  if (error.code === "plan_limit") {
    const limit = text(d.limit) ?? "";
    const allowed = count(d.allowed);
    const current = count(d.current);
    const includes = `${thePlan} includes ${limitAmount(limit, allowed)}`;
    const used =
      current == null ? "" : limit.endsWith("_per_month") ? `, and ${current.toLocaleString()} ${current === 1 ? "is" : "are"} used this month` : `, and you have ${current.toLocaleString()}`;
    const more =
      limit === "bookings_per_month"
        ? " New bookings are refused until the next billing period."
        : limit === "messages_per_month"
          ? " Customers get e-mails instead until the next billing period."
          : "";
    const lift = upgradeTo ? ` Upgrade to ${planName(upgradeTo)} for more.` : "";
    return { title: "Your plan's limit is reached", message: `${includes}${used}.${more}${lift}`, link: compare };
  }
  if (error.code === "bookings_closed") {
    const payment = { to: BILLING_PATH, label: "Go to billing" };
    if (d.status === "suspended") {
      return { title: "New bookings are paused", message: "Your business is suspended, so it takes no new bookings. Existing appointments go on as planned.", link: payment };
    }
    return { title: "New bookings are paused", message: "Your trial or subscription has ended, so your business takes no new bookings. Subscribe to take them again.", link: { to: PLANS_PATH, label: "Choose a plan" } };
  }
  return null;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** An instant as the day it falls on in the business's zone: "16 Dec 2026". */
export function billingDay(instant: string, timeZone: string, locale: string): string {
  return formatDay(localDate(instant, timeZone), locale, { day: "numeric", month: "short", year: "numeric" });
}
