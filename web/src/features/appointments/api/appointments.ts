// One appointment: its read, its history, the free times to book or move it to, and every change the
// panel and the new-appointment screen make. Query keys start with "appointments" (the calendar's
// lists too), so that a change here refreshes the calendar and a change there refreshes the panel.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export type Appointment = Schemas["NamedAppointment"];
export type Status = Appointment["status"];
export type Slot = Schemas["Slot"];
export type NewAppointment = Schemas["NewAppointment"];
export type NewSeries = Schemas["NewSeries"];
export type Series = Schemas["Series"];

export const APPOINTMENTS_KEY = ["appointments"] as const;
export const appointmentKey = (appointmentId: string) => ["appointments", "one", appointmentId] as const;

export function useAppointment(appointmentId: string) {
  const api = useApi();
  return useQuery({
    queryKey: appointmentKey(appointmentId),
    queryFn: () => unwrap(api.client.GET("/appointments/{appointment_id}", { params: { path: { appointment_id: appointmentId } } })),
  });
}

/** Its changes, read only once the history is opened (`enabled`). */
export function useAppointmentHistory(appointmentId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ["appointments", "history", appointmentId],
    enabled,
    queryFn: () =>
      unwrap(api.client.GET("/appointments/{appointment_id}/history", { params: { path: { appointment_id: appointmentId } } })),
  });
}

export interface SlotsQuery {
  serviceId: string;
  staffId?: string | undefined;
  locationId?: string | undefined;
  date: string;
  tz: string;
  /** The appointment being moved: its own time does not stand in its way (a move by less than its length). */
  excludeAppointmentId?: string | undefined;
}

/** The free times of one local date (any staff: one fair pick per start time). */
export function useSlots(query: SlotsQuery | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["appointments", "slots", query],
    enabled: query !== null,
    queryFn: () => {
      const q = query as SlotsQuery;
      return unwrap(
        api.client.GET("/availability", {
          params: {
            query: {
              service_id: q.serviceId,
              staff_id: q.staffId,
              location_id: q.locationId,
              from: q.date,
              to: q.date,
              tz: q.tz,
              exclude_appointment_id: q.excludeAppointmentId,
            },
          },
        }),
      );
    },
  });
}

export type Action = "confirm" | "complete" | "no_show";

/** Every change of one appointment; each answer replaces the panel's copy and refreshes the lists. */
export function useAppointmentChanges(appointmentId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  const path = { appointment_id: appointmentId };
  const settle = async <T extends Schemas["Appointment"]>(answer: T): Promise<T> => {
    queryClient.setQueryData<Appointment>(appointmentKey(appointmentId), (old) => (old ? { ...old, ...answer } : old));
    await queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
    return answer;
  };
  return {
    act: useMutation({
      mutationFn: ({ action, version }: { action: Action; version: number }) => {
        const body = { body: { version }, params: { path } };
        const call =
          action === "confirm"
            ? api.client.POST("/appointments/{appointment_id}/confirm", body)
            : action === "complete"
              ? api.client.POST("/appointments/{appointment_id}/complete", body)
              : api.client.POST("/appointments/{appointment_id}/no-show", body);
        return unwrap(call).then(settle);
      },
    }),
    cancel: useMutation({
      mutationFn: (body: Schemas["Cancellation"]) =>
        unwrap(api.client.POST("/appointments/{appointment_id}/cancel", { params: { path }, body })).then(settle),
    }),
    reschedule: useMutation({
      mutationFn: (body: Schemas["Move"]) =>
        unwrap(api.client.POST("/appointments/{appointment_id}/reschedule", { params: { path }, body })).then(settle),
    }),
    edit: useMutation({
      mutationFn: (body: Schemas["AppointmentEdit"]) =>
        unwrap(api.client.PATCH("/appointments/{appointment_id}", { params: { path }, body })).then(settle),
    }),
    /** Read it again (after a 409: what was shown is out of date). */
    reload: () => queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY }),
  };
}

export function useCreateAppointment() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewAppointment) => unwrap(api.client.POST("/appointments", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY }),
  });
}

export function useCreateSeries() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewSeries) => unwrap(api.client.POST("/appointments/recurring", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY }),
  });
}
