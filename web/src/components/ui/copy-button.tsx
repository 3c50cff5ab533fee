import { useEffect, useRef, useState } from "react";
import { Button, type ButtonProps } from "./button";

type State = "idle" | "copied" | "failed";

/**
 * Copies `text` to the clipboard and says "Copied" for a moment. Where the browser refuses (no
 * clipboard API outside https, or permission denied) it says how to copy by hand instead.
 */
export function CopyButton({ text, label = "Copy", onCopied, ...rest }: { text: string; label?: string; onCopied?: () => void } & Omit<ButtonProps, "onClick" | "children">) {
  const [state, setState] = useState<State>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const copy = async () => {
    if (timer.current) clearTimeout(timer.current);
    try {
      if (!globalThis.navigator?.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setState("copied");
      onCopied?.();
      timer.current = setTimeout(() => setState("idle"), 2500);
    } catch {
      setState("failed");
    }
  };

  return (
    <span className="copy-button">
      <Button {...rest} onClick={() => void copy()}>
        {state === "copied" ? "Copied" : label}
      </Button>
      <span className="copy-status" role="status">
        {state === "copied" && <span className="sr-only">Copied to the clipboard.</span>}
        {state === "failed" && <span className="hint">Your browser didn't let us copy. Select the text and press Ctrl+C (⌘C on a Mac).</span>}
      </span>
    </span>
  );
}
