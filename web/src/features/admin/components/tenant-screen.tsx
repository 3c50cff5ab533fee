// /admin/tenants/:businessId: one tenant as the platform sees it: its subscription mirrored from
// Stripe, what it may use now and the overrides behind that, its counts and use this period, the
// operators' recent actions; and the operator's levers: suspend / reactivate (with a reason) and
// the overrides.
import { useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { Field } from "../../../components/ui/field";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError } from "../../../lib/api-client";
import { dashboardLocale, formatMoney } from "../../../lib/format";
import { formatDateTime } from "../../../lib/zoned";
import { Meters } from "../../billing/components/usage-card";
import { billingDay, featureLabel, LIMIT_NAMES, limitAmount, planName } from "../../billing/lib/words";
import { useTenant, useTenantWrites, type TenantDetail } from "../api/admin";
import { AdminError, AdminTabs, StateBadge } from "./admin-parts";
import { OverridesEditor } from "./overrides-editor";

const ACTION_NAMES = { suspend: "Suspended", reactivate: "Reactivated", features: "Changed the overrides" } as const;

export function TenantScreen() {
  const { businessId = "" } = useParams();
  const tenant = useTenant(businessId);
  if (tenant.isPending) return <Loading label="Loading the tenant…" />;
  if (tenant.isError) {
    return (
      <div className="page stack-lg">
        <PageHeader title="Tenant" lead={<Link to="/admin">All tenants</Link>} />
        {tenant.error instanceof ApiError && tenant.error.status === 404 ? (
          <Alert tone="error" title="No such tenant.">It may have been deleted, or the link is wrong.</Alert>
        ) : (
          <AdminError error={tenant.error} what="the tenant" onRetry={() => void tenant.refetch()} />
        )}
      </div>
    );
  }
  return <TenantPage tenant={tenant.data} />;
}

