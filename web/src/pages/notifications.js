// "/settings/notifications": how the business talks to its customers. Channels (e-mail, WhatsApp with
// its write-only access token), reminder offsets and sender details (PUT /notifications/settings: only
// what changed, with the version it was read at); the wording of each message on each channel (a
// dialog per template: e-mail subject and body with placeholder chips, WhatsApp template name,
// language and variables; save or go back to the default); and the delivery log, a page at a time.
// Everyone on the team can look; admins and owners change things, and only what the plan includes.
import { ApiError } from "../api.js";
import { openDialog } from "../dialog.js";
import { h, icon, ICONS } from "../dom.js";
import { field, formAlert, onSubmit, passwordField, setAlert, setFieldError } from "../forms.js";
import { formatDate, roleAtLeast } from "../format.js";
import {
  addOffset, audienceLabel, channelLabel, createLogPager, deliveryStatus, describeOffsets, explainError, fillTemplate,
  formatOffset, formatProblems, insertPlaceholder, MAX_OFFSETS, MAX_WHATSAPP_VARIABLES, messageDescription, messageLabel, OFFSET_PRESETS, OFFSET_UNITS,
  parseOffset, placeholderHint, readSettingsForm, removeOffset, sameOffsets, settingsChanges, settingsValues, templateRows,
} from "../notifications.js";
import { addDays, formatDateTime, todayIn, zonedTimeToInstant } from "../zoned.js";

function loadingBox(label) {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), label);
}

function retryButton(onClick, label = "Try again") {
  return h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick }, label);
}

