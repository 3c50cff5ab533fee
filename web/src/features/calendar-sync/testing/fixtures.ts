// Google Calendar sync's API bodies for tests: connection states as GET /calendar/status answers them
// (Dana, the owner, is also a staff member: her row is `is_me`), and busy blocks.
import { IDS } from "../../../testing/fixtures";
import type { BusyBlock, StatusItem } from "../api/calendar-sync";

/** An instant `minutes` before now (with a few seconds to spare, so "3 min ago" stays 3). */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000 - 5_000).toISOString();
}

/** Dana's connection, synced 3 minutes ago with 12 busy times. */
export function connected(overrides: Partial<StatusItem> = {}): StatusItem {
  return {
    staff_id: IDS.dana,
    staff_name: "Dana Demo",
    state: "connected",
    reason: null,
    google_email: "dana@gmail.test",
    connected_at: "2026-12-01T09:00:00+00:00",
    last_sync_at: minutesAgo(3),
    last_error: null,
    last_error_at: null,
    busy_blocks: 12,
    reverted_edits: 0,
    last_reverted_at: null,
    is_me: true,
    ...overrides,
  };
}

export function notConnected(overrides: Partial<StatusItem> = {}): StatusItem {
  return connected({ state: "not_connected", google_email: null, connected_at: null, last_sync_at: null, busy_blocks: 0, ...overrides });
}

/** Google refused the refresh token (revoked or expired): only its owner can reconnect. */
export function reconnectNeeded(overrides: Partial<StatusItem> = {}): StatusItem {
  return connected({
    state: "reconnect_needed",
    reason: "invalid_grant",
    last_error: "Google refused the refresh token (invalid_grant).",
    last_error_at: minutesAgo(20),
    last_sync_at: minutesAgo(40),
    ...overrides,
  });
}

export function status(...items: StatusItem[]) {
  return { body: { items } };
}

export function busy(staff_id: string, starts_at: string, ends_at: string): BusyBlock {
  return { staff_id, starts_at, ends_at };
}
