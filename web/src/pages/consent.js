// "/confirm-consent?token=…": the customer's e-mailed link confirming the marketing consent they asked
// for on a booking page (double opt-in). The page asks for a click rather than confirming on load: mail
// scanners open links, and only the person who owns the address may say yes.
import { h, icon, ICONS } from "../dom.js";
import { problemPanel } from "./customer.js";

function done(title, text) {
  return h("div", { class: "result result-success" },
    h("span", { class: "result-icon", "aria-hidden": "true" }, icon(ICONS.check, { size: 28 })),
    h("h1", { tabindex: "-1" }, title),
    h("p", null, text));
}

/** What the page says for the API's answer to the confirmation (null: it worked). */
export function consentOutcome(err) {
  if (!err) {
    return { ok: true, title: "You're subscribed", text: "Thank you! You'll receive news and offers by e-mail. You can ask the business to stop them at any time." };
  }
  if (err.status === 404) {
    return { ok: false, title: "This link has expired or was already used",
      text: "Nothing was changed. You can ask again the next time you book." };
  }
  return { ok: false, title: "We couldn't confirm your subscription", text: err.message };
}

export function consentPage(ctx) {
  const token = ctx.query.get("token");
  if (!token) {
    return problemPanel("This link is incomplete",
      "The link is missing its code. Open it again from the e-mail, copying the whole address.");
  }
  const button = h("button", { type: "button", class: "btn btn-primary btn-block" }, "Yes, send me news and offers");
  const container = h("div", { class: "page-auth", "aria-live": "polite" },
    h("h1", { tabindex: "-1" }, "Confirm your subscription"),
    h("p", null, "You asked to receive news and offers by e-mail when you booked. Confirm it here; if it wasn't you, close this page and nothing changes."),
    button);
  button.addEventListener("click", async () => {
    button.disabled = true;
    let error = null;
    try {
      await ctx.api.confirmConsent(token);
    } catch (err) {
      error = err;
    }
    const outcome = consentOutcome(error);
    const panel = outcome.ok ? done(outcome.title, outcome.text) : problemPanel(outcome.title, outcome.text);
    container.replaceChildren(panel);
    panel.querySelector("h1").focus();
  });
  return container;
}
