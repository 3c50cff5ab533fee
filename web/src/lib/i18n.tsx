// Screens that speak the customer's language wrap themselves in <Localized> with their own catalogue
// (one per feature, so each feature owns its words).
import { useMemo, type ReactNode } from "react";
import { IntlProvider } from "react-intl";
import { useLocale, type Catalogues } from "./locale";

/** Its children speak the chosen language, from `catalogues` (English where a word is missing). */
export function Localized({ catalogues, children }: { catalogues: Catalogues; children: ReactNode }) {
  const { locale } = useLocale();
  const messages = useMemo(() => ({ ...catalogues.en, ...catalogues[locale] }), [catalogues, locale]);
  return (
    <IntlProvider locale={locale} defaultLocale="en" messages={messages}>
      {children}
    </IntlProvider>
  );
}

