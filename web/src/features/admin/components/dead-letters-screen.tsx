// /admin/dead-letters: notifications that failed for good, with their last error, a page at a
// time; the operator sends chosen ones (or every one waiting) again once the cause is fixed.
import { useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Pager, usePageCursors } from "../../../components/ui/pager";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { dashboardLocale } from "../../../lib/format";
import { formatDateTime } from "../../../lib/zoned";
import { useDeadLetters, useRedrive } from "../api/admin";
import { AdminError, AdminTabs } from "./admin-parts";

export function DeadLettersScreen() {
  const pages = usePageCursors();
  const letters = useDeadLetters(pages.cursor);
  const redrive = useRedrive();
  const toast = useToast();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [confirmAll, setConfirmAll] = useState(false);
  const locale = dashboardLocale();

  const send = (ids: string[] | null) =>
    redrive.mutate(ids, {
      onSuccess: ({ redriven }) => {
        toast(redriven.length === 1 ? "1 notification sent again." : `${redriven.length} notifications sent again.`);
        setChosen(new Set());
        setConfirmAll(false);
        pages.reset();
      },
    });
  const toggle = (id: string) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="page stack-lg">
      <PageHeader title="Platform console" lead="Notifications that failed for good. Send them again once the cause is fixed; deliveries already made are not repeated." />
      <AdminTabs />
      {redrive.error && <Alert tone="error">Couldn't send them again. {redrive.error.message}</Alert>}
      {letters.isPending ? (
        <Loading label="Loading dead letters…" />
      ) : letters.isError ? (
        <AdminError error={letters.error} what="the dead letters" onRetry={() => void letters.refetch()} />
      ) : letters.data.items.length === 0 && pages.onFirst ? (
        <EmptyState title="No dead letters.">Every notification was delivered or is still being tried.</EmptyState>
      ) : (
        <section className="card card-flush" aria-label="Dead letters">
          <div className="card-head row-actions">
            <Button variant="primary" size="sm" disabled={chosen.size === 0} busy={redrive.isPending && !confirmAll} onClick={() => send([...chosen])}>
              Send {chosen.size || ""} chosen again
            </Button>
            <Button size="sm" onClick={() => setConfirmAll(true)}>
              Send every one waiting again
            </Button>
          </div>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">Choose</span>
                  </th>
                  <th scope="col">Topic</th>
                  <th scope="col">Tenant</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Tries</th>
                  <th scope="col">Failed</th>
                </tr>
              </thead>
              <tbody>
                {letters.data.items.map((d) => (
                  <tr key={d.outbox_id}>
                    <td>
                      <input type="checkbox" aria-label={`Choose ${d.topic} ${d.outbox_id}`} checked={chosen.has(d.outbox_id)} onChange={() => toggle(d.outbox_id)} />
                    </td>
                    <td>{d.topic}</td>
                    <td>{d.business_id ? <Link to={`/admin/tenants/${d.business_id}`}>Open</Link> : <span className="muted">Platform</span>}</td>
                    <td className="admin-error-text">{d.last_error ?? ""}</td>
                    <td>
                      {d.receive_count}
                      {d.redrives > 0 && <span className="hint"> ({d.redrives} redriven)</span>}
                    </td>
                    <td>{formatDateTime(d.dead_at, "UTC", locale)} UTC</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} next={letters.data.next_cursor} />
        </section>
      )}
      <ConfirmDialog
        open={confirmAll}
        title="Send every dead letter again?"
        confirmLabel="Send them all"
        busy={redrive.isPending}
        onConfirm={() => send(null)}
        onClose={() => setConfirmAll(false)}
      >
        Every notification waiting here is queued again, on every page.
      </ConfirmDialog>
    </div>
  );
}
