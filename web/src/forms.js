// Form building blocks: labelled fields with hints and error slots, an aria-live alert per form, and
// one submit handler that shows our API's errors where they belong (422 reasons next to their inputs).
import { ApiError } from "./api.js";
import { h, clear, icon, ICONS } from "./dom.js";
import { humanizeReason } from "./format.js";

export function fieldId(name) {
  return `f-${String(name).replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

/**
 * A labelled control. `name` is the API's field path ("booking_policy.slot_interval_min"), so a 422's
 * details.fields find their input by it.
 * type: any <input> type, "select" (with options [{value, label}]), "textarea" or "checkbox".
 */
export function field({
  label, name, type = "text", value, hint, required = false, autocomplete, options = [], attrs = {},
  suffix, srSuffix, optional = false,
}) {
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  const common = { id, name, required, "aria-describedby": describedBy, ...attrs };
  let control;
  if (type === "select") {
    control = h("select", common,
      options.map((o) => h("option", { value: o.value, selected: String(o.value) === String(value ?? "") }, o.label)));
  } else if (type === "textarea") {
    control = h("textarea", { ...common, rows: attrs.rows || 3 });
    control.value = value ?? "";
  } else if (type === "checkbox") {
    control = h("input", { ...common, type: "checkbox", checked: Boolean(value) });
    return h("div", { class: "field field-check", "data-field": name },
      h("div", { class: "check-row" }, control, h("label", { for: id }, label)),
      hint ? h("p", { class: "hint", id: hintId }, hint) : null,
      h("p", { class: "field-error", id: errorId, hidden: true }));
  } else {
    control = h("input", { ...common, type, value: value ?? "", autocomplete });
  }
  const labelEl = h("label", { for: id }, label,
    srSuffix ? h("span", { class: "sr-only" }, ` (${srSuffix})`) : null,
    optional ? h("span", { class: "optional" }, " (optional)") : null);
  const body = suffix
    ? h("div", { class: "input-group" }, control, h("span", { class: "input-suffix", "aria-hidden": "true" }, suffix))
    : control;
  return h("div", { class: "field", "data-field": name },
    labelEl,
    body,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errorId, hidden: true }));
}

/** A password input with a show/hide button. */
export function passwordField({ label = "Password", name = "password", autocomplete = "current-password", hint, required = true }) {
  const wrapper = field({ label, name, type: "password", autocomplete, hint, required,
    attrs: { spellcheck: "false", autocapitalize: "none" } });
  const input = wrapper.querySelector("input");
  const toggle = h("button", {
    type: "button", class: "input-toggle", "aria-pressed": "false", "aria-controls": input.id,
    "aria-label": "Show password",
    onClick: () => {
      const show = input.type === "password";
      input.type = show ? "text" : "password";
      toggle.setAttribute("aria-pressed", String(show));
      toggle.setAttribute("aria-label", show ? "Hide password" : "Show password");
      toggle.textContent = show ? "Hide" : "Show";
    },
  }, "Show");
  const group = h("div", { class: "input-group" });
  input.replaceWith(group);
  group.append(input, toggle);
  return wrapper;
}

/** The form's message area: announced by screen readers when it fills. */
export function formAlert() {
  return h("div", { class: "form-alert", "aria-live": "assertive", "aria-atomic": "true" });
}

/** Show (or with null, clear) a message in an alert region. tone: "error" | "success" | "info" | "warning". */
export function setAlert(region, message, { tone = "error", items = [], actions = [] } = {}) {
  clear(region);
  if (!message) return;
  const glyph = { error: ICONS.alert, warning: ICONS.alert, success: ICONS.check, info: ICONS.mail }[tone];
  region.append(h("div", { class: `alert alert-${tone}` },
    icon(glyph, { size: 18, className: "alert-icon" }),
    h("div", { class: "alert-body" },
      h("p", null, message),
      items.length ? h("ul", null, items.map((item) => h("li", null, item))) : null,
      actions.length ? h("div", { class: "alert-actions" }, actions) : null)));
}

export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const p of form.querySelectorAll(".field-error")) {
    p.textContent = "";
    p.hidden = true;
  }
  for (const f of form.querySelectorAll(".field.has-error")) f.classList.remove("has-error");
}

export function setFieldError(form, name, message) {
  const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (!control) return false;
  const wrapper = control.closest(".field");
  const error = wrapper && wrapper.querySelector(".field-error");
  control.setAttribute("aria-invalid", "true");
  if (wrapper) wrapper.classList.add("has-error");
  if (error) {
    error.textContent = message;
    error.hidden = false;
  }
  return true;
}

/** Put each 422 reason under its input; answer the ones that matched no input ([path, reason]). */
export function showFieldErrors(form, fields) {
  const unmatched = [];
  for (const [name, reason] of Object.entries(fields || {})) {
    if (!setFieldError(form, name, humanizeReason(reason))) unmatched.push([name, humanizeReason(reason)]);
  }
  const first = form.querySelector("[aria-invalid='true']");
  if (first) first.focus();
  return unmatched;
}

/** Show an error from the API (or anything thrown) in the form: field reasons inline, the rest in the alert. */
export function showError(form, region, err) {
  if (err instanceof ApiError && err.kind === "session_expired") return; // the app goes to /login
  if (!(err instanceof ApiError)) {
    console.error(err);
    setAlert(region, "Something unexpected happened. Please reload the page and try again.");
    return;
  }
  if (err.status === 422 && Object.keys(err.fields).length) {
    const unmatched = showFieldErrors(form, err.fields);
    setAlert(region, "Please correct the highlighted fields.",
      { items: unmatched.map(([name, reason]) => `${name === "body" ? "" : `${name}: `}${reason}`) });
    return;
  }
  setAlert(region, err.message);
}

/** What the browser can tell before asking the API (all at once: the API names one field per answer). */
export function clientErrors(form) {
  const problems = [];
  for (const el of form.querySelectorAll("input, select, textarea")) {
    if (el.disabled || !el.name || el.type === "hidden" || el.closest("fieldset:disabled")) continue;
    const v = el.validity;
    let message = null;
    if (el.required && !String(el.value).trim()) message = "This field is required.";
    else if (v.badInput || v.stepMismatch) message = "Enter a whole number.";
    else if (v.typeMismatch && el.type === "email") message = "Enter an e-mail address like name@example.com.";
    else if (v.typeMismatch && el.type === "url") message = "Enter a full web address, starting with https://";
    else if (v.rangeUnderflow) message = `Enter a whole number of at least ${el.min}.`;
    else if (v.rangeOverflow) message = `Enter a whole number no greater than ${el.max}.`;
    else if (v.tooLong) message = `Use at most ${el.maxLength} characters.`;
    if (message) problems.push([el, message]);
  }
  return problems;
}

/**
 * Wire a form's submit: clears old errors, marks the button busy (and ignores double submits), runs
 * `action(formData)`, and shows any error. `action` may return false to keep the form as it is.
 */
export function onSubmit(form, region, action, { busyLabel = "Working…" } = {}) {
  form.noValidate = true; // our own messages, next to the inputs, for the browser's and the API's checks alike
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.busy) return;
    clearFieldErrors(form);
    setAlert(region, null);
    const problems = clientErrors(form);
    if (problems.length) {
      for (const [el, message] of problems) setFieldError(form, el.name, message);
      setAlert(region, problems.length > 1 ? "Please correct the highlighted fields." : null);
      problems[0][0].focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    const label = button ? button.textContent : "";
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.disabled = true;
      button.textContent = busyLabel;
    }
    try {
      await action(new FormData(form));
    } catch (err) {
      showError(form, region, err);
    } finally {
      delete form.dataset.busy;
      form.removeAttribute("aria-busy");
      if (button) {
        button.disabled = false;
        button.textContent = label;
      }
    }
  });
}
