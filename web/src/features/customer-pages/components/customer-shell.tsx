// The frame of every customer page: their language (from the browser, switchable; its words arrive
// with the page's first read, English until then), the layout, and a page-level message for "not
// found" or "could not load".
import { useEffect, type ReactNode } from "react";
import { CustomerLayout } from "../../../components/layouts/customer-layout";
import { Button } from "../../../components/ui/button";
import { Localized } from "../../../lib/i18n";
import { LocaleSwitcher, useLocale } from "../../../lib/locale";
import { useCatalogues } from "../i18n/catalogues";
import { useWords } from "../i18n/use-words";
import "./customer-pages.css";

function Footer() {
  const { t } = useWords();
  return <>{t("shell.footer")}</>;
}

export function CustomerShell({ children }: { children: ReactNode }) {
  const { locale } = useLocale();
  const catalogues = useCatalogues(locale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <Localized catalogues={catalogues}>
      <CustomerLayout footer={<Footer />}>
        <div className="customer-bar">
          <LocaleSwitcher />
        </div>
        {children}
      </CustomerLayout>
    </Localized>
  );
}

/** A page-level message in the card (not found, could not load), with an optional retry. */
export function ProblemPanel({ title, text, onRetry }: { title: string; text: string; onRetry?: () => void }) {
  const { t } = useWords();
  return (
    <div className="result result-error">
      <span className="result-icon" aria-hidden="true">
        !
      </span>
      <h1 tabIndex={-1}>{title}</h1>
      <p>{text}</p>
      {onRetry && (
        <div className="result-actions">
          <Button variant="primary" onClick={onRetry}>
            {t("common.tryAgain")}
          </Button>
        </div>
      )}
    </div>
  );
}

export function PageLoading({ label }: { label: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}
