// Locations: the reads other features share. Query keys start with "locations"; a change
// invalidates them all.
import { useQuery } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";

export type Location = Schemas["Location"];

export const locationsKey = (includeArchived = false) => ["locations", { includeArchived }] as const;

export function useLocations({ includeArchived = false }: { includeArchived?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: locationsKey(includeArchived),
    queryFn: () =>
      allPages((cursor) => unwrap(api.client.GET("/locations", { params: { query: { limit: 200, cursor, include_archived: includeArchived } } }))),
  });
}
