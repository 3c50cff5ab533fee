// The logo customers see on the booking page: a preview, and a file picker that checks the type and
// size here before asking for an upload form.
import { useRef, useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { useToast } from "../../../components/ui/toast";
import { useMediaUrl } from "../../../lib/config";
import type { Business } from "../api/business";
import { IMAGE_TYPES } from "../../../lib/upload";
import { logoProblem, useUploadLogo } from "../api/logo";

export function LogoUpload({ business, readOnly }: { business: Business; readOnly: boolean }) {
  const url = useMediaUrl(business.logo_key);
  const input = useRef<HTMLInputElement>(null);
  const upload = useUploadLogo();
  const toast = useToast();
  const [problem, setProblem] = useState<string | null>(null);
  const [broken, setBroken] = useState<string | null>(null);

  const choose = (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    const wrong = logoProblem(file);
    if (wrong) {
      setProblem(wrong);
      return;
    }
    upload.mutate(file, {
      onSuccess: () => toast("Logo uploaded."),
      onError: (error) => setProblem(error.message),
      onSettled: () => {
        if (input.current) input.current.value = "";
      },
    });
  };

  const showImage = url !== null && broken !== url;
  return (
    <section className="card logo-card" aria-labelledby="logo-title">
      <div className="logo-preview">
        {showImage ? (
          <img src={url} alt={`${business.name}'s logo`} onError={() => setBroken(url)} />
        ) : (
          <span className="logo-empty muted">{url ? "The logo can't be shown right now." : "No logo yet"}</span>
        )}
      </div>
      <div className="logo-text">
        <h2 id="logo-title" className="card-title">
          Logo
        </h2>
        <p className="muted">Shown at the top of your booking page. A PNG, JPEG or WebP image of up to 2 MB; a square one looks best.</p>
        {problem && <Alert tone="error">{problem}</Alert>}
        {!readOnly && (
          <div className="placeholder-actions">
            <input
              ref={input}
              id="logo-file"
              className="sr-only"
              tabIndex={-1}
              type="file"
              accept={IMAGE_TYPES.join(",")}
              aria-label={business.logo_key ? "Replace the logo" : "Upload a logo"}
              onChange={(e) => choose(e.target.files?.[0])}
            />
            <Button variant="secondary" busy={upload.isPending} onClick={() => input.current?.click()}>
              {upload.isPending ? "Uploading…" : business.logo_key ? "Replace the logo" : "Upload a logo"}
            </Button>
          </div>
        )}
      </div>
    </section>
  );
}
