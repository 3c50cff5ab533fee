// The profile photo: checked here (type, size) before asking for the upload form, then sent straight
// to storage; customers see it on the booking page.
import { useRef, useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { useToast } from "../../../components/ui/toast";
import { useMediaUrl } from "../../../lib/config";
import type { StaffMember } from "../api/staff";
import { IMAGE_TYPES } from "../../../lib/upload";
import { photoProblem, useUploadPhoto } from "../api/staff-member";

export function StaffPhoto({ member }: { member: StaffMember }) {
  const url = useMediaUrl(member.photo_key);
  const upload = useUploadPhoto(member.id);
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = (file: File | undefined) => {
    if (!file) return;
    const local = photoProblem(file);
    setProblem(local);
    if (local) return;
    upload.mutate(file, {
      onSuccess: () => toast("Photo updated."),
      onError: (error) => setProblem(error.message),
      onSettled: () => {
        if (input.current) input.current.value = "";
      },
    });
  };

  return (
    <section className="card staff-section" aria-labelledby="photo-title">
      <h2 className="card-title" id="photo-title">
        Photo
      </h2>
      <div className="staff-person">
        {url ? <img className="staff-photo staff-photo-lg" src={url} alt={`Photo of ${member.name}`} /> : <p className="muted">No photo yet.</p>}
        <div className="field">
          <label className="field-label" htmlFor="staff-photo-file">
            {url ? "Replace the photo" : "Upload a photo"}
          </label>
          <input
            ref={input}
            id="staff-photo-file"
            type="file"
            accept={IMAGE_TYPES.join(",")}
            aria-describedby="staff-photo-hint"
            aria-invalid={problem ? true : undefined}
            disabled={upload.isPending}
            onChange={(e) => choose(e.target.files?.[0])}
          />
          <p className="hint" id="staff-photo-hint">
            PNG, JPEG or WebP, up to 2 MB. {upload.isPending && "Uploading…"}
          </p>
        </div>
      </div>
      {problem && <Alert tone="error">{problem}</Alert>}
    </section>
  );
}
