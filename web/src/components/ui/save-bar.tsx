// The bar pinned under a long form: its submit button and, where the form can be reset, whether there
// are unsaved changes and a way to discard them.
import { Button } from "./button";

export function SaveBar({
  busy,
  label = "Save changes",
  dirty = false,
  onDiscard,
}: {
  busy: boolean;
  label?: string;
  dirty?: boolean;
  /** Given: the bar says when there are unsaved changes and offers to discard them. */
  onDiscard?: () => void;
}) {
  return (
    <div className="save-bar">
      <div className="save-bar-inner">
        {onDiscard && (
          <>
            <span className="save-status" aria-live="polite">
              {dirty ? "Unsaved changes" : ""}
            </span>
            <Button variant="ghost" onClick={onDiscard} disabled={!dirty || busy}>
              Discard
            </Button>
          </>
        )}
        <Button type="submit" variant="primary" busy={busy}>
          {label}
        </Button>
      </div>
    </div>
  );
}
