import { daysBetween } from "../../../lib/zoned";

/** How many times from `first` every `everyWeeks` weeks up to `until` (both local dates), the first included. */
export function occurrencesUntil(first: string, until: string, everyWeeks: number): number {
  const days = daysBetween(first, until);
  return days < 0 ? 0 : Math.floor(days / (7 * everyWeeks)) + 1;
}
