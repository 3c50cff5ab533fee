// "/confirm-consent?token=…": the e-mailed link confirming the marketing consent the customer asked
// for on a booking page (double opt-in). It asks for a click rather than confirming on load: mail
// scanners open links, and only the person who owns the address may say yes.
import { useEffect, useRef } from "react";
import { useSearchParams } from "react-router";
import { Button } from "../../../components/ui/button";
import { ApiError } from "../../../lib/api-client";
import { useConfirmConsent } from "../api/public";
import { useWords } from "../i18n/use-words";
import { refusal } from "../utils/refusals";
import { CustomerShell, ProblemPanel } from "./customer-shell";

export function ConsentPage() {
  return (
    <CustomerShell>
      <ConsentContent />
    </CustomerShell>
  );
}

function ConsentContent() {
  const [search] = useSearchParams();
  const token = search.get("token");
  const { t } = useWords();
  useEffect(() => {
    document.title = t("consent.title");
  }, [t]);
  if (!token) return <ProblemPanel title={t("consent.incompleteTitle")} text={t("consent.incompleteText")} />;
  return <ConsentForm token={token} />;
}

function ConsentForm({ token }: { token: string }) {
  const { t } = useWords();
  const confirm = useConfirmConsent(token);
  const result = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirm.isSuccess || confirm.isError) result.current?.focus();
  }, [confirm.isSuccess, confirm.isError]);

  if (confirm.isSuccess) {
    return (
      <div className="result result-success">
        <span className="result-icon" aria-hidden="true">
          ✓
        </span>
        <h1 ref={result} tabIndex={-1}>
          {t("consent.doneTitle")}
        </h1>
        <p>{t("consent.doneText")}</p>
      </div>
    );
  }
  if (confirm.isError) {
    const expired = confirm.error instanceof ApiError && confirm.error.status === 404;
    return (
      <div className="result result-error">
        <span className="result-icon" aria-hidden="true">
          !
        </span>
        <h1 ref={result} tabIndex={-1}>
          {expired ? t("consent.expiredTitle") : t("consent.failedTitle")}
        </h1>
        <p>{expired ? t("consent.expiredText") : refusal(t, confirm.error)}</p>
        {!expired && (
          <div className="result-actions">
            <Button variant="primary" onClick={() => confirm.mutate()}>
              {t("common.tryAgain")}
            </Button>
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="consent-ask stack">
      <h1 tabIndex={-1}>{t("consent.title")}</h1>
      <p>{t("consent.text")}</p>
      <Button variant="primary" block busy={confirm.isPending} onClick={() => confirm.mutate()}>
        {t("consent.confirm")}
      </Button>
    </div>
  );
}
