// /settings/plans: the plans side by side (price per interval and currency, limits, features, what
// extra use costs), and the way to one of them: Stripe Checkout for a business without a running
// subscription, the Customer Portal (where Stripe changes plans) for one with. Owners only choose;
// the others see why they cannot.
import { useState } from "react";
import { Link } from "react-router";
import { SettingsTabs } from "../../../components/layouts/settings-tabs";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { ApiError } from "../../../lib/api-client";
import { dashboardLocale, formatMoney, roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { isSold, subscribed, useCheckout, usePlans, usePortal, useSubscription, type Plan, type Subscription } from "../api/billing";
import { BILLING_PATH, featureLabel, limitAmount, METER_NAMES, planName } from "../lib/words";
import "../billing.css";

type Interval = Plan["prices"][number]["interval"];

const INTERVALS: [Interval, string, string][] = [
  ["month", "Monthly", "a month"],
  ["year", "Yearly", "a year"],
];

export function PlansScreen() {
  const me = useMe();
  const plans = usePlans();
  const subscription = useSubscription();
  const [interval, chooseInterval] = useState<Interval>("month");
  const [chosenCurrency, setCurrency] = useState<string | null>(null);
  const checkout = useCheckout();
  const portal = usePortal();

  if (me.isPending || plans.isPending) return <Loading label="Loading the plans…" />;
  if (me.isError) return <Alert tone="error">{me.error.message}</Alert>;
  if (plans.isError) {
    return (
      <Alert tone="error" title="We couldn't load the plans." actions={<Button size="sm" onClick={() => void plans.refetch()}>Try again</Button>}>
        {plans.error.message}
      </Alert>
    );
  }
  const owner = roleAtLeast(me.data.role, "owner");
  const currencies = [...new Set(plans.data.items.flatMap((p) => p.prices.map((price) => price.price.currency)))];
  const business = me.data.business.currency;
  const currency = chosenCurrency ?? subscription.data?.currency ?? (currencies.includes(business) ? business : (currencies.includes("EUR") ? "EUR" : currencies[0] ?? "EUR"));
  const current = subscription.data;
  const billed = subscribed(current);
  const error = checkout.error ?? portal.error;
  const busyPlan = checkout.isPending || checkout.isSuccess ? checkout.variables?.plan : null;

  return (
    <div className="page stack-lg">
      <SettingsTabs />
      <PageHeader
        title="Plans"
        lead={
          owner
            ? "Choose what your business needs. You pay through Stripe; change or cancel any time."
            : "What each plan includes. Only an owner of the business can change its plan."
        }
      />
      {current && (
        <p className="muted">
          {currentWords(current, billed)} <Link to={BILLING_PATH}>Billing and invoices</Link>
        </p>
      )}
      <div className="plan-controls">
        <div className="segmented" role="group" aria-label="Billing interval">
          {INTERVALS.map(([value, label]) => (
            <button key={value} type="button" className="segment" aria-pressed={interval === value} onClick={() => chooseInterval(value)}>
              {label}
            </button>
          ))}
        </div>
        {currencies.length > 1 && (
          <label className="inline-field">
            Currency
            <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {error && <CheckoutError error={error} onPortal={() => portal.mutate()} owner={owner} />}
      {!owner && <Alert tone="info">Only an owner of the business can upgrade or change the plan. Ask one of them to do it.</Alert>}
      <div className="plan-grid">
        {plans.data.items.map((plan) => {
          const price = plan.prices.find((p) => p.interval === interval && p.price.currency === currency);
          const isCurrent = billed && current?.plan === plan.key;
          const per = INTERVALS.find(([value]) => value === interval)?.[2] ?? "";
          return (
            <section key={plan.key} className={`card plan-card${isCurrent ? " is-current" : ""}`} aria-labelledby={`plan-${plan.key}`}>
              <header className="plan-head">
                <h2 id={`plan-${plan.key}`}>{plan.name}</h2>
                {isCurrent && <span className="badge badge-brand">Your plan</span>}
              </header>
              <p className="plan-price">
                {price ? (
                  <>
                    <strong>{formatMoney(price.price, dashboardLocale())}</strong> <span className="muted">{per}</span>
                  </>
                ) : (
                  <span className="muted">Not offered in {currency}</span>
                )}
              </p>
              <ul className="plan-limits" aria-label={`${plan.name} limits`}>
                {Object.entries(plan.limits).map(([limit, value]) => (
                  <li key={limit}>{limitAmount(limit, value)}</li>
                ))}
              </ul>
              {plan.overage.length > 0 && (
                <ul className="plan-overage" aria-label={`${plan.name} extra use`}>
                  {plan.overage
                    .filter((o) => o.price.currency === currency)
                    .map((o) => (
                      <li key={o.meter}>
                        {METER_NAMES[o.meter] ?? o.meter} past the allowance: {formatMoney(o.price, dashboardLocale())} each
                      </li>
                    ))}
                </ul>
              )}
              <ul className="plan-features" aria-label={`${plan.name} features`}>
                {Object.entries(plan.features).map(([feature, included]) => (
                  <li key={feature} className={included ? "is-in" : "is-out"}>
                    <span aria-hidden="true">{included ? "✓" : "–"}</span> {featureLabel(feature)}
                    <span className="sr-only">{included ? " (included)" : " (not included)"}</span>
                  </li>
                ))}
              </ul>
              <div className="plan-action">
                {isCurrent ? (
                  <p className="muted">Your current plan.</p>
                ) : !owner ? null : billed ? (
                  <Button onClick={() => portal.mutate()} busy={portal.isPending}>
                    Switch in the billing portal
                  </Button>
                ) : (
                  <Button
                    variant="primary"
                    disabled={!price || checkout.isPending || checkout.isSuccess}
                    busy={busyPlan === plan.key}
                    onClick={() => checkout.mutate({ plan: plan.key, interval, ...(isSold(currency) ? { currency } : {}) })}
                  >
                    Subscribe to {plan.name}
                  </Button>
                )}
              </div>
            </section>
          );
        })}
      </div>
      <p className="hint">Prices exclude any taxes Stripe adds for your country. Checkout and payment happen on Stripe's secure page.</p>
    </div>
  );
}

/** Where the business stands, in one sentence. */
function currentWords(s: Subscription, billed: boolean): string {
  const days = s.trial_days_left ?? 0;
  const left = `${days} ${days === 1 ? "day" : "days"} left`;
  if (s.status === "trialing" && billed) return `You are subscribed to ${planName(s.plan)}; your free trial goes on (${left}) and the first payment is taken when it ends.`;
  if (s.status === "trialing") return `You are on the free trial (${left}).`;
  return `You are on ${planName(s.plan)}.`;
}

function CheckoutError({ error, onPortal, owner }: { error: Error; onPortal: () => void; owner: boolean }) {
  if (error instanceof ApiError && error.code === "already_subscribed") {
    return (
      <Alert tone="info" title="You already have a subscription." actions={owner ? <Button size="sm" onClick={onPortal}>Open the billing portal</Button> : undefined}>
        Change your plan in the billing portal, where Stripe keeps your subscription.
      </Alert>
    );
  }
  if (error instanceof ApiError && error.status === 403) {
    return <Alert tone="error">Only an owner of the business can change its plan.</Alert>;
  }
  return <Alert tone="error" title="We couldn't open the checkout.">{error.message}</Alert>;
}
