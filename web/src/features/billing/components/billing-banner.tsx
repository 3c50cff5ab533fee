// The banner above every screen of the app while the business's subscription needs attention: the
// trial's days left, a failed payment, an ended trial or subscription, a suspension; each with what
// to do about it (owners act, the others are told to ask one).
import { Link, useLocation } from "react-router";
import { Alert, type Tone } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { subscribed, usePortal, useSubscription, type Subscription } from "../api/billing";
import { BILLING_PATH, PLANS_PATH } from "../lib/words";
import "../billing.css";

/** The trial banner turns from a note into a warning this many days before the end. */
const TRIAL_WARNING_DAYS = 3;

interface Banner {
  tone: Tone;
  title: string;
  text: string;
  action: "plans" | "portal" | null;
  actionLabel: string;
}

function bannerFor(s: Subscription): Banner | null {
  switch (s.status) {
    case "trialing": {
      // Subscribed during the trial: nothing to choose any more.
      if (subscribed(s)) return null;
      const days = s.trial_days_left ?? 0;
      const left = days <= 0 ? "Your free trial ends today." : `Your free trial ends in ${days} ${days === 1 ? "day" : "days"}.`;
      return {
        tone: days <= TRIAL_WARNING_DAYS ? "warning" : "info",
        title: left,
        text: "Choose a plan to keep taking bookings after it ends.",
        action: "plans",
        actionLabel: "Choose a plan",
      };
    }
    case "past_due":
      return {
        tone: "warning",
        title: "Your last payment failed.",
        text: "Everything still works while Stripe tries again. Update your payment method to avoid a suspension.",
        action: "portal",
        actionLabel: "Update payment",
      };
    case "suspended":
      return s.suspended_by === "operator"
        ? {
            tone: "error",
            title: "Your business is suspended by our team.",
            text: `${s.suspended_reason ? `Reason: ${s.suspended_reason}. ` : ""}It takes no new bookings; your data is kept. Contact support to lift it.`,
            action: null,
            actionLabel: "",
          }
        : {
            tone: "error",
            title: "Your business is suspended: the payment could not be collected.",
            text: "It takes no new bookings until the invoice is paid; your data and existing appointments are kept.",
            action: "portal",
            actionLabel: "Pay now",
          };
    case "expired":
      return {
        tone: "error",
        title: "Your free trial has ended.",
        text: "Your booking page takes no new bookings. Everything you entered is kept: subscribe to carry on.",
        action: "plans",
        actionLabel: "Subscribe",
      };
    case "cancelled":
      return {
        tone: "error",
        title: "Your subscription has ended.",
        text: "Your booking page takes no new bookings. Everything you entered is kept: subscribe again to carry on.",
        action: "plans",
        actionLabel: "Subscribe",
      };
    default:
      return null;
  }
}

export function BillingBanner() {
  const me = useMe();
  const subscription = useSubscription();
  const portal = usePortal();
  const { pathname } = useLocation();
  // The billing page says all this itself; an unreadable subscription shows nothing rather than noise.
  if (!subscription.data || pathname === BILLING_PATH) return null;
  const banner = bannerFor(subscription.data);
  if (!banner) return null;
  const owner = roleAtLeast(me.data?.role, "owner");
  const action = !owner ? null : banner.action === "plans" ? (
    <Link className="btn btn-sm btn-primary" to={PLANS_PATH}>
      {banner.actionLabel}
    </Link>
  ) : banner.action === "portal" ? (
    subscription.data.has_customer ? (
      <Button size="sm" variant="primary" busy={portal.isPending || portal.isSuccess} onClick={() => portal.mutate()}>
        {banner.actionLabel}
      </Button>
    ) : (
      <Link className="btn btn-sm btn-primary" to={BILLING_PATH}>
        Go to billing
      </Link>
    )
  ) : null;
  return (
    <div className="billing-banner" role="region" aria-label="Subscription">
      <Alert tone={banner.tone} title={banner.title} actions={action ?? undefined}>
        {banner.text}
        {!owner && banner.action && " Ask an owner of the business to see to it."}
        {portal.error && ` ${portal.error.message}`}
      </Alert>
    </div>
  );
}
