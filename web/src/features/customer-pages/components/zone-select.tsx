// The zone the times are shown in: the customer's own by default, any zone on request. The zones of
// the people involved (the customer's, the business's) come first.
import { useId, useMemo } from "react";
import { timeZones, zoneLabel } from "../../../lib/options";
import { zoneAbbreviation, zoneName } from "../../../lib/zoned";
import { useWords } from "../i18n/use-words";

export function ZoneSelect({ value, onChange, suggested }: { value: string; onChange: (zone: string) => void; suggested: readonly string[] }) {
  const { t, locale } = useWords();
  const id = useId();
  const first = useMemo(() => [...new Set([value, ...suggested])], [value, suggested]);
  const rest = useMemo(() => timeZones().filter((z) => !first.includes(z)), [first]);
  const now = Date.now();
  return (
    <div className="field zone-field">
      <label htmlFor={id}>{t("picker.zone")}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="select-sm">
        <optgroup label={t("picker.zoneSuggested")}>
          {first.map((zone) => (
            <option key={zone} value={zone}>
              {`${zoneName(zone)} (${zoneAbbreviation(zone, now, locale)})`}
            </option>
          ))}
        </optgroup>
        {rest.length > 0 && (
          <optgroup label={t("picker.zoneAll")}>
            {rest.map((zone) => (
              <option key={zone} value={zone}>
                {zoneLabel(zone)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}
