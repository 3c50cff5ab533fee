// One staff member: profile, photo, schedule and time off. Every key starts with "staff", so a change
// invalidates the list and the member's pages at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";
import { imageProblem, uploadImage } from "../../../lib/upload";

export const staffMemberKey = (staffId: string) => ["staff", "member", staffId] as const;
export const scheduleKey = (staffId: string) => ["staff", "schedule", staffId] as const;
export const timeOffKey = (staffId: string) => ["staff", "time-off", staffId] as const;

export function useStaffMember(staffId: string) {
  const api = useApi();
  return useQuery({
    queryKey: staffMemberKey(staffId),
    queryFn: () => unwrap(api.client.GET("/staff/{staff_id}", { params: { path: { staff_id: staffId } } })),
  });
}

export function useSchedule(staffId: string) {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKey(staffId),
    queryFn: () => unwrap(api.client.GET("/staff/{staff_id}/schedule", { params: { path: { staff_id: staffId }, query: {} } })),
  });
}

export function useTimeOff(staffId: string) {
  const api = useApi();
  return useQuery({
    queryKey: timeOffKey(staffId),
    queryFn: () =>
      allPages((cursor) =>
        unwrap(api.client.GET("/staff/{staff_id}/time-off", { params: { path: { staff_id: staffId }, query: { limit: 200, cursor } } })),
      ),
  });
}

function useInvalidateStaff() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["staff"] });
}

export function useCreateStaff() {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: (body: Schemas["StaffNew"]) => unwrap(api.client.POST("/staff", { body })),
    onSuccess: invalidate,
  });
}

export function useUpdateStaff(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: (body: Schemas["StaffUpdate"]) =>
      unwrap(api.client.PATCH("/staff/{staff_id}", { params: { path: { staff_id: staffId } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeactivateStaff(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: () => unwrap(api.client.DELETE("/staff/{staff_id}", { params: { path: { staff_id: staffId } } })),
    onSuccess: invalidate,
  });
}

export function useReplaceSchedule(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: (body: Schemas["StaffSchedule"]) =>
      unwrap(api.client.PUT("/staff/{staff_id}/schedule", { params: { path: { staff_id: staffId } }, body })),
    onSuccess: invalidate,
  });
}

export function useAddTimeOff(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: (body: Schemas["TimeOffNew"]) =>
      unwrap(api.client.POST("/staff/{staff_id}/time-off", { params: { path: { staff_id: staffId } }, body })),
    onSuccess: invalidate,
  });
}

export function useRemoveTimeOff(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: (timeOffId: string) =>
      unwrap(
        api.client.DELETE("/staff/{staff_id}/time-off/{time_off_id}", { params: { path: { staff_id: staffId, time_off_id: timeOffId } } }),
      ),
    onSuccess: invalidate,
  });
}

/** Why a file cannot be a staff photo, or null when it can. */
export const photoProblem = (file: File) => imageProblem(file, "photo");

/** Upload a photo (see lib/upload.ts); the profile already points at the new key. */
export function useUploadPhoto(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: (file: File) =>
      uploadImage(file, "photo", (content_type) =>
        unwrap(api.client.POST("/staff/{staff_id}/photo", { params: { path: { staff_id: staffId } }, body: { content_type } })),
      ),
    onSuccess: invalidate,
  });
}
