// What a connection is doing: the Google account, the last sync, how many busy times it brought,
// Google edits to bookings that were put back, and a sync problem newer than the last success.
import { Alert } from "../../../components/ui/alert";
import { dashboardLocale } from "../../../lib/format";
import { formatDateTime } from "../../../lib/zoned";
import type { StatusItem } from "../api/calendar-sync";
import { ago, busyCount, revertedWords } from "../lib/words";
import { useNow } from "../lib/use-now";

export function ConnectionFacts({ item, timeZone }: { item: StatusItem; timeZone: string }) {
  const now = useNow();
  const locale = dashboardLocale();
  const when = (instant: string) => ago(instant, { now, timeZone, locale });
  const fullTime = (instant: string) => formatDateTime(instant, timeZone, locale);
  // A connection that needs reconnecting says so itself; a connected one may still fail to sync.
  const failedSince = item.state === "connected" && item.last_error && item.last_error_at && (!item.last_sync_at || Date.parse(item.last_error_at) > Date.parse(item.last_sync_at));
  return (
    <>
      <dl className="facts">
        <div className="fact">
          <dt>Google account</dt>
          <dd>{item.google_email ?? "Unknown"}</dd>
        </div>
        <div className="fact">
          <dt>Last sync</dt>
          <dd>
            {item.last_sync_at ? (
              <time dateTime={item.last_sync_at} title={fullTime(item.last_sync_at)}>
                Synced {when(item.last_sync_at)}
              </time>
            ) : (
              "Not synced yet"
            )}
          </dd>
        </div>
        <div className="fact">
          <dt>From Google</dt>
          <dd>{busyCount(item.busy_blocks)} blocking bookings</dd>
        </div>
      </dl>
      {failedSince && item.last_error_at && (
        <Alert tone="warning" title={`The last sync failed ${when(item.last_error_at)}.`}>
          {item.last_error} It is tried again every 15 minutes.
        </Alert>
      )}
      {item.reverted_edits > 0 && (
        <Alert tone="info" title="Changes made in Google were put back">
          {revertedWords(item.reverted_edits)}
          {item.last_reverted_at && ` The last one ${when(item.last_reverted_at)}.`} Bookings are managed here, so that Google
          Calendar always shows what customers were told: move or cancel them in this app.
        </Alert>
      )}
    </>
  );
}