function section(title, description, ...fields) {
  const id = `s-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return h("section", { class: "card form-section", "aria-labelledby": id },
    h("div", { class: "form-section-intro" },
      h("h2", { id }, title),
      h("p", { class: "muted" }, description)),
    h("div", { class: "form-section-fields" }, fields));
}

/** Show an error of this page in `region` (field reasons next to their inputs); answers what it was. */
function showProblem(form, region, err, { what, reload } = {}) {
  const problem = explainError(err, { what });
  if (problem.kind === "session") return problem;
  if (!(err instanceof ApiError)) console.error(err);
  const unmatched = [];
  for (const [name, reason] of Object.entries(problem.fields)) {
    if (!form || !setFieldError(form, name, reason)) unmatched.push(reason);
  }
  const actions = problem.kind === "stale" && reload
    ? [h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: reload },
      icon(ICONS.refresh, { size: 16 }), h("span", null, "Reload"))]
    : [];
  setAlert(region, problem.message, { tone: problem.tone, items: unmatched, actions });
  const first = form && form.querySelector("[aria-invalid='true']:not([type=hidden])");
  if (first) first.focus();
  else region.scrollIntoView({ block: "center", behavior: "smooth" });
  return problem;
}

// --- the reminders editor -----------------------------------------------------------------------------

/**
 * The list of reminder offsets with add/remove and presets. Lives inside the settings form as one
 * `.field` named reminder_offsets_min (a hidden input), so the API's reasons land under it.
 */
function remindersEditor(initial, { readOnly, onChange }) {
  let offsets = [...initial];
  const list = h("ul", { class: "chip-list", "aria-labelledby": "rem-label" });
  const summary = h("p", { class: "hint", id: "rem-summary", "aria-live": "polite" });
  const amount = h("input", { type: "text", id: "rem-amount", class: "input-sm offset-amount", inputmode: "decimal",
    autocomplete: "off", "aria-describedby": "rem-summary f-reminder_offsets_min-error", placeholder: "2" });
  const unit = h("select", { id: "rem-unit", class: "select-sm", "aria-label": "Unit" },
    OFFSET_UNITS.map((u) => h("option", { value: u.value, selected: u.value === "hours" }, u.label)));
  const addButton = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: add },
    icon(ICONS.plus, { size: 16 }), h("span", null, "Add reminder"));
  const error = h("p", { class: "field-error", id: "f-reminder_offsets_min-error", hidden: true });
  const hidden = h("input", { type: "hidden", name: "reminder_offsets_min" });
  const wrapper = h("div", { class: "field", "data-field": "reminder_offsets_min" });

  function say(message) {
    error.textContent = message || "";
    error.hidden = !message;
    wrapper.classList.toggle("has-error", Boolean(message));
    if (message) amount.setAttribute("aria-invalid", "true");
    else amount.removeAttribute("aria-invalid");
  }

  function set(next, { announce } = {}) {
    offsets = next;
    draw();
    onChange();
    if (announce) summary.textContent = `${announce} ${summaryText()}`;
  }

  function summaryText() {
    return offsets.length ? `Reminders go ${describeOffsets(offsets)} the appointment.`
      : "No reminders: customers get the confirmation only.";
  }

  function add() {
    const parsed = parseOffset(amount.value, unit.value);
    const result = parsed.error ? parsed : addOffset(offsets, parsed.minutes);
    if (result.error) {
      say(result.error);
      amount.focus();
      return;
    }
    say(null);
    amount.value = "";
    set(result.offsets, { announce: `Added a reminder ${formatOffset(parsed.minutes)}.` });
    amount.focus();
  }

  function draw() {
    list.replaceChildren(...offsets.map((minutes) => h("li", { class: "chip offset-chip" },
      icon(ICONS.clock, { size: 14 }),
      h("span", null, formatOffset(minutes)),
      readOnly ? null : h("button", {
        type: "button", class: "chip-remove", "aria-label": `Remove the reminder ${formatOffset(minutes)}`,
        onClick: () => {
          say(null);
          set(removeOffset(offsets, minutes), { announce: `Removed the reminder ${formatOffset(minutes)}.` });
          (list.querySelector(".chip-remove") || amount).focus();
        },
      }, "✕"))));
    list.hidden = offsets.length === 0;
    if (!summary.textContent || !offsets.length) summary.textContent = summaryText();
    const full = offsets.length >= MAX_OFFSETS;
    addButton.disabled = readOnly || full;
    amount.disabled = readOnly || full;
    unit.disabled = readOnly || full;
    amount.placeholder = full ? "—" : "2";
    for (const button of presets.querySelectorAll("button")) {
      button.setAttribute("aria-pressed", String(sameOffsets(JSON.parse(button.dataset.offsets), offsets)));
    }
  }

  amount.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { // adds the reminder rather than submitting the whole form
      event.preventDefault();
      add();
    }
  });
  amount.addEventListener("input", () => say(null));

  const presets = h("div", { class: "presets", role: "group", "aria-label": "Presets" },
    h("span", { class: "presets-label" }, "Presets:"),
    OFFSET_PRESETS.map((preset) => h("button", {
      type: "button", class: "preset", "data-offsets": JSON.stringify(preset), disabled: readOnly,
      onClick: () => {
        say(null);
        set([...preset], { announce: "Preset applied." });
      },
    }, describeOffsets(preset))));

  wrapper.append(
    h("span", { class: "field-label", id: "rem-label" }, "Reminders"),
    list,
    summary,
    readOnly ? null : h("div", { class: "offset-add" },
      h("label", { for: "rem-amount", class: "sr-only" }, "How long before the appointment"),
      amount, unit, h("span", { class: "muted offset-before", "aria-hidden": "true" }, "before"), addButton),
    error,
    readOnly ? null : presets,
    hidden);
  draw();
  return { element: wrapper, value: () => offsets, clearError: () => say(null) };
}

// --- the settings form ----------------------------------------------------------------------------------

function settingsForm(ctx, settings, { readOnly, whatsappAllowed, alert, onSaved, reload }) {
  const original = settingsValues(settings);
  const status = h("span", { class: "save-status", "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "btn btn-primary" }, "Save changes");
  const discard = h("button", { type: "button", class: "btn btn-ghost", onClick: () => onSaved(settings, { quiet: true }) }, "Discard");

  const emailField = field({ label: "Send e-mails", name: "email_enabled", type: "checkbox", value: original.email_enabled,
    hint: "Confirmations, changes and reminders to customers who gave an e-mail address, and new bookings to staff." });

  const whatsappToggle = field({ label: "Send WhatsApp messages", name: "whatsapp_enabled", type: "checkbox",
    value: original.whatsapp_enabled,
    hint: whatsappAllowed
      ? "To customers who gave a mobile number. If a WhatsApp message fails, an e-mail goes instead."
      : "Not included in your plan." });
  if (!whatsappAllowed) whatsappToggle.querySelector("input").disabled = true;

  const phoneField = field({ label: "Phone number ID", name: "whatsapp_phone_number_id", value: original.whatsapp_phone_number_id,
    hint: "From WhatsApp Manager in your Meta Business account: the ID of the sending number (digits only), not the number itself.",
    optional: !original.whatsapp_enabled,
    attrs: { inputmode: "numeric", autocomplete: "off", spellcheck: "false", maxlength: "32", placeholder: "104857362910384" } });

  const tokenSet = Boolean(settings.whatsapp_access_token_set);
  const tokenField = passwordField({ label: "Access token", name: "whatsapp_access_token", autocomplete: "off", required: false,
    hint: tokenSet
      ? "A token is stored and is never shown. Leave this empty to keep it, or paste a new one to replace it."
      : "A permanent token of your Meta app's system user. It is stored securely and never shown again." });
  const tokenInput = tokenField.querySelector("input");
  tokenInput.setAttribute("spellcheck", "false");
  tokenInput.setAttribute("autocapitalize", "none");
  if (tokenSet) tokenInput.placeholder = "Leave empty to keep the stored token";
  tokenField.querySelector("label").append(" ", tokenSet
    ? h("span", { class: "badge badge-success" }, icon(ICONS.check, { size: 12 }), h("span", null, "Token stored"))
    : h("span", { class: "badge badge-muted" }, "No token yet"));

  const reminders = remindersEditor(original.reminder_offsets_min, { readOnly, onChange: () => refreshDirty() });

  const fields = h("fieldset", { class: "stack-lg", disabled: readOnly },
    h("legend", { class: "sr-only" }, "Notification settings"),
    section("Channels", "How customers hear from you. Each message goes on every channel that is on and that the customer can receive.",
      h("div", { class: "channel-box" },
        h("h3", { class: "channel-head" }, "E-mail"),
        emailField),
      h("div", { class: "channel-box" },
        h("h3", { class: "channel-head" }, h("span", null, "WhatsApp"),
          whatsappAllowed ? null : h("span", { class: "badge badge-warning" }, "Not in your plan")),
        whatsappAllowed ? null : h("p", { class: "alert alert-warning" },
          icon(ICONS.star, { size: 16, className: "alert-icon" }),
          h("span", null, "Your plan does not include WhatsApp messages. Upgrade your plan to send them; you can enter the account details now.")),
        whatsappToggle,
        h("div", { class: "grid-2" }, phoneField, tokenField))),
    section("Reminders", "When customers are reminded of their appointment. Changing them applies to every upcoming booking.",
      reminders.element),
    section("Sender", "Who the e-mails say they are from, and where replies go.",
      h("div", { class: "grid-2" },
        field({ label: "Sender name", name: "sender_name", value: original.sender_name, optional: true,
          hint: `Empty: your business's name (${ctx.me.business.name}).`, attrs: { maxlength: "100" } }),
        field({ label: "Reply-to address", name: "reply_to", type: "email", value: original.reply_to, optional: true,
          hint: "Where customers' replies go. Empty: to the business's contact e-mail.",
          attrs: { autocapitalize: "none", spellcheck: "false", placeholder: "hello@example.com" } }))));

  const form = h("form", { class: "settings-form", "aria-label": "Notification settings" },
    fields,
    readOnly ? null : h("div", { class: "save-bar" }, h("div", { class: "save-bar-inner" }, status, discard, save)));

  // A disabled toggle is not in the form's data: it keeps its value rather than reading as "off".
  const read = (data) => ({ ...readSettingsForm(data, reminders.value()),
    ...(whatsappAllowed ? {} : { whatsapp_enabled: original.whatsapp_enabled }) });
  function refreshDirty() {
    const dirty = Object.keys(settingsChanges(original, read(new FormData(form)))).length > 0 || tokenInput.value.trim() !== "";
    status.textContent = dirty ? "Unsaved changes" : "";
    form.classList.toggle("is-dirty", dirty);
  }
  form.addEventListener("input", refreshDirty);
  form.addEventListener("change", refreshDirty);

  onSubmit(form, alert, async (data) => {
    reminders.clearError();
    const values = read(data);
    const token = tokenInput.value.trim();
    const problems = formatProblems({ ...values, whatsapp_access_token: token });
    if (Object.keys(problems).length) {
      for (const [name, reason] of Object.entries(problems)) setFieldError(form, name, reason);
      form.querySelector("[aria-invalid='true']").focus();
      return;
    }
    const changes = settingsChanges(original, values);
    if (token) changes.whatsapp_access_token = token;
    if (!Object.keys(changes).length) {
      ctx.toast("Nothing to save: no changes.", { tone: "info" });
      return;
    }
    let saved;
    try {
      saved = await ctx.api.updateNotificationSettings({ ...changes, version: settings.version });
    } catch (err) {
      const problem = showProblem(form, alert, err, { what: "These settings", reload });
      if (problem.kind === "plan" && problem.feature === "whatsapp") {
        setFieldError(form, "whatsapp_enabled", problem.message);
      }
      return;
    }
    onSaved(saved);
  }, { busyLabel: "Saving…" });

  return form;
}

