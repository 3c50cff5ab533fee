// The platform console's reads and writes (/admin/*, platform operators only). Query keys start
// with "admin"; an operator's change invalidates them all.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export type Tenant = Schemas["Tenant"];
export type TenantDetail = Schemas["TenantDetail"];
export type TenantFilters = { q?: string; plan?: Tenant["plan"]; status?: Tenant["status"]; state?: NonNullable<Tenant["state"]> };
export type FeatureOverride = Schemas["FeatureOverride"];
export type DeadLetter = Schemas["DeadLetter"];

const TENANTS_PAGE = 25;
const DEAD_LETTERS_PAGE = 25;

export function useTenants(filters: TenantFilters, cursor: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["admin", "tenants", filters, cursor],
    queryFn: () => unwrap(api.client.GET("/admin/tenants", { params: { query: { ...filters, cursor, limit: TENANTS_PAGE } } })),
    placeholderData: (previous) => previous,
  });
}

export const tenantKey = (businessId: string) => ["admin", "tenant", businessId] as const;

export function useTenant(businessId: string) {
  const api = useApi();
  return useQuery({
    queryKey: tenantKey(businessId),
    queryFn: () => unwrap(api.client.GET("/admin/tenants/{business_id}", { params: { path: { business_id: businessId } } })),
  });
}

/** Suspend, reactivate or replace the overrides: each answers the tenant as it is now. */
export function useTenantWrites(businessId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const path = { path: { business_id: businessId } };
  const done = (tenant: TenantDetail) => {
    queryClient.setQueryData(tenantKey(businessId), tenant);
    void queryClient.invalidateQueries({ queryKey: ["admin", "tenants"] });
    void queryClient.invalidateQueries({ queryKey: ["admin", "metrics"] });
  };
  return {
    suspend: useMutation({
      mutationFn: (reason: string) => unwrap(api.client.POST("/admin/tenants/{business_id}/suspend", { params: path, body: { reason } })),
      onSuccess: done,
    }),
    reactivate: useMutation({
      mutationFn: (reason: string) => unwrap(api.client.POST("/admin/tenants/{business_id}/reactivate", { params: path, body: { reason } })),
      onSuccess: done,
    }),
    overrides: useMutation({
      mutationFn: (body: Schemas["FeatureOverrides"]) => unwrap(api.client.PUT("/admin/tenants/{business_id}/features", { params: path, body })),
      onSuccess: done,
    }),
  };
}

export function useMetrics() {
  const api = useApi();
  return useQuery({ queryKey: ["admin", "metrics"], queryFn: () => unwrap(api.client.GET("/admin/metrics")) });
}

export function useDeadLetters(cursor: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["admin", "dead-letters", cursor],
    queryFn: () => unwrap(api.client.GET("/admin/dead-letters", { params: { query: { cursor, limit: DEAD_LETTERS_PAGE } } })),
  });
}

/** Send dead letters again: those named, or (null) every one waiting. */
export function useRedrive() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (outboxIds: string[] | null) => unwrap(api.client.POST("/admin/dead-letters/redrive", { body: { outbox_ids: outboxIds } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["admin", "dead-letters"] });
      void queryClient.invalidateQueries({ queryKey: ["admin", "metrics"] });
    },
  });
}
