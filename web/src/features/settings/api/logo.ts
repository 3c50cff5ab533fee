// The business's logo: POST /business/logo gives a presigned S3 POST (and points the profile at its
// key); lib/upload.ts sends the file there.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { imageProblem, uploadImage } from "../../../lib/upload";

/** Why this file can't be a logo, or null when it can. */
export const logoProblem = (file: File) => imageProblem(file, "logo");

export function useUploadLogo() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) =>
      uploadImage(file, "logo", (content_type) => unwrap(api.client.POST("/business/logo", { body: { content_type } }))),
    onSettled: () => {
      // The profile points at the new key from the moment the form was issued.
      void queryClient.invalidateQueries({ queryKey: ["business"] });
      void queryClient.invalidateQueries({ queryKey: ["me"] });
    },
  });
}