function TenantPage({ tenant: t }: { tenant: TenantDetail }) {
  const locale = dashboardLocale();
  const day = (instant: string) => billingDay(instant, "UTC", locale);
  const s = t.subscription;
  const [acting, setActing] = useState<"suspend" | "reactivate" | null>(null);
  return (
    <div className="page stack-lg">
      <PageHeader
        title={t.name}
        lead={
          <>
            <Link to="/admin">All tenants</Link> · {t.slug} · {planName(t.plan)} · <StateBadge state={t.state} status={t.status} />
          </>
        }
        actions={
          t.status === "suspended" ? (
            <Button variant="primary" onClick={() => setActing("reactivate")}>
              Reactivate
            </Button>
          ) : (
            <Button variant="danger" onClick={() => setActing("suspend")}>
              Suspend
            </Button>
          )
        }
      />
      <AdminTabs />
      {acting && <ReasonDialog tenant={t} action={acting} onClose={() => setActing(null)} />}
      {s?.suspended_by && (
        <Alert tone="warning" title={s.suspended_by === "operator" ? "Suspended by an operator." : "Suspended for non-payment."}>
          {s.suspended_reason ?? ""}
        </Alert>
      )}
      <div className="admin-grid">
        <section className="card stack" aria-labelledby="sub-title">
          <h2 id="sub-title" className="card-title">
            Subscription
          </h2>
          {s ? (
            <dl className="billing-facts">
              <Fact term="State" value={<StateBadge state={s.state} status={t.status} />} />
              <Fact term="Price" value={s.amount ? `${formatMoney(s.amount, locale)} a ${s.billing_interval ?? "period"}` : "None"} />
              <Fact term="MRR" value={s.mrr ? formatMoney(s.mrr, locale) : "None"} />
              {s.trial_ends_at && <Fact term="Trial ends" value={day(s.trial_ends_at)} />}
              {s.current_period && <Fact term="Period" value={`${day(s.current_period.start)} – ${day(s.current_period.end)}`} />}
              {s.cancel_at_period_end && <Fact term="Renewal" value="Cancels at period end" />}
              {s.past_due_since && <Fact term="Past due since" value={day(s.past_due_since)} />}
              <Fact term="Stripe customer" value={s.stripe_customer_id ?? "None"} />
              <Fact term="Stripe subscription" value={s.stripe_subscription_id ? `${s.stripe_subscription_id} (${s.stripe_status ?? "?"})` : "None"} />
              {s.synced_at && <Fact term="Synced" value={formatDateTime(s.synced_at, "UTC", locale)} />}
            </dl>
          ) : (
            <p className="muted">No subscription record.</p>
          )}
        </section>
        <section className="card stack" aria-labelledby="owner-title">
          <h2 id="owner-title" className="card-title">
            Business
          </h2>
          <dl className="billing-facts">
            <Fact term="Owner" value={t.owner ? `${t.owner.name} <${t.owner.email}>` : "None"} />
            <Fact term="Created" value={day(t.created_at)} />
            <Fact term="Staff" value={`${t.counts.staff} of ${limitAmount("staff", t.entitlements.limits.staff)}`} />
            <Fact term="Locations" value={`${t.counts.locations} of ${limitAmount("locations", t.entitlements.limits.locations)}`} />
            <Fact term="Logins" value={String(t.counts.members)} />
          </dl>
        </section>
        <section className="card stack" aria-labelledby="tenant-usage-title">
          <div>
            <h2 id="tenant-usage-title" className="card-title">
              Usage this period
            </h2>
            <p className="muted card-sub">
              {day(t.period_usage.period.start)} – {day(t.period_usage.period.end)}
            </p>
          </div>
          <Meters usage={t.period_usage} />
        </section>
      </div>
      <section className="card stack" aria-labelledby="effective-title">
        <h2 id="effective-title" className="card-title">
          In force now ({planName(t.entitlements.plan)}, with overrides and rollouts)
        </h2>
        <ul className="plan-features" aria-label="Features in force">
          {Object.entries(t.entitlements.features).map(([key, on]) => (
            <li key={key} className={on ? "is-in" : "is-out"}>
              <span aria-hidden="true">{on ? "✓" : "–"}</span> {featureLabel(key)}
              <span className="sr-only">{on ? " (on)" : " (off)"}</span>
            </li>
          ))}
        </ul>
        <ul className="plan-limits" aria-label="Limits in force">
          {Object.entries(t.entitlements.limits).map(([key, value]) => (
            <li key={key}>
              {LIMIT_NAMES[key] ?? key}: {value ?? "no limit"}
            </li>
          ))}
        </ul>
      </section>
      <OverridesEditor key={JSON.stringify(t.overrides)} tenant={t} />
      <section className="card stack" aria-labelledby="history-title">
        <h2 id="history-title" className="card-title">
          Operator actions
        </h2>
        {t.recent_actions.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="admin-actions-log">
            {t.recent_actions.map((a) => (
              <li key={a.id}>
                <strong>{ACTION_NAMES[a.action]}</strong> · {formatDateTime(a.at, "UTC", locale)} UTC · {a.actor?.email ?? "system"}
                <div className="muted">{a.reason}</div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function Fact({ term, value }: { term: string; value: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** Suspend or reactivate: both need the reason, which is kept with the action. */
function ReasonDialog({ tenant, action, onClose }: { tenant: TenantDetail; action: "suspend" | "reactivate"; onClose: () => void }) {
  const writes = useTenantWrites(tenant.id);
  const mutation = action === "suspend" ? writes.suspend : writes.reactivate;
  const toast = useToast();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const title = action === "suspend" ? `Suspend ${tenant.name}` : `Reactivate ${tenant.name}`;
  const send = () => {
    if (!reason.trim()) {
      setError("Say why: the reason is kept with the action.");
      return;
    }
    mutation.mutate(reason.trim(), {
      onSuccess: () => {
        toast(action === "suspend" ? `${tenant.name} is suspended.` : `${tenant.name} is reactivated.`);
        onClose();
      },
      onError: (e) => setError(e instanceof ApiError && e.status === 422 ? (e.fields.reason ? `Reason: ${e.fields.reason}` : e.message) : e.message),
    });
  };
  return (
    <Dialog open title={title} onClose={onClose}>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <p>
          {action === "suspend"
            ? "The business stops taking new bookings and its public page goes away. Its team can still log in, read, export and pay. A payment does not lift this."
            : "The business goes back to the state its subscription gives (or its trial's)."}
        </p>
        <Field label="Reason" error={error ?? undefined}>
          <input type="text" maxLength={500} value={reason} onChange={(e) => { setReason(e.target.value); setError(null); }} />
        </Field>
        <div className="form-buttons">
          <Button type="submit" variant={action === "suspend" ? "danger" : "primary"} busy={mutation.isPending}>
            {action === "suspend" ? "Suspend" : "Reactivate"}
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