// --- the template editor ----------------------------------------------------------------------------------

/** Example values for the preview: what a customer of this business might see. */
function sampleValues(ctx) {
  const tz = ctx.me.business.time_zone;
  const start = zonedTimeToInstant(addDays(todayIn(tz), 2), 10 * 60 + 30, tz); // the day after tomorrow, 10:30
  return {
    customer_name: "Alex Morgan",
    service: "Haircut",
    staff: ctx.me.user.name || "Sam",
    location: "Main studio",
    start_time: formatDateTime(start, tz, navigator.language, { weekday: "long", month: "long" }),
    manage_link: `${window.location.origin}/manage-booking?token=…`,
    business_name: ctx.me.business.name,
  };
}

function placeholderChips(placeholders, onPick, { disabled }) {
  return h("div", { class: "field" },
    h("span", { class: "field-label", id: "ph-label" }, "Placeholders"),
    h("p", { class: "hint" }, "Click one to insert it where the cursor is, in the subject or the body. It is replaced by the real value when the message is sent."),
    h("ul", { class: "chip-list", "aria-labelledby": "ph-label" }, placeholders.map((name) => h("li", null,
      h("button", {
        type: "button", class: "chip chip-button", title: placeholderHint(name), disabled,
        "aria-label": `Insert {${name}}: ${placeholderHint(name) || name}`,
        // keep the caret where it is: the field the user was typing in stays the target
        onMousedown: (event) => event.preventDefault(),
        onClick: () => onPick(name),
      }, `{${name}}`)))));
}

