// A modal panel on the native <dialog>: focus moves in and is kept there, Escape and the close button
// (or a click on the backdrop) close it, and focus returns to what opened it.
import { h } from "./dom.js";

let counter = 0;

/**
 * openDialog({title, content, className, onClose}) → {dialog, body, setTitle, setContent, close}.
 * The heading takes the focus, so a screen reader starts with what the panel is about.
 */
export function openDialog({ title, content = null, className = "", onClose = () => {} }) {
  counter += 1;
  const titleId = `dialog-title-${counter}`;
  const heading = h("h2", { id: titleId, class: "dialog-title", tabindex: "-1" }, title);
  const closeButton = h("button", { type: "button", class: "btn btn-ghost btn-sm dialog-close", "aria-label": "Close" }, "✕");
  const body = h("div", { class: "dialog-body" }, content);
  const panel = h("div", { class: "dialog-panel" }, h("div", { class: "dialog-head" }, heading, closeButton), body);
  const dialog = h("dialog", { class: ["dialog", className], "aria-labelledby": titleId }, panel);
  const opener = document.activeElement;

  closeButton.addEventListener("click", () => dialog.close());
  // A click outside the panel lands on the <dialog> itself (its backdrop): close.
  dialog.addEventListener("mousedown", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
    onClose(); // after focus is back, so a panel opened from here returns to the same place
  });

  document.body.append(dialog);
  dialog.showModal();
  heading.focus();

  return {
    dialog,
    body,
    setTitle: (text) => {
      heading.textContent = text;
    },
    setContent: (...nodes) => body.replaceChildren(...nodes.flat().filter(Boolean)),
    focusTitle: () => heading.focus(),
    close: () => dialog.open && dialog.close(),
  };
}

/** Close every open dialog (the route changed under it). */
export function closeAllDialogs(root = document) {
  for (const dialog of root.querySelectorAll("dialog[open]")) dialog.close();
}
