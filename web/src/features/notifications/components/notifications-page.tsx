import { useSearchParams } from "react-router";
import { SettingsTabs } from "../../../components/layouts/settings-tabs";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { useNotificationSettings, type LogFilters } from "../api/notifications";
import { DeliveryLog } from "./delivery-log";
import { SettingsForm } from "./settings-form";
import { TemplatesSection } from "./templates-section";

const locale = () => globalThis.navigator?.language ?? "en-GB";

/**
 * /settings/notifications: how the business talks to its customers: channels, reminders and sender,
 * the wording of each message, and the delivery log (?appointment_id= or ?customer_id= narrow it).
 * Everyone on the team can look; admins and owners change things, and only what the plan includes.
 */
export function NotificationsPage() {
  const me = useMe();
  const settings = useNotificationSettings();
  const [params] = useSearchParams();
  if (me.isPending) return <Loading />;
  if (me.isError) return <Alert tone="error">{me.error.message}</Alert>;
  const { user, business, role, features } = me.data;
  const canEdit = roleAtLeast(role, "admin");
  const filters: LogFilters = {
    ...(params.get("appointment_id") ? { appointment_id: params.get("appointment_id") as string } : {}),
    ...(params.get("customer_id") ? { customer_id: params.get("customer_id") as string } : {}),
  };
  return (
    <div className="page stack-lg">
      <SettingsTabs />
      <PageHeader
        title="Notifications"
        lead={
          canEdit
            ? "How and when your customers hear from you, in your words, and what was sent."
            : "How and when your customers hear from you, and what was sent. Only admins and owners can change the settings."
        }
      />
      <nav className="page-tabs" aria-label="On this page">
        <span className="page-tabs-label">On this page:</span>
        <a href="#s-channels">Channels and reminders</a>
        <a href="#templates-title">Message templates</a>
        <a href="#log-title">Delivery log</a>
      </nav>
      {settings.isPending ? (
        <Loading label="Loading the settings…" />
      ) : settings.isError ? (
        <Alert
          tone="error"
          actions={
            <Button size="sm" onClick={() => void settings.refetch()}>
              Try again
            </Button>
          }
        >
          Couldn't load the notification settings. {settings.error.message}
        </Alert>
      ) : (
        <SettingsForm
          // A save or a reload gives a new version: the form starts again from it.
          key={settings.data.version}
          settings={settings.data}
          businessName={business.name}
          readOnly={!canEdit}
          whatsappAllowed={features.whatsapp}
          onReload={() => void settings.refetch()}
        />
      )}
      <TemplatesSection
        canEdit={canEdit}
        planAllows={features.custom_templates}
        sample={{ businessName: business.name, staffName: user.name, timeZone: business.time_zone, locale: locale() }}
      />
      <DeliveryLog filters={filters} timeZone={business.time_zone} locale={locale()} />
    </div>
  );
}
