// The choices forms offer for a business, a location, a staff member or a customer's view: time zones
// (from the browser) and currencies. A value already stored is always kept selectable, even when the
// list does not have it (an older zone alias, a currency added later).

export interface Option {
  value: string;
  label: string;
}

/** For a browser without Intl.supportedValuesOf (before 2022): the zones most businesses are in. */
const FALLBACK_ZONES = [
  "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels",
  "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Rome", "Europe/Vienna", "Europe/Prague",
  "Europe/Warsaw", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki", "Europe/Athens",
  "Europe/Bucharest", "Europe/Istanbul", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Hong_Kong", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo",
  "America/Mexico_City", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
  "America/Toronto", "America/Vancouver",
];

/** Every IANA zone the browser knows, sorted, with UTC and each of `keep` (non-empty) among them. */
export function timeZones(...keep: string[]): string[] {
  let known: string[];
  try {
    known = Intl.supportedValuesOf("timeZone");
  } catch {
    known = FALLBACK_ZONES;
  }
  return [...new Set([...known, "UTC", ...keep.filter(Boolean)])].sort();
}

/** A zone as people read it: "America/New_York" → "America/New York". */
export const zoneLabel = (zone: string) => zone.replace(/_/g, " ");

export function timeZoneOptions(...keep: string[]): Option[] {
  return timeZones(...keep).map((zone) => ({ value: zone, label: zoneLabel(zone) }));
}

export const CURRENCIES: readonly (readonly [code: string, name: string])[] = [
  ["EUR", "Euro"], ["USD", "US dollar"], ["GBP", "Pound sterling"], ["CHF", "Swiss franc"],
  ["CAD", "Canadian dollar"], ["AUD", "Australian dollar"], ["NZD", "New Zealand dollar"],
  ["SEK", "Swedish krona"], ["NOK", "Norwegian krone"], ["DKK", "Danish krone"], ["PLN", "Polish złoty"],
  ["CZK", "Czech koruna"], ["HUF", "Hungarian forint"], ["RON", "Romanian leu"], ["TRY", "Turkish lira"],
  ["AED", "UAE dirham"], ["ZAR", "South African rand"], ["INR", "Indian rupee"], ["SGD", "Singapore dollar"],
  ["HKD", "Hong Kong dollar"], ["JPY", "Japanese yen"], ["CNY", "Chinese yuan"], ["BRL", "Brazilian real"],
  ["MXN", "Mexican peso"],
];

/** The currencies as "GBP · Pound sterling", with `current` (if any) kept. */
export function currencyOptions(current = ""): Option[] {
  const list = CURRENCIES.map(([code, name]) => ({ value: code, label: `${code} · ${name}` }));
  return CURRENCIES.some(([code]) => code === current) || !current ? list : [...list, { value: current, label: current }];
}

const REGION_CURRENCY: Record<string, string> = {
  GB: "GBP", US: "USD", CA: "CAD", AU: "AUD", NZ: "NZD", CH: "CHF", SE: "SEK", NO: "NOK", DK: "DKK",
  PL: "PLN", CZ: "CZK", HU: "HUF", RO: "RON", TR: "TRY", AE: "AED", ZA: "ZAR", IN: "INR", SG: "SGD",
  HK: "HKD", JP: "JPY", CN: "CNY", BR: "BRL", MX: "MXN",
};

/** A first guess from the browser's languages ("en-GB" → GBP), else EUR. */
export function guessCurrency(languages: readonly string[] = globalThis.navigator?.languages ?? []): string {
  for (const tag of languages) {
    const region = tag.split("-")[1]?.toUpperCase();
    const currency = region ? REGION_CURRENCY[region] : undefined;
    if (currency) return currency;
  }
  return "EUR";
}
