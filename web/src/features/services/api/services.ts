// Services: the reads other features share. Query keys start with "services"; a change invalidates
// them all.
import { useQuery } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";

export type Service = Schemas["Service"];

export const servicesKey = (includeArchived = false) => ["services", { includeArchived }] as const;

export function useServices({ includeArchived = false }: { includeArchived?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: servicesKey(includeArchived),
    queryFn: () =>
      allPages((cursor) => unwrap(api.client.GET("/services", { params: { query: { limit: 200, cursor, include_archived: includeArchived } } }))),
  });
}

export const serviceKey = (serviceId: string) => ["services", "detail", serviceId] as const;

/** One service with its performers, archived or not. */
export function useService(serviceId: string) {
  const api = useApi();
  return useQuery({
    queryKey: serviceKey(serviceId),
    queryFn: () => unwrap(api.client.GET("/services/{service_id}", { params: { path: { service_id: serviceId } } })),
  });
}

/** The writes of the catalogue; callers invalidate ["services"] once their whole change is done. */
export function useServiceWrites() {
  const api = useApi();
  return {
    create: (body: Schemas["NewService"]) => unwrap(api.client.POST("/services", { body })),
    update: (serviceId: string, body: Schemas["ServiceUpdate"]) =>
      unwrap(api.client.PATCH("/services/{service_id}", { params: { path: { service_id: serviceId } }, body })),
    setStaff: (serviceId: string, staff: Schemas["ServicePerformer"][]) =>
      unwrap(api.client.PUT("/services/{service_id}/staff", { params: { path: { service_id: serviceId } }, body: { staff } })),
    archive: (serviceId: string) => unwrap(api.client.DELETE("/services/{service_id}", { params: { path: { service_id: serviceId } } })),
  };
}
