// The customer's pages' words: ids are checked against the English catalogue at compile time.
import { useCallback } from "react";
import { useIntl } from "react-intl";
import type { MessageId } from "./messages";

export type Values = Record<string, string | number | Date>;
export type Translate = (id: MessageId, values?: Values) => string;

/**
 * The page's words, and the locale its dates, times and prices are written in: the browser's own
 * regional tag when it is of the page's language ("en-GB" writes 14:00 where "en" writes 2:00 PM).
 */
export function useWords(): { t: Translate; locale: string } {
  const intl = useIntl();
  const t = useCallback<Translate>((id, values) => intl.formatMessage({ id }, values), [intl]);
  const regional = (globalThis.navigator?.languages ?? []).find((tag) => tag.toLowerCase().split("-")[0] === intl.locale);
  return { t, locale: regional ?? intl.locale };
}
