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

export const locationKey = (locationId: string) => ["locations", "detail", locationId] as const;

/** One location, archived or not. */
export function useLocationDetail(locationId: string) {
  const api = useApi();
  return useQuery({
    queryKey: locationKey(locationId),
    queryFn: () => unwrap(api.client.GET("/locations/{location_id}", { params: { path: { location_id: locationId } } })),
  });
}

/** The writes of locations; callers invalidate ["locations"] once their change is done. */
export function useLocationWrites() {
  const api = useApi();
  return {
    create: (body: Schemas["NewLocation"]) => unwrap(api.client.POST("/locations", { body })),
    update: (locationId: string, body: Schemas["LocationUpdate"]) =>
      unwrap(api.client.PATCH("/locations/{location_id}", { params: { path: { location_id: locationId } }, body })),
    archive: (locationId: string) =>
      unwrap(api.client.DELETE("/locations/{location_id}", { params: { path: { location_id: locationId } } })),
  };
}
