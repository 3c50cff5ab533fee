// The choices the settings form offers: time zones (from the browser), currencies and the languages
// customers' messages can be written in. A stored value outside a list is kept selectable.

export interface Option {
  value: string;
  label: string;
}

const FALLBACK_ZONES = [
  "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels",
  "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Rome", "Europe/Vienna", "Europe/Prague",
  "Europe/Warsaw", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki", "Europe/Athens",
  "Europe/Bucharest", "Europe/Istanbul", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Hong_Kong", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo",
  "America/Mexico_City", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
  "America/Toronto", "America/Vancouver",
];

export function timeZoneOptions(current: string): Option[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = FALLBACK_ZONES;
  }
  const all = new Set([...zones, "UTC", current].filter(Boolean));
  return [...all].sort().map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") }));
}

const CURRENCIES: [string, string][] = [
  ["EUR", "Euro"], ["USD", "US dollar"], ["GBP", "Pound sterling"], ["CHF", "Swiss franc"],
  ["CAD", "Canadian dollar"], ["AUD", "Australian dollar"], ["NZD", "New Zealand dollar"],
  ["SEK", "Swedish krona"], ["NOK", "Norwegian krone"], ["DKK", "Danish krone"], ["PLN", "Polish złoty"],
  ["CZK", "Czech koruna"], ["HUF", "Hungarian forint"], ["RON", "Romanian leu"], ["TRY", "Turkish lira"],
  ["AED", "UAE dirham"], ["ZAR", "South African rand"], ["INR", "Indian rupee"], ["SGD", "Singapore dollar"],
  ["HKD", "Hong Kong dollar"], ["JPY", "Japanese yen"], ["CNY", "Chinese yuan"], ["BRL", "Brazilian real"],
  ["MXN", "Mexican peso"],
];

export function currencyOptions(current: string): Option[] {
  const list = CURRENCIES.map(([code, name]) => ({ value: code, label: `${code} · ${name}` }));
  return CURRENCIES.some(([code]) => code === current) || !current ? list : [...list, { value: current, label: current }];
}

const LOCALES: [string, string][] = [
  ["en", "English"], ["en-GB", "English (UK)"], ["en-US", "English (US)"], ["de", "Deutsch"], ["fr", "Français"],
  ["es", "Español"], ["it", "Italiano"], ["nl", "Nederlands"], ["pt", "Português"], ["pl", "Polski"], ["sv", "Svenska"],
];

export function localeOptions(current: string): Option[] {
  const list = LOCALES.map(([value, label]) => ({ value, label }));
  return LOCALES.some(([code]) => code === current) || !current ? list : [...list, { value: current, label: current }];
}
