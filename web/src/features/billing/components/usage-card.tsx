// This billing period's use against the plan's allowances (GET /billing/usage): bookings, e-mails
// and WhatsApp messages, with what extra use costs on plans that bill it.
import { Alert } from "../../../components/ui/alert";
import { Loading } from "../../../components/ui/spinner";
import { dashboardLocale, formatMoney } from "../../../lib/format";
import { useUsage, type Usage } from "../api/billing";
import { billingDay, METER_NAMES } from "../lib/words";

export function UsageCard({ timeZone }: { timeZone: string }) {
  const usage = useUsage();
  const locale = dashboardLocale();
  return (
    <section className="card stack" aria-labelledby="usage-title">
      <div>
        <h2 id="usage-title" className="card-title">
          Usage this period
        </h2>
        {usage.data && (
          <p className="muted card-sub">
            {billingDay(usage.data.period.start, timeZone, locale)} – {billingDay(usage.data.period.end, timeZone, locale)}
          </p>
        )}
      </div>
      {usage.isPending ? (
        <Loading label="Loading usage…" />
      ) : usage.isError ? (
        <Alert tone="error">We couldn't load the usage. {usage.error.message}</Alert>
      ) : (
        <Meters usage={usage.data} />
      )}
    </section>
  );
}

/** Each meter: used of included, a bar, and the overage billed so far. */
export function Meters({ usage }: { usage: Usage }) {
  const locale = dashboardLocale();
  return (
    <ul className="meters">
      {usage.meters.map((m) => {
        const name = METER_NAMES[m.meter] ?? m.meter;
        const over = m.included != null && m.used > m.included;
        return (
          <li key={m.meter} className={`meter${over ? " is-over" : ""}`}>
            <div className="meter-head">
              <span id={`meter-${m.meter}`}>{name}</span>
              <span>
                {m.used.toLocaleString(locale)}
                {m.included != null ? ` of ${m.included.toLocaleString(locale)}` : " (no limit)"}
              </span>
            </div>
            {m.included != null && m.included > 0 && (
              <progress aria-labelledby={`meter-${m.meter}`} max={m.included} value={Math.min(m.used, m.included)} />
            )}
            {m.overage > 0 && (
              <p className="hint">
                {m.overage.toLocaleString(locale)} past the allowance
                {m.overage_price ? `, billed at ${formatMoney(m.overage_price, locale)} each with your next invoice` : ""}.
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