function emailFields(ctx, template, { readOnly }) {
  const content = template.content || {};
  const subject = field({ label: "Subject", name: "subject", value: content.subject, required: true,
    attrs: { maxlength: "200", spellcheck: "true" } });
  const body = field({ label: "Message", name: "body", type: "textarea", value: content.body, required: true,
    hint: "Plain text: blank lines start paragraphs and links become clickable in the e-mail.",
    attrs: { maxlength: "5000", rows: "12", spellcheck: "true" } });
  const subjectInput = subject.querySelector("input");
  const bodyInput = body.querySelector("textarea");
  let target = bodyInput;
  subjectInput.addEventListener("focus", () => { target = subjectInput; });
  bodyInput.addEventListener("focus", () => { target = bodyInput; });

  const values = sampleValues(ctx);
  const previewSubject = h("p", { class: "preview-subject" });
  const previewBody = h("div", { class: "preview-body" });
  const drawPreview = () => {
    previewSubject.textContent = fillTemplate(subjectInput.value, values);
    previewBody.textContent = fillTemplate(bodyInput.value, values);
  };
  for (const input of [subjectInput, bodyInput]) input.addEventListener("input", drawPreview);
  drawPreview();

  const chips = placeholderChips(template.placeholders || [], (name) => {
    const { text, caret } = insertPlaceholder(target.value, target.selectionStart, target.selectionEnd, name);
    target.value = text;
    target.focus();
    target.setSelectionRange(caret, caret);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }, { disabled: readOnly });

  return {
    elements: [subject, body, chips,
      h("details", { class: "preview" },
        h("summary", null, "Preview with example details"),
        h("div", { class: "preview-mail" }, previewSubject, previewBody))],
    content: () => ({ subject: subjectInput.value, body: bodyInput.value }),
  };
}

