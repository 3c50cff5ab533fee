// The customer's routes (/public/...): no session, no token. Query keys start with "public".
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { unwrap, type Api, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export type Profile = Schemas["Profile"];
export type PublicService = Schemas["PublicService"];
export type PublicStaff = Schemas["PublicStaff"];
export type PublicLocation = Schemas["PublicLocation"];
export type PublicPolicy = Schemas["PublicPolicy"];
export type Slots = Schemas["Slots"];
export type Booked = Schemas["Booked"];
export type Managed = Schemas["Managed"];
export type PublicBookingBody = Schemas["PublicBooking"];

export const profileKey = (slug: string) => ["public", "profile", slug] as const;
export const managedKey = (token: string) => ["public", "booking", token] as const;

export function useProfile(slug: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: profileKey(slug ?? ""),
    queryFn: () => unwrap(api.client.GET("/public/{slug}", { params: { path: { slug: slug ?? "" } } })),
    enabled: Boolean(slug),
    staleTime: 60_000,
  });
}

/** Where a slot picker reads its free times: one window of dates at a time, in the zone shown. */
export interface SlotSource {
  /** The query key's stem; the zone and window are added to it. */
  key: readonly unknown[];
  load: (from: string, to: string, tz: string) => Promise<Slots>;
}

export function publicSlotSource(api: Api, slug: string, query: { serviceId: string; staffId: string | null; locationId: string | null }): SlotSource {
  return {
    key: ["public", "slots", slug, query.serviceId, query.staffId, query.locationId],
    load: (from, to, tz) =>
      unwrap(
        api.client.GET("/public/{slug}/availability", {
          params: {
            path: { slug },
            query: { service_id: query.serviceId, staff_id: query.staffId, location_id: query.locationId, from, to, tz },
          },
        }),
      ),
  };
}

export function moveSlotSource(api: Api, token: string): SlotSource {
  return {
    key: ["public", "move-slots", token],
    load: (from, to, tz) =>
      unwrap(api.client.GET("/public/bookings/{token}/availability", { params: { path: { token }, query: { from, to, tz } } })),
  };
}

/** Free times are read again after a refusal ("that time was just taken") or a change. */
export function forgetSlots(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (q) => q.queryKey[0] === "public" && (q.queryKey[1] === "slots" || q.queryKey[1] === "move-slots"),
  });
}

export function useBook(slug: string) {
  const api = useApi();
  return useMutation({
    mutationFn: ({ body, key }: { body: PublicBookingBody; key: string }) =>
      unwrap(api.client.POST("/public/{slug}/bookings", { params: { path: { slug } }, body, headers: { "Idempotency-Key": key } })),
  });
}

export function useManaged(token: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: managedKey(token ?? ""),
    queryFn: () => unwrap(api.client.GET("/public/bookings/{token}", { params: { path: { token: token ?? "" } } })),
    enabled: Boolean(token),
    staleTime: 0,
  });
}

export function useCancelBooking(token: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string | null) =>
      unwrap(api.client.POST("/public/bookings/{token}/cancel", { params: { path: { token } }, body: { reason } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: managedKey(token) }),
  });
}

export function useRescheduleBooking(token: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (startAt: string) =>
      unwrap(api.client.POST("/public/bookings/{token}/reschedule", { params: { path: { token } }, body: { start_at: startAt } })),
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: managedKey(token) }), forgetSlots(queryClient)]),
  });
}

export function useConfirmConsent(token: string) {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.client.POST("/public/consent/{token}", { params: { path: { token } } })),
  });
}
