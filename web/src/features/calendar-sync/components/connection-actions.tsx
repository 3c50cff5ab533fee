// "Sync now" and "Disconnect" (after a confirmation) for one connection: the member's own, or, for
// owners and admins, a staff member's (`owner` names them).
import { useState, type ReactNode } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { useToast } from "../../../components/ui/toast";
import { ApiError } from "../../../lib/api-client";
import { useDisconnectGoogle, useSyncNow, type StatusItem } from "../api/calendar-sync";

/** The refusal of a sync, in words. */
export function syncProblem(error: Error): string {
  if (error instanceof ApiError && error.status === 429) return "It has just synced. Try again in a moment.";
  if (error instanceof ApiError && error.code === "calendar_not_connected") return "This Google Calendar is no longer connected.";
  return error.message;
}

/** `first`: a button shown before these (the member's "Reconnect"). */
export function ConnectionActions({ item, owner, first }: { item: StatusItem; owner?: string | undefined; first?: ReactNode }) {
  const toast = useToast();
  const sync = useSyncNow();
  const disconnect = useDisconnectGoogle();
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The API takes the caller's own connection when no staff_id is sent.
  const staffId = item.is_me ? undefined : item.staff_id;
  const whose = owner ? `${owner}'s` : "your";

  const syncNow = () => {
    setProblem(null);
    sync.mutate(staffId, {
      onSuccess: () => toast("Synced with Google Calendar."),
      onError: (error) => setProblem(syncProblem(error)),
    });
  };
  const doDisconnect = () =>
    disconnect.mutate(staffId, {
      onSuccess: () => {
        setConfirming(false);
        toast("Google Calendar disconnected.");
      },
      onError: (error) => {
        setConfirming(false);
        setProblem(error.message);
      },
    });

  return (
    <>
      {problem && <Alert tone="error">{problem}</Alert>}
      <div className="sync-actions">
        {first}
        {item.state === "connected" && (
          <Button busy={sync.isPending} onClick={syncNow}>
            Sync now
          </Button>
        )}
        <Button variant="danger-ghost" onClick={() => setConfirming(true)}>
          Disconnect
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={owner ? `Disconnect ${owner}'s Google Calendar?` : "Disconnect Google Calendar?"}
        confirmLabel="Disconnect"
        danger
        busy={disconnect.isPending}
        onConfirm={doDisconnect}
        onClose={() => setConfirming(false)}
      >
        <p>
          New bookings stop being copied to {item.google_email ?? `${whose} Google Calendar`}, and its busy times stop blocking
          times here. Events already copied stay in the Google Calendar.
          {owner && ` Only ${owner} can connect it again, from their own account page.`}
        </p>
      </ConfirmDialog>
    </>
  );
}
