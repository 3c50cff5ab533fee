import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Loading } from "../../../components/ui/spinner";
import { formatDateTime, zoneName } from "../../../lib/zoned";
import { useDeliveryLog, type LogFilters } from "../api/notifications";
import { channelLabel, deliveryStatus, messageLabel } from "../utils/notifications";

/** Every message sent, newest first, with what the provider reported; a page at a time. */
export function DeliveryLog({ filters, timeZone, locale }: { filters: LogFilters; timeZone: string; locale: string }) {
  const log = useDeliveryLog(filters);
  const filtered = Boolean(filters.appointment_id || filters.customer_id);
  const items = log.data?.items ?? [];
  return (
    <section className="card card-flush" aria-labelledby="log-title">
      <div className="card-head card-head-row">
        <div>
          <h2 id="log-title" className="card-title">
            Delivery log{" "}
            {items.length > 0 && (
              <span className="count">
                {items.length}
                {log.hasNextPage ? "+" : ""}
              </span>
            )}
          </h2>
          <p className="muted card-sub">
            {filtered ? (
              <>
                Messages of one {filters.appointment_id ? "appointment" : "customer"}, newest first. <Link to="/settings/notifications">Show all</Link>
              </>
            ) : (
              "Every message sent, newest first, with what the provider reported."
            )}
          </p>
        </div>
        <Button variant="ghost" size="sm" busy={log.isRefetching && !log.isFetchingNextPage} onClick={() => void log.refetch()}>
          Refresh
        </Button>
      </div>
      {log.isError && (
        <Alert
          tone="error"
          actions={
            <Button size="sm" onClick={() => void log.refetch()}>
              Try again
            </Button>
          }
        >
          Couldn't load the log. {log.error.message}
        </Alert>
      )}
      {log.isPending ? (
        <Loading label="Loading the log…" />
      ) : items.length === 0 ? (
        !log.isError && (
          <p className="muted empty-line log-empty">
            {filtered ? "No messages for this filter yet." : "No messages yet. Confirmations, changes and reminders appear here once they are sent."}
          </p>
        )
      ) : (
        <>
          <div className="table-wrap">
            <table className="table log-table">
              <caption className="sr-only">Messages sent, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time ({zoneName(timeZone)})</th>
                  <th scope="col">Message</th>
                  <th scope="col">Channel</th>
                  <th scope="col">To</th>
                  <th scope="col">Status</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => {
                  const { label, tone } = deliveryStatus(entry.status);
                  const notes = [
                    entry.error && (
                      <span key="error" className={`log-error${entry.status === "failed" ? " log-error-failed" : ""}`}>
                        {entry.error}
                      </span>
                    ),
                    entry.fallback_of && (
                      <span key="fallback" className="muted block">
                        Sent by e-mail because the WhatsApp message failed.
                      </span>
                    ),
                    entry.attempts > 1 && (
                      <span key="attempts" className="muted block">
                        {entry.attempts} attempts
                      </span>
                    ),
                  ].filter(Boolean);
                  return (
                    <tr key={entry.id}>
                      <th scope="row" className="log-time">
                        <time dateTime={entry.created_at}>{formatDateTime(entry.created_at, timeZone, locale)}</time>
                      </th>
                      <td data-label="Message">{messageLabel(entry.message)}</td>
                      <td data-label="Channel">{channelLabel(entry.channel)}</td>
                      <td data-label="To" className="log-recipient">
                        {entry.recipient ?? <span className="muted">—</span>}
                      </td>
                      <td data-label="Status">
                        <span className={`status delivery-${tone}`}>{label}</span>
                      </td>
                      <td data-label="Details" className="log-notes">
                        {notes.length ? notes : <span className="muted">—</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="log-foot">
            {log.hasNextPage ? (
              <Button busy={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                {log.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : (
              <p className="muted">That's every message.</p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
