// Choices offered in selects: time zones (from the browser) and common currencies.

const FALLBACK_ZONES = [
  "UTC", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels",
  "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Rome", "Europe/Vienna", "Europe/Prague",
  "Europe/Warsaw", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki", "Europe/Athens",
  "Europe/Bucharest", "Europe/Istanbul", "Africa/Johannesburg", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Hong_Kong", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "America/Sao_Paulo",
  "America/Mexico_City", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
  "America/Toronto", "America/Vancouver",
];

export function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** Every IANA zone the browser knows (plus `ensure`, so a stored value is always selectable). */
export function timeZones(...ensure) {
  let zones;
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = FALLBACK_ZONES;
  }
  const all = new Set([...zones, ...ensure.filter(Boolean)]);
  if (!all.has("UTC")) all.add("UTC");
  return [...all].sort();
}

export function timeZoneOptions(...ensure) {
  return timeZones(...ensure).map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") }));
}

export const CURRENCIES = [
  ["EUR", "Euro"], ["USD", "US dollar"], ["GBP", "Pound sterling"], ["CHF", "Swiss franc"],
  ["CAD", "Canadian dollar"], ["AUD", "Australian dollar"], ["NZD", "New Zealand dollar"],
  ["SEK", "Swedish krona"], ["NOK", "Norwegian krone"], ["DKK", "Danish krone"], ["PLN", "Polish złoty"],
  ["CZK", "Czech koruna"], ["HUF", "Hungarian forint"], ["RON", "Romanian leu"], ["TRY", "Turkish lira"],
  ["AED", "UAE dirham"], ["ZAR", "South African rand"], ["INR", "Indian rupee"], ["SGD", "Singapore dollar"],
  ["HKD", "Hong Kong dollar"], ["JPY", "Japanese yen"], ["CNY", "Chinese yuan"], ["BRL", "Brazilian real"],
  ["MXN", "Mexican peso"],
];

/** The currency options, with `ensure` (a stored code outside the list) kept selectable. */
export function currencyOptions(ensure) {
  const list = CURRENCIES.map(([code, name]) => ({ value: code, label: `${code} · ${name}` }));
  if (ensure && !CURRENCIES.some(([code]) => code === ensure)) list.push({ value: ensure, label: ensure });
  return list;
}

const REGION_CURRENCY = {
  GB: "GBP", US: "USD", CA: "CAD", AU: "AUD", NZ: "NZD", CH: "CHF", SE: "SEK", NO: "NOK", DK: "DKK",
  PL: "PLN", CZ: "CZK", HU: "HUF", RO: "RON", TR: "TRY", AE: "AED", ZA: "ZAR", IN: "INR", SG: "SGD",
  HK: "HKD", JP: "JPY", CN: "CNY", BR: "BRL", MX: "MXN",
};

/** A good first guess from the browser's language ("en-GB" → GBP), else EUR. */
export function guessCurrency(languages = globalThis.navigator ? navigator.languages || [navigator.language] : []) {
  for (const tag of languages) {
    const region = String(tag || "").split("-")[1];
    if (region && REGION_CURRENCY[region.toUpperCase()]) return REGION_CURRENCY[region.toUpperCase()];
  }
  return "EUR";
}