function whatsappFields(template, { readOnly }) {
  const content = template.content || {};
  const placeholders = template.placeholders || [];
  const parameters = [...(content.parameters || [])];
  const list = h("ol", { class: "param-list", "aria-labelledby": "param-label" });
  const addButton = h("button", {
    type: "button", class: "btn btn-secondary btn-sm",
    onClick: () => {
      parameters.push(placeholders[0]);
      draw();
      const selects = list.querySelectorAll("select");
      selects[selects.length - 1].focus();
    },
  }, icon(ICONS.plus, { size: 16 }), h("span", null, "Add variable"));

  function move(index, by) {
    const [item] = parameters.splice(index, 1);
    parameters.splice(index + by, 0, item);
    draw();
    const row = list.children[index + by];
    if (row) row.querySelector("select").focus();
  }

  function draw() {
    list.replaceChildren(...parameters.map((name, index) => {
      const variable = `{{${index + 1}}}`;
      const known = placeholders.includes(name) ? placeholders : [name, ...placeholders];
      return h("li", { class: "param-row" },
        h("span", { class: "param-var", "aria-hidden": "true" }, variable),
        h("select", {
          class: "select-sm", "aria-label": `Variable ${variable}`, disabled: readOnly,
          onChange: (event) => {
            parameters[index] = event.target.value;
          },
        }, known.map((p) => h("option", { value: p, selected: p === name }, `{${p}}`))),
        readOnly ? null : h("span", { class: "param-actions" },
          h("button", { type: "button", class: "btn btn-ghost btn-sm", "aria-label": `Move ${variable} up`, disabled: index === 0,
            onClick: () => move(index, -1) }, "↑"),
          h("button", { type: "button", class: "btn btn-ghost btn-sm", "aria-label": `Move ${variable} down`,
            disabled: index === parameters.length - 1, onClick: () => move(index, 1) }, "↓"),
          h("button", { type: "button", class: "btn btn-danger-ghost btn-sm", "aria-label": `Remove ${variable}`,
            onClick: () => {
              parameters.splice(index, 1);
              draw();
              addButton.focus();
            } }, "Remove")));
    }));
    if (!parameters.length) list.replaceChildren(h("li", { class: "muted" }, "No variables: the template's text is sent as it is."));
    addButton.disabled = readOnly || parameters.length >= MAX_WHATSAPP_VARIABLES;
  }
  draw();

  const name = field({ label: "Template name", name: "name", value: content.name, required: true,
    hint: "Exactly as approved in WhatsApp Manager: lower-case letters, digits and _.",
    attrs: { autocapitalize: "none", spellcheck: "false", autocomplete: "off", maxlength: "512" } });
  const language = field({ label: "Language", name: "language", value: content.language, required: true,
    hint: "The approved language's code, such as en, en_GB or de.",
    attrs: { autocapitalize: "none", spellcheck: "false", autocomplete: "off", maxlength: "6" } });
  return {
    elements: [
      h("p", { class: "alert alert-info" }, icon(ICONS.alert, { size: 16, className: "alert-icon" }),
        h("span", null, "WhatsApp only sends templates approved in your Meta Business account. Name the approved template and its language, then choose what fills each of its variables {{1}}, {{2}}… in order.")),
      h("div", { class: "grid-2" }, name, language),
      h("div", { class: "field", "data-field": "parameters" },
        h("span", { class: "field-label", id: "param-label" }, "Variables"),
        list,
        readOnly ? null : h("div", null, addButton),
        h("input", { type: "hidden", name: "parameters" }),
        h("p", { class: "field-error", id: "f-parameters-error", hidden: true })),
    ],
    content: () => ({
      name: String(name.querySelector("input").value).trim(),
      language: String(language.querySelector("input").value).trim(),
      parameters: [...parameters],
    }),
  };
}

