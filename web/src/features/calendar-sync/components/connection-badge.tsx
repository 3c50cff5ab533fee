import type { ConnectionState } from "../api/calendar-sync";
import { STATE_BADGES, STATE_LABELS } from "../lib/words";

/** "Connected", "Reconnect needed" or "Not connected", coloured by how much it needs attention. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  return <span className={`badge ${STATE_BADGES[state]}`}>{STATE_LABELS[state]}</span>;
}
