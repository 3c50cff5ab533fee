// The dashboard's reads of GET /appointments: whole ranges of local dates in the business's zone.
// Keys start with "appointments", so any change to an appointment refreshes them.
import { useQuery } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";

export type ListedAppointment = Schemas["NamedAppointment"];
type Status = ListedAppointment["status"];

export interface Range {
  /** First and last local date, inclusive ("YYYY-MM-DD"). */
  from: string;
  to: string;
  tz: string;
  statuses?: Status[];
}

export function useAppointmentsIn({ from, to, tz, statuses }: Range, { enabled = true }: { enabled?: boolean } = {}) {
  const api = useApi();
  const status = statuses?.join(",") ?? null;
  return useQuery({
    queryKey: ["appointments", "range", { from, to, tz, status }],
    enabled,
    queryFn: () =>
      allPages((cursor) => unwrap(api.client.GET("/appointments", { params: { query: { from, to, tz, status, limit: 200, cursor } } }))),
  });
}
