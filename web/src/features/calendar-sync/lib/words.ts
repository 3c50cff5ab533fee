// Words for Google Calendar sync: a connection's state, why it needs reconnecting, what Google's
// redirect back to /account?google=… means, and how long ago it last synced.
import { formatDateTime, type Instant } from "../../../lib/zoned";
import type { ConnectionState, StatusItem } from "../api/calendar-sync";

export const STATE_LABELS: Record<ConnectionState, string> = {
  connected: "Connected",
  reconnect_needed: "Reconnect needed",
  not_connected: "Not connected",
};

export const STATE_BADGES: Record<ConnectionState, string> = {
  connected: "badge-success",
  reconnect_needed: "badge-warning",
  not_connected: "badge-muted",
};

/** Why Google stopped accepting a connection, in a sentence. */
export function reconnectReason(reason: StatusItem["reason"]): string {
  if (reason === "invalid_grant") return "Google no longer accepts the connection: its access was revoked in the Google account, or it expired.";
  if (reason === "scope") return "The permission to see and edit calendar events was removed in the Google account.";
  return "Google refused the connection.";
}

/** What stops while a connection waits to be reconnected. */
export const RECONNECT_CONSEQUENCE =
  "Until it is reconnected, new bookings and changes don't reach that Google Calendar, and events added or changed in it don't block times here (those it held when it stopped still do).";

export interface Notice {
  tone: "success" | "error";
  title: string;
  message: string;
}

const RETURN_ERRORS: Record<string, string> = {
  invalid_state: "The link to Google expired or was already used. Connect again to get a new one.",
  access_denied: "You declined on Google's page, so nothing was connected.",
  scope: "Google didn't grant the permission to see and edit your calendar events. Connect again and allow it on Google's page.",
};

/** The notice for Google's redirect back (?google=connected, or ?google=error&reason=…); null for none. */
export function returnNotice(google: string | null, reason: string | null): Notice | null {
  if (google === "connected") {
    return {
      tone: "success",
      title: "Google Calendar is connected.",
      message: "Your bookings are being copied to it, and the busy times in it now block those times here.",
    };
  }
  if (google === "error") {
    return {
      tone: "error",
      title: "Google Calendar was not connected.",
      message: (reason && RETURN_ERRORS[reason]) || "Something went wrong while connecting. Please try again in a moment.",
    };
  }
  return null;
}

/** "just now", "3 min ago", "5 h ago", then the date: "on Sun 28 Mar, 09:30". */
export function ago(instant: Instant, { now, timeZone, locale }: { now: number; timeZone: string; locale: string }): string {
  const minutes = Math.floor((now - new Date(instant).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return `on ${formatDateTime(instant, timeZone, locale)}`;
}

/** 0 → "No busy times", 1 → "1 busy time", 12 → "12 busy times". */
export function busyCount(n: number): string {
  if (n === 0) return "No busy times";
  return `${n.toLocaleString()} busy ${n === 1 ? "time" : "times"}`;
}

/** Google edits to bookings' events that the app put back. */
export function revertedWords(n: number): string {
  return n === 1
    ? "1 change made in Google Calendar to a booking was put back."
    : `${n.toLocaleString()} changes made in Google Calendar to bookings were put back.`;
}
