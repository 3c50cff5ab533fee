// Staff: the reads other features share. Query keys start with "staff"; a change invalidates them all.
import { useQuery } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";

export type StaffMember = Schemas["StaffMember"];

export const staffKey = (includeInactive = false) => ["staff", { includeInactive }] as const;

export function useStaffList({ includeInactive = false }: { includeInactive?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: staffKey(includeInactive),
    queryFn: () =>
      allPages((cursor) => unwrap(api.client.GET("/staff", { params: { query: { limit: 200, cursor, include_inactive: includeInactive } } }))),
  });
}
