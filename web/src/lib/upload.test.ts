import { afterEach, vi } from "vitest";
import { ApiError, type Schemas } from "./api-client";
import { imageProblem, uploadImage } from "./upload";

const FORM: Schemas["UploadForm"] = {
  url: "https://media.example.test/",
  fields: { key: "businesses/b1/logo/new.png", policy: "p", "x-amz-signature": "s" },
  key: "businesses/b1/logo/new.png",
  max_bytes: 2 * 1024 * 1024,
  expires_in: 300,
};
const png = (bytes = 10) => new File([new Uint8Array(bytes)], "logo.png", { type: "image/png" });

afterEach(() => vi.restoreAllMocks());

test("checks the type and the size before asking for a form", () => {
  expect(imageProblem(png(), "logo")).toBeNull();
  expect(imageProblem(new File(["x"], "a.gif", { type: "image/gif" }), "logo")).toBe("Choose a PNG, JPEG or WebP image.");
  expect(imageProblem(png(3 * 1024 * 1024), "photo")).toBe("This image is 3.0 MB; the photo can be at most 2 MB.");
});

test("posts the form's fields, then the file last, and returns the key", async () => {
  const fetch = vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response(null, { status: 204 }));
  const presign = vi.fn().mockResolvedValue(FORM);
  await expect(uploadImage(png(), "logo", presign)).resolves.toBe(FORM.key);
  expect(presign).toHaveBeenCalledWith("image/png");
  const [url, init] = fetch.mock.calls[0]!;
  expect(url).toBe(FORM.url);
  const body = init?.body as FormData;
  expect([...body.keys()]).toEqual(["key", "policy", "x-amz-signature", "file"]);
});

test("refusals are ApiErrors with words to show", async () => {
  const presign = vi.fn().mockResolvedValue({ ...FORM, max_bytes: 5 });
  await expect(uploadImage(png(10), "logo", presign)).rejects.toMatchObject({ code: "file_too_large" });

  vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("<Error/>", { status: 403 }));
  const refused = uploadImage(png(), "logo", vi.fn().mockResolvedValue(FORM));
  await expect(refused).rejects.toBeInstanceOf(ApiError);
  await expect(refused).rejects.toMatchObject({ status: 403, message: "The upload was refused (HTTP 403). Please try again." });

  vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("Failed to fetch"));
  await expect(uploadImage(png(), "logo", vi.fn().mockResolvedValue(FORM))).rejects.toMatchObject({ kind: "network" });

  const never = vi.fn();
  await expect(uploadImage(new File(["x"], "a.gif", { type: "image/gif" }), "logo", never)).rejects.toMatchObject({ code: "invalid_file" });
  expect(never).not.toHaveBeenCalled();
});