/** The dialog of one template: edit and save, or go back to the default. */
function openTemplate(ctx, template, { canEdit, planAllows, onSaved, onReset, reloadAll }) {
  const readOnly = !canEdit || !planAllows;
  const title = `${messageLabel(template.message)} · ${channelLabel(template.channel)}`;
  const dialog = openDialog({ title, className: "dialog-template" });
  const alert = formAlert();
  const parts = template.channel === "email" ? emailFields(ctx, template, { readOnly }) : whatsappFields(template, { readOnly });

  const notice = !canEdit
    ? h("p", { class: "alert alert-info" }, icon(ICONS.shield, { size: 16, className: "alert-icon" }),
      h("span", null, "Only admins and owners can change the messages."))
    : !planAllows
      ? h("p", { class: "alert alert-warning" }, icon(ICONS.star, { size: 16, className: "alert-icon" }),
        h("span", null, "Your plan does not include custom message templates. This is the default wording; upgrade your plan to write your own."))
      : null;

  const buttons = h("div", { class: "form-buttons" });
  const form = h("form", { class: "stack template-form", "aria-label": title },
    h("p", { class: "template-meta" },
      badge(template),
      h("span", { class: "muted" }, `${audienceLabel(template.audience)}. ${messageDescription(template.message)}`),
      template.custom && template.updated_at
        ? h("span", { class: "muted" }, ` Changed ${formatDate(template.updated_at, navigator.language, ctx.me.business.time_zone)}.`)
        : null),
    notice,
    alert,
    h("fieldset", { class: "stack", disabled: readOnly }, h("legend", { class: "sr-only" }, "Wording"), parts.elements),
    buttons);

  const close = h("button", { type: "button", class: "btn btn-ghost", onClick: () => dialog.close() }, readOnly ? "Close" : "Cancel");
  if (readOnly) {
    buttons.append(close);
  } else {
    const resetBox = h("span", { class: "row-actions template-reset" });
    if (template.custom) {
      const ask = h("button", {
        type: "button", class: "btn btn-danger-ghost",
        onClick: () => {
          const yes = h("button", { type: "button", class: "btn btn-danger btn-sm", onClick: reset }, "Yes, reset");
          const no = h("button", { type: "button", class: "btn btn-ghost btn-sm", onClick: () => {
            resetBox.replaceChildren(ask);
            ask.focus();
          } }, "Keep mine");
          resetBox.replaceChildren(h("span", { class: "confirm-text", role: "status" }, "Go back to the default wording?"), yes, no);
          yes.focus();
        },
      }, "Reset to default");
      resetBox.append(ask);

      async function reset(event) {
        event.target.disabled = true;
        setAlert(alert, null);
        try {
          await ctx.api.resetTemplate(template.key);
        } catch (err) {
          resetBox.replaceChildren(ask);
          showProblem(null, alert, err, { what: "This template", reload: () => { dialog.close(); reloadAll(); } });
          return;
        }
        dialog.close();
        onReset(template);
      }
    }
    buttons.append(h("button", { type: "submit", class: "btn btn-primary" }, "Save template"), close, resetBox);
  }

  onSubmit(form, alert, async () => {
    const content = parts.content();
    const problems = formatProblems(content);
    if (Object.keys(problems).length) {
      for (const [name, reason] of Object.entries(problems)) setFieldError(form, name, reason);
      form.querySelector("[aria-invalid='true']").focus();
      return;
    }
    // A custom wording is replaced only as it was read (409 stale_version otherwise).
    if (template.custom && template.version) content.version = template.version;
    let saved;
    try {
      saved = await ctx.api.saveTemplate(template.key, content);
    } catch (err) {
      showProblem(form, alert, err, { what: "This template", reload: () => { dialog.close(); reloadAll(); } });
      return;
    }
    dialog.close();
    onSaved(saved);
  }, { busyLabel: "Saving…" });

  dialog.setContent(form);
  return dialog;
}

function badge(template) {
  return template.custom
    ? h("span", { class: "badge badge-brand" }, "Custom")
    : h("span", { class: "badge badge-muted" }, "Default");
}

// --- the page ---------------------------------------------------------------------------------------------

