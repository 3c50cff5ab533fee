// One staff member: profile, photo, schedule and time off. Every key starts with "staff", so a change
// invalidates the list and the member's pages at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { allPages } from "../../../lib/pages";

export const staffMemberKey = (staffId: string) => ["staff", "member", staffId] as const;
export const scheduleKey = (staffId: string) => ["staff", "schedule", staffId] as const;
export const timeOffKey = (staffId: string) => ["staff", "time-off", staffId] as const;

/** Photos the API accepts, and their largest size (the presigned form enforces it too). */
export const PHOTO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

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
export function photoProblem(file: File, maxBytes: number = PHOTO_MAX_BYTES): string | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > maxBytes) {
    const mib = (maxBytes / (1024 * 1024)).toFixed(0);
    return `This image is ${(file.size / (1024 * 1024)).toFixed(1)} MB; the largest allowed is ${mib} MB.`;
  }
  return null;
}

/**
 * Upload a photo: the API answers a presigned S3 POST (its url and fields), and the file goes there
 * directly as the form's last field, as S3 requires. The profile already points at the new key.
 */
export function useUploadPhoto(staffId: string) {
  const api = useApi();
  const invalidate = useInvalidateStaff();
  return useMutation({
    mutationFn: async (file: File) => {
      const problem = photoProblem(file);
      if (problem) throw new Error(problem);
      const form = await unwrap(
        api.client.POST("/staff/{staff_id}/photo", { params: { path: { staff_id: staffId } }, body: { content_type: file.type as PhotoType } }),
      );
      const tooBig = photoProblem(file, form.max_bytes);
      if (tooBig) throw new Error(tooBig);
      const data = new FormData();
      for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
      data.append("file", file);
      let response: Response;
      try {
        response = await fetch(form.url, { method: "POST", body: data });
      } catch {
        throw new Error("We couldn't reach the file storage. Check your connection and try again.");
      }
      if (!response.ok) throw new Error(`The photo was not accepted by the file storage (HTTP ${response.status}). Please try again.`);
      return form.key;
    },
    onSuccess: invalidate,
  });
}
