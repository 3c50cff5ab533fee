import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal on the native <dialog>: focus is trapped and Escape closes it, by the browser. Rendered
 * only while open, so its form starts fresh each time.
 */
export function Dialog({ open, title, onClose, children, wide = false }: { open: boolean; title: ReactNode; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    // jsdom has no showModal; the dialog is still shown by its `open` attribute there.
    if (typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
    else dialog.setAttribute("open", "");
    return () => {
      if (typeof dialog.close === "function" && dialog.open) dialog.close();
    };
  }, [open]);
  if (!open) return null;
  return (
    <dialog ref={ref} className={`dialog${wide ? " dialog-wide" : ""}`} aria-label={typeof title === "string" ? title : undefined} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="dialog-panel">
        <div className="dialog-head">
          <h2 className="dialog-title">{title}</h2>
          <button type="button" className="dialog-close" aria-label="Close" onClick={onClose}>
            ×
          </button>
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </dialog>
  );
}
