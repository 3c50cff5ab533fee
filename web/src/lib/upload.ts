// Images (the business's logo, staff photos) go straight to S3: the API answers a presigned POST
// (url, fields, key, max_bytes) and the file is posted there as the form's last field, as S3
// requires, never through the API. Every failure is an ApiError, so screens show `.message` as they
// do for the API's own refusals.
import { ApiError, type Schemas } from "./api-client";

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const IMAGE_MAX_BYTES = 2 * 1024 * 1024;

const megabytes = (bytes: number) => bytes / (1024 * 1024);

/** Why `file` can't be uploaded as the `what` ("logo", "photo"), or null when it can. */
export function imageProblem(file: File, what: string, maxBytes: number = IMAGE_MAX_BYTES): string | null {
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > maxBytes) {
    return `This image is ${megabytes(file.size).toFixed(1)} MB; the ${what} can be at most ${megabytes(maxBytes).toFixed(0)} MB.`;
  }
  return null;
}

function refuse(message: string, code: string, status = 0, kind: "http" | "network" = "http"): never {
  throw new ApiError(message, { status, code, kind });
}

/**
 * Check `file`, ask the API for the upload form (`presign`, given the file's type), check the size
 * the form allows, then post the form's fields and the file. Returns the key the file is stored under.
 */
export async function uploadImage(
  file: File,
  what: string,
  presign: (contentType: ImageType) => Promise<Schemas["UploadForm"]>,
): Promise<string> {
  const problem = imageProblem(file, what);
  if (problem) refuse(problem, "invalid_file");
  const form = await presign(file.type as ImageType);
  const tooBig = imageProblem(file, what, form.max_bytes);
  if (tooBig) refuse(tooBig, "file_too_large");
  const data = new FormData();
  for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
  data.append("file", file);
  let response: Response;
  try {
    response = await fetch(form.url, { method: "POST", body: data });
  } catch {
    return refuse("We couldn't reach the file storage. Check your connection and try again.", "network_error", 0, "network");
  }
  if (!response.ok) refuse(`The upload was refused (HTTP ${response.status}). Please try again.`, "upload_refused", response.status);
  return form.key;
}
