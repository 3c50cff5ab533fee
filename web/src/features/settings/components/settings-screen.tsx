// "/settings": the booking link to share, the logo, and the business's profile and booking policy.
// Everyone on the team sees them; only admins and owners change them.
import { useEffect } from "react";
import { useLocation } from "react-router";
import { SettingsTabs } from "../../../components/layouts/settings-tabs";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { useBusiness } from "../api/business";
import { BookingLink } from "./booking-link";
import { BusinessForm } from "./business-form";
import { LogoUpload } from "./logo-upload";
import "../settings.css";

export function SettingsScreen() {
  const me = useMe();
  const business = useBusiness();
  const { hash } = useLocation();
  const readOnly = !roleAtLeast(me.data?.role, "admin");
  const loaded = Boolean(business.data);

  // The checklist and empty states link to /settings#booking-link: bring that section into view
  // once it exists (the router does not scroll to fragments).
  useEffect(() => {
    if (!loaded || !hash) return;
    const target = document.getElementById(hash.slice(1));
    if (!target) return;
    target.scrollIntoView?.({ block: "start" });
    target.focus({ preventScroll: true });
  }, [loaded, hash]);

  return (
    <div className="page settings-page">
      <PageHeader
        title="Settings"
        lead={readOnly ? "Your business's profile and booking rules. Only admins and owners can change them." : "Your booking link, logo, profile and booking rules."}
      />
      <SettingsTabs />
      {business.isPending || me.isPending ? (
        <Loading label="Loading settings…" />
      ) : business.isError ? (
        <Alert
          tone="error"
          title="We couldn't load your settings."
          actions={
            <Button size="sm" onClick={() => void business.refetch()}>
              Try again
            </Button>
          }
        >
          {business.error.message}
        </Alert>
      ) : (
        <>
          <BookingLink business={business.data} />
          <LogoUpload business={business.data} readOnly={readOnly} />
          <BusinessForm business={business.data} readOnly={readOnly} onReload={async () => (await business.refetch()).data} />
        </>
      )}
    </div>
  );
}
