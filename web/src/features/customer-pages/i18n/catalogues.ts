// The customer's language's words, loaded on demand (English is built in). The load for the language
// the page opens in starts as soon as this module runs, beside the page's first API read.
import { useEffect, useState } from "react";
import { LOCALE_KEY, LOCALES, pickLocale, type Catalogues, type Locale } from "../../../lib/locale";
import { en, type Catalogue } from "./messages";

const loaders: Record<Exclude<Locale, "en">, () => Promise<{ default: Catalogue }>> = {
  de: () => import("./de"),
  fr: () => import("./fr"),
  es: () => import("./es"),
};

const loaded: Partial<Record<Locale, Catalogue>> = { en };
const loading = new Map<Locale, Promise<Catalogue>>();

export function loadCatalogue(locale: Locale): Promise<Catalogue> {
  const ready = loaded[locale];
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(locale);
  if (!pending) {
    pending = loaders[locale as Exclude<Locale, "en">]().then((m) => (loaded[locale] = m.default));
    loading.set(locale, pending);
  }
  return pending;
}

function startingLocale(): Locale {
  try {
    return pickLocale(globalThis.navigator?.languages ?? [], globalThis.localStorage?.getItem(LOCALE_KEY) ?? null);
  } catch {
    return "en";
  }
}

void loadCatalogue(startingLocale()).catch(() => undefined);

function current(): Catalogues {
  return Object.fromEntries(LOCALES.map((l) => [l, loaded[l] ?? {}])) as Catalogues;
}

/** Every catalogue loaded so far: `locale`'s once it has arrived (until then its words are English's). */
export function useCatalogues(locale: Locale): Catalogues {
  const [catalogues, setCatalogues] = useState(current);
  useEffect(() => {
    let live = true;
    loadCatalogue(locale)
      .then(() => live && setCatalogues(current()))
      .catch(() => undefined); // offline: the page stays in English
    return () => {
      live = false;
    };
  }, [locale]);
  return catalogues;
}
