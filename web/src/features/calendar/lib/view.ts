// The calendar's place, kept in the URL (?view=day|week|month&date=YYYY-MM-DD&staff=<id>&location=<id>)
// so that a reload or a shared link opens the same page, and the dates each view covers.
import { addDays, weekStart } from "../../../lib/zoned";
import type { Status } from "../api/calendar";

export type View = "day" | "week" | "month";
export const VIEWS: View[] = ["day", "week", "month"];
export const VIEW_LABELS: Record<View, string> = { day: "Day", week: "Week", month: "Month" };

export function isView(value: string | null): value is View {
  return value === "day" || value === "week" || value === "month";
}

export function isDate(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** The local dates a view shows, first and last (a month: the whole weeks of its grid). */
export function viewRange(view: View, date: string): { from: string; to: string } {
  if (view === "day") return { from: date, to: date };
  if (view === "week") {
    const from = weekStart(date);
    return { from, to: addDays(from, 6) };
  }
  const first = `${date.slice(0, 7)}-01`;
  const last = addDays(`${addDays(first, 31).slice(0, 7)}-01`, -1);
  return { from: weekStart(first), to: addDays(weekStart(last), 6) };
}

/** Every date from..to (inclusive). */
export function datesOf(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/** The date one step (a day, a week, a month) before or after `date`. */
export function stepDate(view: View, date: string, direction: 1 | -1): string {
  if (view === "day") return addDays(date, direction);
  if (view === "week") return addDays(date, 7 * direction);
  const [y = 2000, m = 1] = date.split("-").map(Number);
  const month = new Date(Date.UTC(y, m - 1 + direction, 1));
  return month.toISOString().slice(0, 10);
}

export const STATUS_LABELS: Record<Status, string> = {
  pending: "Pending",
  confirmed: "Confirmed",
  completed: "Completed",
  no_show: "No-show",
  cancelled: "Cancelled",
};


/** A service colour CSS can take safely ("#0f766e"), else null. */
export function safeColor(color: string | null | undefined): string | null {
  return typeof color === "string" && /^#[0-9a-f]{3,8}$/i.test(color) ? color : null;
}

/** "1 appointment", "3 appointments". */
export function countWords(n: number, one = "appointment", many = "appointments"): string {
  return `${n} ${n === 1 ? one : many}`;
}
