// Google Calendar sync: each member's own connection (connect through Google's consent page, sync
// now, disconnect), every staff member's state for owners and admins, and the busy times synced from
// Google that the calendar grid draws. Query keys start with "calendar-sync"; a change refreshes them
// all (a disconnect also removes that person's busy times).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { leaveFor } from "../../billing/lib/leave";

export type StatusItem = Schemas["CalendarStatusItem"];
export type BusyBlock = Schemas["BusyBlock"];
export type ConnectionState = StatusItem["state"];
export type GoogleCallback = Schemas["GoogleCallback"];

export const CALENDAR_SYNC_KEY = ["calendar-sync"] as const;
export const STATUS_KEY = [...CALENDAR_SYNC_KEY, "status"] as const;

/** While the first sync after connecting runs, the member's card asks again this often. */
export const FIRST_SYNC_POLL_MS = 3_000;

/**
 * The connection of every staff member the caller may see: owners and admins every active one, a
 * staff login its own profile only (`is_me` marks the caller's). With `awaitFirstSync` (just back
 * from Google), asked again until the caller's new connection has synced once.
 */
export function useCalendarStatus({ enabled = true, awaitFirstSync = false }: { enabled?: boolean; awaitFirstSync?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: STATUS_KEY,
    enabled,
    queryFn: async () => (await unwrap(api.client.GET("/calendar/status"))).items,
    refetchInterval: (query) => {
      const mine = query.state.data?.find((i) => i.is_me);
      return awaitFirstSync && mine?.state === "connected" && !mine.last_sync_at && !mine.last_error ? FIRST_SYNC_POLL_MS : false;
    },
  });
}

/** Off to Google's consent page; Google sends the member back through /account/google-callback. */
export function useConnectGoogle() {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.client.GET("/calendar/google/connect")),
    onSuccess: ({ url }) => leaveFor(url),
  });
}

/** Why the API refused to finish a connect (409 `calendar_connect_failed`, `details.reason`). */
export const CONNECT_REFUSALS = ["invalid_state", "access_denied", "scope", "failed"] as const;
export type ConnectRefusal = (typeof CONNECT_REFUSALS)[number];

/** The refusal's reason, or "failed" for anything else that stopped the connect (a network error, a 500…). */
export function connectRefusal(error: unknown): ConnectRefusal {
  const reason = error instanceof ApiError && error.code === "calendar_connect_failed" ? error.details["reason"] : null;
  return CONNECT_REFUSALS.find((r) => r === reason) ?? "failed";
}

/**
 * Finish the connect Google sent the member back from, with what its redirect carried, as the
 * signed-in member (the API takes only a state this member started): their connection's status. A
 * state works once, so the answer is kept for the page's life: a second render (strict mode, going
 * back in history) reads it instead of posting again. Not under "calendar-sync", which a connect
 * refreshes.
 */
export function useFinishGoogleConnect(body: GoogleCallback) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: ["google-connect-finish", body],
    queryFn: async () => {
      const item = await unwrap(api.client.POST("/calendar/google/callback", { body }));
      await queryClient.invalidateQueries({ queryKey: CALENDAR_SYNC_KEY });
      return item;
    },
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** Sync a connection now (`staffId` omitted: the caller's own); the answer is its new state. */
export function useSyncNow() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (staffId?: string) =>
      unwrap(api.client.POST("/calendar/google/sync", { body: staffId ? { staff_id: staffId } : {} })),
    onSuccess: (item) => {
      queryClient.setQueryData<StatusItem[]>(STATUS_KEY, (items) => items?.map((i) => (i.staff_id === item.staff_id ? item : i)));
      void queryClient.invalidateQueries({ queryKey: [...CALENDAR_SYNC_KEY, "busy"] });
    },
  });
}

/** Disconnect (`staffId` omitted: the caller's own): revoked at Google, busy times forgotten. */
export function useDisconnectGoogle() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (staffId?: string) =>
      unwrap(api.client.DELETE("/calendar/google", { params: { query: staffId ? { staff_id: staffId } : {} } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: CALENDAR_SYNC_KEY }),
  });
}

export interface BusyQuery {
  /** Local dates, inclusive, in `tz`. */
  from: string;
  to: string;
  tz: string;
  staffId?: string | undefined;
}

/** Google busy blocks overlapping the local dates from..to (only their times: Google's titles are not kept). */
export function useGoogleBusy(query: BusyQuery, { enabled = true }: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: [...CALENDAR_SYNC_KEY, "busy", query],
    enabled,
    queryFn: async (): Promise<BusyBlock[]> =>
      (
        await unwrap(
          api.client.GET("/calendar/busy", {
            params: { query: { from: query.from, to: query.to, tz: query.tz, ...(query.staffId ? { staff_id: query.staffId } : {}) } },
          }),
        )
      ).items,
  });
}
