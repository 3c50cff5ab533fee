// The languages customers' messages can be written in (time zones and currencies are in
// lib/options.ts). A stored value outside the list is kept selectable.
import type { Option } from "../../lib/options";

const LOCALES: [string, string][] = [
  ["en", "English"], ["en-GB", "English (UK)"], ["en-US", "English (US)"], ["de", "Deutsch"], ["fr", "Français"],
  ["es", "Español"], ["it", "Italiano"], ["nl", "Nederlands"], ["pt", "Português"], ["pl", "Polski"], ["sv", "Svenska"],
];

export function localeOptions(current: string): Option[] {
  const list = LOCALES.map(([value, label]) => ({ value, label }));
  return LOCALES.some(([code]) => code === current) || !current ? list : [...list, { value: current, label: current }];
}
