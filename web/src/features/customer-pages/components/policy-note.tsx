// The business's cut-offs, stated before the customer books: how much notice it needs, and until
// when the booking can be cancelled or moved online.
import type { PublicPolicy } from "../api/public";
import { useWords } from "../i18n/use-words";
import { formatDuration } from "../utils/words";

export function usePolicyWords() {
  const { t, locale } = useWords();
  const until = (minutes: number) => (minutes > 0 ? t("policy.until", { duration: formatDuration(minutes, locale) }) : t("policy.untilStart"));
  return (policy: PublicPolicy, needsConfirmation: boolean): string[] => {
    const lines: string[] = [];
    if (policy.min_notice_min > 0) lines.push(t("policy.minNotice", { duration: formatDuration(policy.min_notice_min, locale) }));
    if (policy.cancel_cutoff_min === policy.reschedule_cutoff_min) {
      lines.push(t("policy.cancelOrChange", { until: until(policy.cancel_cutoff_min) }));
    } else {
      lines.push(t("policy.cancel", { until: until(policy.cancel_cutoff_min) }), t("policy.change", { until: until(policy.reschedule_cutoff_min) }));
    }
    if (needsConfirmation) lines.push(t("policy.confirmation"));
    return lines;
  };
}

export function PolicyNote({ policy, needsConfirmation }: { policy: PublicPolicy; needsConfirmation: boolean }) {
  const { t } = useWords();
  const words = usePolicyWords()(policy, needsConfirmation);
  return (
    <div className="policy-note" aria-label={t("policy.title")} role="note">
      <strong>{t("policy.title")}</strong>
      <ul>
        {words.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  );
}
