// What the customer's pages (the booking page and the manage link) share: the two-week window, the
// business's cut-offs in words, and a page-level problem panel.
import { h, icon, ICONS } from "../dom.js";
import { formatMinutes } from "../format.js";

/** Days of free times shown at once. */
export const WINDOW_DAYS = 14;

/** A page-level message in the card (not found, could not load). */
export function problemPanel(title, text, actions = []) {
  return h("div", { class: "result result-error" },
    h("span", { class: "result-icon", "aria-hidden": "true" }, icon(ICONS.alert, { size: 28 })),
    h("h1", { tabindex: "-1" }, title),
    h("p", null, text),
    actions.length ? h("div", { class: "result-actions" }, actions) : null);
}

/** What the customer may do online after booking, from the policy's cut-offs. */
export function policyWords(policy) {
  const cancel = policy && policy.cancel_cutoff_min;
  const move = policy && policy.reschedule_cutoff_min;
  if (cancel === undefined && move === undefined) return "";
  if (cancel === move) return `You can cancel or change it online until ${cutoffWords(cancel)}.`;
  return [cancel !== undefined ? `You can cancel online until ${cutoffWords(cancel)}.` : "",
    move !== undefined ? `You can change the time online until ${cutoffWords(move)}.` : ""].filter(Boolean).join(" ");
}

/** "Cancel online until 24 hours before" from the policy's minutes. */
export function cutoffWords(minutes) {
  return Number(minutes) > 0 ? `${formatMinutes(minutes)} before the appointment` : "the appointment starts";
}
