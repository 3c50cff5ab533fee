// Words for numbers the API sends: durations, money, roles.
import type { Schemas } from "./api-client";

type Role = Schemas["Me"]["role"];

/**
 * The language the business's own screens write dates, times and money in: the browser's. The
 * screens' words are English; their conventions (09:00 or 9:00 AM, 2/12 or 12/2) are the reader's.
 */
export function dashboardLocale(): string {
  return globalThis.navigator?.language || "en-GB";
}
const ROLE_RANK: Record<Role, number> = { staff: 0, admin: 1, owner: 2 };

export function roleAtLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLE_RANK[role] >= ROLE_RANK[needed];
}

/** 90 → "1 h 30 min", 2880 → "2 days". */
export function formatMinutes(total: number): string {
  if (!Number.isFinite(total) || total < 0) return "";
  if (total === 0) return "none";
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1 ? "day" : "days"}`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  return parts.join(" ");
}

export interface Money {
  amount: number;
  currency: string;
}

function moneyFormat(currency: string, locale: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency });
  } catch {
    return new Intl.NumberFormat("en", { style: "currency", currency });
  }
}

/** Money as the API sends it (minor units): {4500, "GBP"} → "£45.00". */
export function formatMoney(price: Money | null | undefined, locale: string): string {
  if (!price || !Number.isFinite(price.amount) || !price.currency) return "";
  const fmt = moneyFormat(price.currency, locale);
  return fmt.format(price.amount / 10 ** (fmt.resolvedOptions().maximumFractionDigits ?? 2));
}

/** "45.00" typed by a person → 4500 minor units of `currency` (null when it is not a number). */
export function toMinorUnits(text: string, currency: string): number | null {
  const value = Number(String(text).replace(",", ".").trim());
  if (!Number.isFinite(value)) return null;
  const digits = moneyFormat(currency, "en").resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(value * 10 ** digits);
}
