// The customer's language: en, de, fr or es, taken from the browser's preferences and switchable; the
// choice is remembered in this browser. The words themselves are react-intl's (lib/i18n.tsx), which
// only the customer's pages load: the dashboard's entry carries none of it.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

export const LOCALES = ["en", "de", "fr", "es"] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch", fr: "Français", es: "Español" };
export const LOCALE_KEY = "booking.locale";

export type Catalogue = Record<string, string>;
export type Catalogues = Record<Locale, Catalogue>;

function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The first of the browser's languages we speak ("de-AT" → "de"), else English. */
export function pickLocale(preferred: readonly string[], stored: string | null = null): Locale {
  if (isLocale(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

interface LocaleState {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleState>({ locale: "en", setLocale: () => {} });

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(LOCALE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function LocaleProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setState] = useState<Locale>(() => initial ?? pickLocale(globalThis.navigator?.languages ?? [], readStored()));
  const setLocale = useCallback((next: Locale) => {
    setState(next);
    try {
      globalThis.localStorage?.setItem(LOCALE_KEY, next);
    } catch {
      /* private mode: the choice lasts this visit */
    }
    document.documentElement.lang = next;
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

/** A language picker for customer-facing pages. */
export function LocaleSwitcher() {
  const { locale, setLocale } = useLocale();
  return (
    <label className="locale-switcher">
      <span className="sr-only">Language</span>
      <select value={locale} onChange={(e) => isLocale(e.target.value) && setLocale(e.target.value)} className="select-sm">
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
