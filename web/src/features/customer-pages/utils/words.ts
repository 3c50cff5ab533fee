// Words the customer's pages build from numbers, in the page's language, by Intl.
import { daysBetween, formatDay } from "../../../lib/zoned";

/** 1440 → "1 day", 90 → "1 hour, 30 minutes" (or "1 Stunde und 30 Minuten"…), in `locale`. */
export function formatDuration(totalMinutes: number, locale: string): string {
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const unit = (value: number, name: "day" | "hour" | "minute") =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
  const parts = [days ? unit(days, "day") : "", hours ? unit(hours, "hour") : "", minutes || totalMinutes === 0 ? unit(minutes, "minute") : ""].filter(Boolean);
  return new Intl.ListFormat(locale, { style: "long", type: "unit" }).format(parts);
}

/** A short duration for a service: "45 min", "1 hr 30 min". */
export function formatServiceLength(totalMinutes: number, locale: string): string {
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  const unit = (value: number, name: "hour" | "minute") =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  return [hours ? unit(hours, "hour") : "", minutes || !hours ? unit(minutes, "minute") : ""].filter(Boolean).join(" ");
}

/** "Wed 10 Mar" for a day chip's label, with the year once it is not this year's. */
export function shortDay(date: string, today: string, locale: string): string {
  const sameYear = date.slice(0, 4) === today.slice(0, 4) || daysBetween(today, date) < 0;
  return formatDay(date, locale, { weekday: "long", day: "numeric", month: "long", ...(sameYear ? {} : { year: "numeric" }) });
}
