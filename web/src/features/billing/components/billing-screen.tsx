// /settings/billing: the subscription (plan, status, trial days left, period, price), the way to
// Stripe's portal, this period's usage against the plan's allowances, and the invoices. Also where
// Stripe sends the owner back after Checkout (?checkout=success|cancelled).
import { useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { SettingsTabs } from "../../../components/layouts/settings-tabs";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { ApiError } from "../../../lib/api-client";
import { dashboardLocale, formatMoney, roleAtLeast } from "../../../lib/format";
import { ME_KEY, useMe } from "../../../lib/session";
import { BILLING_KEY, subscribed, usePortal, useSubscription, type Subscription } from "../api/billing";
import { billingDay, PLANS_PATH, planName, STATUS_NAMES, STATUS_TONES } from "../lib/words";
import { InvoicesCard } from "./invoices-card";
import { UsageCard } from "./usage-card";
import "../billing.css";

/** After Checkout, Stripe's webhook may land a moment after the owner: ask again meanwhile, for a while. */
export const CHECKOUT_POLL_MS = 2_000;
const CHECKOUT_POLL_TRIES = 30;

export function BillingScreen() {
  const me = useMe();
  const [params] = useSearchParams();
  const returned = params.get("checkout");
  const queryClient = useQueryClient();
  const subscription = useSubscription();
  const waiting = returned === "success" && !subscribed(subscription.data);
  // While the payment is being confirmed, poll; the useEffect below refreshes the rest once it is.
  const gaveUp = useSubscriptionPoll(waiting);
  const active = subscribed(subscription.data);
  useEffect(() => {
    if (returned === "success" && active) {
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
      void queryClient.invalidateQueries({ queryKey: ["billing", "usage"] });
      void queryClient.invalidateQueries({ queryKey: ["billing", "invoices"] });
    }
  }, [returned, active, queryClient]);

  if (me.isPending || subscription.isPending) return <Loading label="Loading billing…" />;
  if (me.isError) return <Alert tone="error">{me.error.message}</Alert>;
  const owner = roleAtLeast(me.data.role, "owner");
  const admin = roleAtLeast(me.data.role, "admin");
  const timeZone = me.data.business.time_zone;
  return (
    <div className="page stack-lg">
      <SettingsTabs />
      <PageHeader
        title="Billing"
        lead={owner ? "Your plan, what you have used this month, and your invoices." : "Your business's plan and what it has used this month. Only owners change the plan or payment."}
      />
      {returned === "success" &&
        (waiting && gaveUp ? (
          <Alert tone="warning" title="Your payment is still being confirmed.">
            Stripe has not told us yet. Reload this page in a few minutes; if your plan has not changed by then, contact support.
          </Alert>
        ) : waiting ? (
          <Alert tone="info" title="Thank you! We're confirming your payment…">This takes a few seconds; the page updates by itself.</Alert>
        ) : subscription.data?.status === "trialing" ? (
          <Alert tone="success" title={`Thank you! You're subscribed to ${planName(subscription.data.plan)}.`}>
            Your free trial goes on; the first payment is taken when it ends.
          </Alert>
        ) : (
          <Alert tone="success" title="Thank you! Your subscription is active.">
            You are on the {planName(subscription.data?.plan)} plan.
          </Alert>
        ))}
      {returned === "cancelled" && (
        <Alert tone="info" title="Checkout was cancelled." actions={<Link className="btn btn-sm" to={PLANS_PATH}>Back to the plans</Link>}>
          Nothing was charged and your plan is unchanged.
        </Alert>
      )}
      {subscription.isError ? (
        <Alert tone="error" title="We couldn't load your subscription." actions={<Button size="sm" onClick={() => void subscription.refetch()}>Try again</Button>}>
          {subscription.error.message}
        </Alert>
      ) : (
        <SubscriptionCard subscription={subscription.data} owner={owner} timeZone={timeZone} />
      )}
      <UsageCard timeZone={timeZone} />
      {admin && <InvoicesCard timeZone={timeZone} />}
    </div>
  );
}

/** Re-reads the subscription while `on`; true once it gave up. */
function useSubscriptionPoll(on: boolean): boolean {
  const queryClient = useQueryClient();
  const [tries, setTries] = useState(0);
  const gaveUp = tries >= CHECKOUT_POLL_TRIES;
  useEffect(() => {
    if (!on || gaveUp) return;
    const timer = setTimeout(() => {
      setTries((n) => n + 1);
      void queryClient.invalidateQueries({ queryKey: [...BILLING_KEY, "subscription"] });
    }, CHECKOUT_POLL_MS);
    return () => clearTimeout(timer);
  }, [on, gaveUp, tries, queryClient]);
  return gaveUp;
}

function SubscriptionCard({ subscription: s, owner, timeZone }: { subscription: Subscription; owner: boolean; timeZone: string }) {
  const portal = usePortal();
  const locale = dashboardLocale();
  const day = (instant: string) => billingDay(instant, timeZone, locale);
  const tone = STATUS_TONES[s.status] ?? "muted";
  const per = s.billing_interval === "year" ? "a year" : s.billing_interval === "month" ? "a month" : "";
  const billed = subscribed(s);
  const choose = !billed && (s.status === "trialing" || s.status === "expired" || s.status === "cancelled");
  return (
    <section className="card stack" aria-labelledby="subscription-title">
      <h2 id="subscription-title" className="card-title">
        Subscription
      </h2>
      <dl className="billing-facts">
        <div>
          <dt>Plan</dt>
          <dd>{planName(s.plan)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`badge status-badge tone-${tone}`}>{STATUS_NAMES[s.status] ?? s.status}</span>
          </dd>
        </div>
        {s.status === "trialing" && s.trial_ends_at && (
          <div>
            <dt>Trial</dt>
            <dd>
              {s.trial_days_left === 0 ? "Ends today" : `${s.trial_days_left} ${s.trial_days_left === 1 ? "day" : "days"} left`} (until {day(s.trial_ends_at)})
            </dd>
          </div>
        )}
        {s.amount && (
          <div>
            <dt>Price</dt>
            <dd>
              {formatMoney(s.amount, locale)} {per}
            </dd>
          </div>
        )}
        {s.current_period && (
          <div>
            <dt>Current period</dt>
            <dd>
              {day(s.current_period.start)} – {day(s.current_period.end)}
            </dd>
          </div>
        )}
      </dl>
      {billed && s.status === "trialing" && s.trial_ends_at && s.amount && !s.cancel_at_period_end && (
        <p className="muted">
          Your card is on file. The first payment of {formatMoney(s.amount, locale)} is taken on {day(s.trial_ends_at)}, when the free trial ends.
        </p>
      )}
      {s.cancel_at_period_end && s.current_period && (
        <Alert tone="warning">Your subscription ends on {day(s.current_period.end)} and will not renew.</Alert>
      )}
      {s.status === "past_due" && (
        <Alert tone="warning" title="Your last payment failed.">
          {s.past_due_since ? `Overdue since ${day(s.past_due_since)}. ` : ""}Stripe tries again over the next days; update your payment method to settle it now.
        </Alert>
      )}
      {s.status === "suspended" && (
        <Alert tone="error" title="Your business is suspended.">
          {s.suspended_by === "operator"
            ? `Suspended by our team${s.suspended_reason ? `: ${s.suspended_reason}` : ""}. Contact support to lift it.`
            : "Your payment could not be collected. Pay the open invoice to reactivate at once."}{" "}
          Your booking page takes no new bookings meanwhile; existing appointments and reminders go on.
        </Alert>
      )}
      {s.status === "expired" && <Alert tone="warning">Your trial has ended. Choose a plan to take bookings again; nothing you entered is lost.</Alert>}
      {portal.error && (
        <Alert tone="error">
          {portal.error instanceof ApiError && portal.error.code === "no_customer" ? "There is no billing account yet: choose a plan first." : portal.error.message}
        </Alert>
      )}
      {owner ? (
        <div className="row-actions">
          {choose && (
            <Link className="btn btn-primary" to={PLANS_PATH}>
              {s.status === "trialing" ? "Upgrade" : "Choose a plan"}
            </Link>
          )}
          {!choose && <Link className="btn" to={PLANS_PATH}>Compare plans</Link>}
          {s.has_customer && (
            <Button variant={choose ? "secondary" : "primary"} busy={portal.isPending || portal.isSuccess} onClick={() => portal.mutate()}>
              Manage billing
            </Button>
          )}
        </div>
      ) : (
        <p className="hint">Only an owner of the business can change the plan or the payment method.</p>
      )}
    </section>
  );
}