export function notificationsPage(ctx) {
  const me = ctx.me;
  const features = me.features || {};
  const canEdit = roleAtLeast(me.role, "admin");
  // A missing flag is left for the API to judge (it answers plan_required).
  const whatsappAllowed = features.whatsapp !== false;
  const templatesAllowed = features.custom_templates !== false;
  const locale = navigator.language;
  const tz = me.business.time_zone;

  // --- settings ---
  const settingsAlert = formAlert();
  const settingsBody = h("div", { class: "settings-body" }, loadingBox("Loading the settings…"));

  async function loadSettings() {
    setAlert(settingsAlert, null);
    try {
      showSettings(await ctx.api.notificationSettings());
    } catch (err) {
      if (err.kind === "session_expired") return;
      settingsBody.replaceChildren();
      setAlert(settingsAlert, `Couldn't load the notification settings. ${err.message}`, { actions: [retryButton(loadSettings)] });
    }
  }

  function showSettings(settings) {
    settingsBody.replaceChildren(settingsForm(ctx, settings, {
      readOnly: !canEdit, whatsappAllowed, alert: settingsAlert, reload: loadSettings,
      onSaved: (saved, { quiet = false } = {}) => {
        setAlert(settingsAlert, null);
        showSettings(saved);
        if (!quiet) ctx.toast("Notification settings saved.");
      },
    }));
  }

  // --- templates ---
  const templatesAlert = formAlert();
  const templatesBox = h("div", { class: "table-wrap" }, loadingBox("Loading the messages…"));
  let templates = [];

  async function loadTemplates() {
    setAlert(templatesAlert, null);
    try {
      templates = (await ctx.api.notificationTemplates()).items || [];
    } catch (err) {
      if (err.kind === "session_expired") return;
      templatesBox.replaceChildren();
      setAlert(templatesAlert, `Couldn't load the messages. ${err.message}`, { actions: [retryButton(loadTemplates)] });
      return;
    }
    drawTemplates();
  }

  function edit(template) {
    openTemplate(ctx, template, {
      canEdit, planAllows: templatesAllowed, reloadAll: loadTemplates,
      onSaved: (saved) => {
        templates = templates.map((t) => (t.key === saved.key ? saved : t));
        drawTemplates(saved.key);
        ctx.toast(`${messageLabel(saved.message)} (${channelLabel(saved.channel)}) saved.`);
      },
      onReset: async (template) => {
        await loadTemplates();
        focusTemplate(template.key);
        ctx.toast(`${messageLabel(template.message)} (${channelLabel(template.channel)}) is back to the default wording.`);
      },
    });
  }

  function focusTemplate(key) {
    const button = templatesBox.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (button) button.focus();
  }

  function templateCell(template, channel) {
    if (!template) {
      return h("td", { "data-label": channelLabel(channel), class: "muted" }, `Not sent by ${channelLabel(channel)}`);
    }
    const summary = template.channel === "email"
      ? template.content.subject
      : `${template.content.name} (${template.content.language})`;
    return h("td", { "data-label": channelLabel(channel) },
      h("div", { class: "template-cell" },
        h("div", { class: "template-line" }, badge(template),
          h("button", {
            type: "button", class: "btn btn-secondary btn-sm", "data-key": template.key,
            "aria-label": `${canEdit && templatesAllowed ? "Edit" : "View"} ${messageLabel(template.message)} by ${channelLabel(channel)}`,
            onClick: () => edit(template),
          }, canEdit && templatesAllowed ? "Edit" : "View")),
        h("span", { class: "template-summary muted", title: summary }, summary)));
  }

  function drawTemplates(focusKey) {
    const channels = ["email", "whatsapp"];
    templatesBox.replaceChildren(h("table", { class: "table template-table" },
      h("caption", { class: "sr-only" }, "Messages and their wording on each channel"),
      h("thead", null, h("tr", null,
        h("th", { scope: "col" }, "Message"),
        channels.map((c) => h("th", { scope: "col" }, channelLabel(c))))),
      h("tbody", null, templateRows(templates).map((row) => h("tr", null,
        h("th", { scope: "row", class: "template-message" },
          h("span", { class: "template-name" }, messageLabel(row.message)),
          h("span", { class: "template-about" }, `${audienceLabel(row.audience)}. ${messageDescription(row.message)}`)),
        channels.map((c) => templateCell(row.channels[c], c)))))));
    if (focusKey) focusTemplate(focusKey);
  }

  // --- the delivery log ---
  const filters = {
    appointment_id: ctx.query.get("appointment_id") || undefined,
    customer_id: ctx.query.get("customer_id") || undefined,
  };
  const filtered = Boolean(filters.appointment_id || filters.customer_id);
  const pager = createLogPager((page) => ctx.api.notificationLog({ ...page, ...filters }));
  const logAlert = formAlert();
  const logBox = h("div", { class: "table-wrap" }, loadingBox("Loading the log…"));
  const logCount = h("span", { class: "count" });
  const logStatus = h("p", { class: "sr-only", "aria-live": "polite" });
  const moreButton = h("button", { type: "button", class: "btn btn-secondary", onClick: () => loadLog(false) }, "Load more");
  const logFoot = h("div", { class: "log-foot" });
  const refreshButton = h("button", { type: "button", class: "btn btn-ghost btn-sm", onClick: () => loadLog(true) },
    icon(ICONS.refresh, { size: 16 }), h("span", null, "Refresh"));

  async function loadLog(reset) {
    setAlert(logAlert, null);
    const before = pager.items.length;
    moreButton.disabled = true;
    moreButton.textContent = "Loading…";
    refreshButton.disabled = true;
    try {
      await (reset ? pager.reload() : pager.more());
    } catch (err) {
      if (err.kind === "session_expired") return;
      setAlert(logAlert, `Couldn't load the log. ${err.message}`, { actions: [retryButton(() => loadLog(reset))] });
      if (!pager.items.length) logBox.replaceChildren();
      return;
    } finally {
      moreButton.disabled = false;
      moreButton.textContent = "Load more";
      refreshButton.disabled = false;
    }
    drawLog();
    const added = pager.items.length - (reset ? 0 : before);
    logStatus.textContent = reset ? `${pager.items.length} messages shown.` : `${added} more messages shown.`;
    if (!reset && added > 0) {
      const rows = logBox.querySelectorAll("tbody tr");
      const first = rows[before];
      if (first) first.querySelector("th").focus();
    }
  }

  function logRow(entry) {
    const { label, tone } = deliveryStatus(entry.status);
    const notes = [
      entry.error ? h("span", { class: ["log-error", entry.status === "failed" && "log-error-failed"] }, entry.error) : null,
      entry.fallback_of ? h("span", { class: "muted block" }, "Sent by e-mail because the WhatsApp message failed.") : null,
      entry.attempts > 1 ? h("span", { class: "muted block" }, `${entry.attempts} attempts`) : null,
    ].filter(Boolean);
    return h("tr", null,
      h("th", { scope: "row", class: "log-time", tabindex: "-1" },
        h("time", { datetime: entry.created_at, title: entry.created_at }, formatDateTime(entry.created_at, tz, locale))),
      h("td", { "data-label": "Message" }, messageLabel(entry.message)),
      h("td", { "data-label": "Channel" }, channelLabel(entry.channel)),
      h("td", { "data-label": "To", class: "log-recipient" }, entry.recipient || h("span", { class: "muted" }, "—")),
      h("td", { "data-label": "Status" }, h("span", { class: `status delivery-${tone}` }, label)),
      h("td", { "data-label": "Details", class: "log-notes" }, notes.length ? notes : h("span", { class: "muted" }, "—")));
  }

  function drawLog() {
    logCount.textContent = pager.items.length ? String(pager.items.length) + (pager.hasMore ? "+" : "") : "";
    if (!pager.items.length) {
      logBox.replaceChildren(h("p", { class: "muted empty-line log-empty" }, filtered
        ? "No messages for this filter yet."
        : "No messages yet. Confirmations, changes and reminders appear here once they are sent."));
      logFoot.replaceChildren();
      return;
    }
    logBox.replaceChildren(h("table", { class: "table log-table" },
      h("caption", { class: "sr-only" }, "Messages sent, newest first"),
      h("thead", null, h("tr", null,
        ["Time", "Message", "Channel", "To", "Status", "Details"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, pager.items.map(logRow))));
    logFoot.replaceChildren(pager.hasMore ? moreButton : h("p", { class: "muted" }, "That's every message."));
  }

  loadSettings();
  loadTemplates();
  loadLog(true);

  return h("div", { class: "page" },
    h("header", { class: "page-header" },
      h("div", null,
        h("h1", { tabindex: "-1" }, "Notifications"),
        h("p", { class: "lead" }, canEdit
          ? "How and when your customers hear from you, in your words, and what was sent."
          : "How and when your customers hear from you, and what was sent. Only admins and owners can change the settings."))),
    h("nav", { class: "page-tabs", "aria-label": "On this page" },
      h("span", { class: "page-tabs-label" }, "On this page:"),
      h("a", { href: "#s-channels" }, "Channels and reminders"),
      h("a", { href: "#templates-title" }, "Message templates"),
      h("a", { href: "#log-title" }, "Delivery log")),
    settingsAlert,
    settingsBody,
    h("section", { class: "card card-flush", "aria-labelledby": "templates-title" },
      h("div", { class: "card-head" },
        h("h2", { id: "templates-title", class: "card-title" }, "Message templates"),
        h("p", { class: "muted card-sub" }, templatesAllowed
          ? "The wording of each message on each channel: your own, or the default."
          : "The wording of each message on each channel."),
        templatesAllowed ? null : h("p", { class: "alert alert-warning" }, icon(ICONS.star, { size: 16, className: "alert-icon" }),
          h("span", null, "Your plan does not include custom message templates. You can read the default wording; upgrade your plan to write your own.")),
        templatesAlert),
      templatesBox),
    h("section", { class: "card card-flush", "aria-labelledby": "log-title" },
      h("div", { class: "card-head card-head-row" },
        h("div", null,
          h("h2", { id: "log-title", class: "card-title" }, "Delivery log ", logCount),
          h("p", { class: "muted card-sub" }, filtered
            ? h("span", null, "Messages of one ", filters.appointment_id ? "appointment" : "customer", ", newest first. ",
              h("a", { href: "/settings/notifications" }, "Show all"))
            : "Every message sent, newest first, with what the provider reported.")),
        refreshButton),
      logAlert,
      logStatus,
      logBox,
      logFoot));
}
