// The business's logo: POST /business/logo gives a presigned S3 POST (and points the profile at its
// key); the file then goes straight to S3 as a multipart form, never through the API.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Schemas } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";

export const LOGO_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type LogoType = Schemas["LogoUpload"]["content_type"];
export const LOGO_MAX_BYTES = 2 * 1024 * 1024;

function isLogoType(type: string): type is LogoType {
  return (LOGO_TYPES as readonly string[]).includes(type);
}

/** Why this file can't be a logo, or null when it can. */
export function logoProblem(file: File): string | null {
  if (!isLogoType(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > LOGO_MAX_BYTES) return `This image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the logo can be at most 2 MB.`;
  return null;
}

/** Send `file` with the presigned form's fields (S3 wants the file last). */
export async function postToS3(form: Schemas["UploadForm"], file: File): Promise<void> {
  const data = new FormData();
  for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
  data.append("file", file);
  let response: Response;
  try {
    response = await fetch(form.url, { method: "POST", body: data });
  } catch {
    throw new Error("We couldn't reach the file storage. Check your connection and try again.");
  }
  if (!response.ok) throw new Error(`The upload was refused (HTTP ${response.status}). Please try again.`);
}

export function useUploadLogo() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const problem = logoProblem(file);
      if (problem) throw new Error(problem);
      const form = await unwrap(api.client.POST("/business/logo", { body: { content_type: file.type as LogoType } }));
      if (file.size > form.max_bytes) throw new Error("This image is larger than the logo may be.");
      await postToS3(form, file);
      return form.key;
    },
    onSettled: () => {
      // The profile points at the new key from the moment the form was issued.
      void queryClient.invalidateQueries({ queryKey: ["business"] });
      void queryClient.invalidateQueries({ queryKey: ["me"] });
    },
  });
}
