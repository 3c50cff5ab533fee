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
