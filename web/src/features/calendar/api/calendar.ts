// The calendar's reads and writes: appointments over a range of local dates (every page), the
// staff's schedules and time off for shading, and the changes made from the calendar (move, confirm,
// decline). Query keys start with their resource ("appointments", "staff") so that a change anywhere
// in the app refreshes them.
import { useMutation, useQueries, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";

export type Appointment = Schemas["NamedAppointment"];
export type Status = Appointment["status"];

export interface RangeQuery {
  from: string;
  to: string;
  tz: string;
  staffId?: string | undefined;
  locationId?: string | undefined;
  /** Comma-separated statuses ("pending"); every status when absent. */
  status?: string | undefined;
}

export const appointmentsKey = (query: RangeQuery): QueryKey => ["appointments", "range", query];

/** Appointments starting on the local dates from..to (inclusive) in `tz`, every page of them. */
export function useAppointments(query: RangeQuery, { enabled = true }: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: appointmentsKey(query),
    enabled,
    queryFn: () =>
      allPages((cursor) =>
        unwrap(
          api.client.GET("/appointments", {
            params: {
              query: {
                from: query.from,
                to: query.to,
                tz: query.tz,
                staff_id: query.staffId,
                location_id: query.locationId,
                status: query.status,
                limit: 200,
                cursor: cursor ?? undefined,
              },
            },
          }),
        ),
      ),
  });
}

/** Each staff member's weekly hours and the dated overrides from `from` on. */
export function useSchedules(staffIds: string[], from: string) {
  const api = useApi();
  return useQueries({
    queries: staffIds.map((staffId) => ({
      queryKey: ["staff", staffId, "schedule", from],
      queryFn: () => unwrap(api.client.GET("/staff/{staff_id}/schedule", { params: { path: { staff_id: staffId }, query: { from } } })),
    })),
    combine: (results) => new Map(staffIds.map((id, i) => [id, results[i]?.data])),
  });
}

/** Each staff member's time off overlapping the local dates from..to. */
export function useTimeOff(staffIds: string[], from: string, to: string) {
  const api = useApi();
  return useQueries({
    queries: staffIds.map((staffId) => ({
      queryKey: ["staff", staffId, "time-off", from, to],
      queryFn: () =>
        allPages((cursor) =>
          unwrap(
            api.client.GET("/staff/{staff_id}/time-off", {
              params: { path: { staff_id: staffId }, query: { from, to, limit: 200, cursor: cursor ?? undefined } },
            }),
          ),
        ),
    })),
    combine: (results) => new Map(staffIds.map((id, i) => [id, results[i]?.data])),
  });
}

export interface MoveRequest {
  appointment: Appointment;
  startAt: Date;
  staffId: string;
}

/**
 * Move an appointment (drag and drop). It shows at its new place at once; the server decides, and
 * a refusal puts it back (the caller shows the reason from the error).
 */
export function useMoveAppointment(rangeKey: QueryKey) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ appointment, startAt, staffId }: MoveRequest) =>
      unwrap(
        api.client.POST("/appointments/{appointment_id}/reschedule", {
          params: { path: { appointment_id: appointment.id } },
          body: { start_at: startAt.toISOString(), staff_id: staffId, version: appointment.version },
        }),
      ),
    onMutate: async ({ appointment, startAt, staffId }) => {
      await queryClient.cancelQueries({ queryKey: rangeKey });
      const before = queryClient.getQueryData<Appointment[]>(rangeKey);
      const length = Date.parse(appointment.end_at) - Date.parse(appointment.start_at);
      const moved: Appointment = {
        ...appointment,
        start_at: startAt.toISOString(),
        end_at: new Date(startAt.getTime() + length).toISOString(),
        staff_id: staffId,
      };
      queryClient.setQueryData<Appointment[]>(rangeKey, (list) => list?.map((a) => (a.id === appointment.id ? moved : a)));
      return { before };
    },
    onError: (_error, _move, context) => {
      if (context?.before) queryClient.setQueryData(rangeKey, context.before);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["appointments"] }),
  });
}

/** Confirm a pending request (with the version it was seen at). */
export function useConfirmAppointment() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (appointment: Appointment) =>
      unwrap(
        api.client.POST("/appointments/{appointment_id}/confirm", {
          params: { path: { appointment_id: appointment.id } },
          body: { version: appointment.version },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["appointments"] }),
  });
}

/** Decline a pending request: the business cancels it, with an optional reason kept on it. */
export function useDeclineAppointment() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ appointment, reason }: { appointment: Appointment; reason: string | null }) =>
      unwrap(
        api.client.POST("/appointments/{appointment_id}/cancel", {
          params: { path: { appointment_id: appointment.id } },
          body: { reason, scope: "this", version: appointment.version },
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["appointments"] }),
  });
}
