// The sign-up form's booking page address, and where a log-in may lead afterwards (time zones and
// currencies are in lib/options.ts).

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
