// The choices and guesses of the sign-up form, and where a log-in may lead afterwards.

/** Where to go after logging in: `next` when it is a path of this site, else `fallback`. */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  // The URL parser drops tabs and newlines and reads "\" as "/": whatever it makes of `next` must still
  // be on this origin ("/\t/evil.example" would otherwise become "//evil.example").
  const base = "http://this-site.invalid";
  try {
    return new URL(next, base).origin === base ? next : fallback;
  } catch {
    return fallback;
  }
}

/** The booking page address suggested for a business name: "Bella's Hair Studio" → "bellas-hair-studio". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
}

/** What the API accepts as a booking page address (the Signup schema's pattern). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

/** Every IANA zone the browser knows, with `ensure` (the browser's own) always among them. */
export function timeZones(ensure: string): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  return [...new Set([...zones, ensure, "UTC"])].sort();
}

export const CURRENCIES: readonly (readonly [string, string])[] = [
  ["EUR", "Euro"], ["USD", "US dollar"], ["GBP", "Pound sterling"], ["CHF", "Swiss franc"],
  ["CAD", "Canadian dollar"], ["AUD", "Australian dollar"], ["NZD", "New Zealand dollar"],
  ["SEK", "Swedish krona"], ["NOK", "Norwegian krone"], ["DKK", "Danish krone"], ["PLN", "Polish złoty"],
  ["CZK", "Czech koruna"], ["HUF", "Hungarian forint"], ["RON", "Romanian leu"], ["TRY", "Turkish lira"],
  ["AED", "UAE dirham"], ["ZAR", "South African rand"], ["INR", "Indian rupee"], ["SGD", "Singapore dollar"],
  ["HKD", "Hong Kong dollar"], ["JPY", "Japanese yen"], ["CNY", "Chinese yuan"], ["BRL", "Brazilian real"],
  ["MXN", "Mexican peso"],
];

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
