// The panel of one appointment (opened from the calendar): what, when, who; the status changes it
// allows (confirm, complete, no-show, cancel with a reason, reschedule to a free time) and its history.
// Every change sends the version the panel shows: if someone changed it meanwhile the API answers 409,
// which is explained, and the appointment and the calendar are reloaded.
import { performersOf } from "../calendar_data.js";
import { openDialog } from "../dialog.js";
import { h } from "../dom.js";
import { field, formAlert, onSubmit, setAlert } from "../forms.js";
import { formatMoney } from "../format.js";
import { slotPicker } from "../slot_picker.js";
import { ACTIONS, actionsFor, actorLabel, conflictMessage, historyChanges, historyLabel, needsReload, statusLabel }
  from "../status.js";
import { formatDateTime, formatDay, formatTimeRange, localDate, todayIn, zoneName } from "../zoned.js";

function fact(label, ...value) {
  const shown = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
  return shown.length ? h("div", { class: "fact" }, h("dt", null, label), h("dd", null, shown)) : null;
}

const SOURCES = { online: "Online booking page", staff: "By the team" };

export function openAppointment(ctx, { appointment, data, timeZone, locale, onlyStaffId = null, onChanged = () => {},
  onClose = () => {} }) {
  let current = appointment;
  const alert = formAlert();
  const panel = h("div", { class: "appt-panel" });
  const dialog = openDialog({ title: data.names.service(current.service_id), className: "dialog-appt", onClose });

  // --- what it is --------------------------------------------------------------------------------
  function summary() {
    const a = current;
    const customer = data.ref.customers.get(a.customer_id) || {};
    const contact = [customer.email, customer.phone].filter(Boolean).join(" · ");
    const cancelled = a.status === "cancelled"
      ? fact("Cancelled", `${a.cancelled_by === "customer" ? "By the customer" : "By the business"}${a.cancelled_at ? `, ${formatDateTime(a.cancelled_at, timeZone, locale)}` : ""}`,
        a.cancel_reason ? h("span", { class: "block" }, `“${a.cancel_reason}”`) : null)
      : null;
    return h("div", { class: "appt-summary" },
      h("div", { class: "appt-when" },
        h("p", { class: "appt-day" }, formatDay(localDate(a.start_at, timeZone), locale)),
        h("p", { class: "appt-hours" }, formatTimeRange(a.start_at, a.end_at, timeZone, locale),
          h("span", { class: "muted" }, ` · ${zoneName(timeZone)}`)),
        h("span", { class: `status status-${a.status}` }, statusLabel(a.status))),
      h("dl", { class: "facts" },
        fact("Customer", data.names.customer(a.customer_id), contact ? h("span", { class: "block muted" }, contact) : null),
        fact("Staff", data.names.staff(a.staff_id)),
        fact("Location", data.names.location(a.location_id)),
        fact("Price", formatMoney(a.price, locale)),
        fact("Booked", `${SOURCES[a.source] || a.source || ""}${a.created_at ? `, ${formatDateTime(a.created_at, timeZone, locale)}` : ""}`),
        fact("Customer's notes", a.notes),
        fact("Internal notes", a.internal_notes),
        a.series_id ? fact("Series", "Part of a recurring series") : null,
        cancelled));
  }

  // --- what can be done --------------------------------------------------------------------------
  function actionBar() {
    const actions = actionsFor(current.status);
    if (!actions.length) return h("p", { class: "muted appt-final" }, "This appointment is closed: its status can no longer change.");
    return h("div", { class: "appt-actions" }, actions.map((action) => {
      const spec = ACTIONS[action];
      const tone = action === "cancel" ? "btn-danger-ghost" : action === "confirm" || action === "complete" ? "btn-primary" : "btn-secondary";
      return h("button", {
        type: "button", class: ["btn btn-sm", tone], "data-action": action,
        onClick: (event) => (action === "cancel" ? showCancel() : action === "reschedule" ? showReschedule() : change(action, event.currentTarget)),
      }, spec.label);
    }));
  }

  function busy(on) {
    for (const b of dialog.body.querySelectorAll(".appt-actions button")) b.disabled = on;
  }

  /** confirm / complete / no-show: one click, the version we show. */
  async function change(action, button) {
    setAlert(alert, null);
    busy(true);
    button.setAttribute("aria-busy", "true");
    try {
      const updated = await ctx.api.appointmentAction(current.id, ACTIONS[action].path, { version: current.version });
      done(updated, ACTIONS[action].done);
    } catch (err) {
      busy(false);
      button.removeAttribute("aria-busy");
      await failed(err);
    }
  }

  function done(updated, message) {
    current = { ...current, ...updated };
    draw();
    ctx.toast(message);
    dialog.focusTitle();
    onChanged(current);
  }

  /** Show an error; a 409 means what we showed was out of date: reload it (and the calendar). */
  async function failed(err) {
    if (err.kind === "session_expired") return;
    if (!needsReload(err)) {
      setAlert(alert, conflictMessage(err));
      return;
    }
    try {
      current = await ctx.api.getAppointment(current.id);
    } catch {
      /* keep what we have; the message still stands */
    }
    draw();
    setAlert(alert, conflictMessage(err), { tone: "warning" });
    onChanged(current);
  }

  function closePanel() {
    panel.replaceChildren();
    const first = dialog.body.querySelector(".appt-actions button");
    if (first) first.focus();
  }

  function showCancel() {
    setAlert(alert, null);
    const local = formAlert();
    const series = current.series_id
      ? h("fieldset", { class: "field" },
        h("legend", null, "Which appointments"),
        h("div", { class: "check-row" }, h("input", { type: "radio", id: "scope-this", name: "scope", value: "this", checked: true }),
          h("label", { for: "scope-this" }, "Only this one")),
        h("div", { class: "check-row" }, h("input", { type: "radio", id: "scope-following", name: "scope", value: "following" }),
          h("label", { for: "scope-following" }, "This one and the later ones of the series")))
      : null;
    const form = h("form", { class: "stack appt-form", "aria-label": "Cancel the appointment" },
      h("h3", null, "Cancel this appointment"),
      local,
      field({ label: "Reason", name: "reason", type: "textarea", optional: true, attrs: { maxlength: "500", rows: "2" },
        hint: "Kept in the appointment's history." }),
      series,
      h("div", { class: "form-buttons" },
        h("button", { type: "submit", class: "btn btn-danger btn-sm" }, "Cancel appointment"),
        h("button", { type: "button", class: "btn btn-ghost btn-sm", onClick: closePanel }, "Keep it")));
    onSubmit(form, local, async (values) => {
      const reason = String(values.get("reason") || "").trim();
      try {
        const updated = await ctx.api.appointmentAction(current.id, "cancel", {
          reason: reason || null, scope: values.get("scope") === "following" ? "following" : "this", version: current.version,
        });
        const others = (updated.cancelled || []).length - 1;
        done(updated, others > 0 ? `Cancelled, with ${others} later appointment${others === 1 ? "" : "s"} of the series.` : ACTIONS.cancel.done);
      } catch (err) {
        if (err.status === 409) return failed(err);
        throw err;
      }
    }, { busyLabel: "Cancelling…" });
    panel.replaceChildren(form);
    form.querySelector("textarea").focus();
  }

  function showReschedule() {
    setAlert(alert, null);
    const local = formAlert();
    const service = data.ref.services.get(current.service_id);
    let people = performersOf(service, data.ref.staff);
    if (!people.some((s) => s.id === current.staff_id) && data.ref.staffById.get(current.staff_id)) {
      people = [data.ref.staffById.get(current.staff_id), ...people];
    }
    if (onlyStaffId) people = people.filter((s) => s.id === onlyStaffId);
    const staffSelect = field({ label: "Staff member", name: "staff_id", type: "select", value: current.staff_id,
      options: people.map((s) => ({ value: s.id, label: s.name })), attrs: { disabled: people.length < 2 } });
    const choice = h("p", { class: "appt-choice", "aria-live": "polite" }, "Choose a new time.");
    const move = h("button", { type: "button", class: "btn btn-primary btn-sm", disabled: true }, "Move here");
    const pickerBox = h("div");
    let picker;

    function newPicker() {
      const staffId = staffSelect.querySelector("select").value;
      const todayDate = todayIn(timeZone);
      const day = localDate(current.start_at, timeZone);
      picker = slotPicker({
        size: 7, locale, today: todayDate, start: day < todayDate ? todayDate : day, label: "Free times",
        load: (from, to) => ctx.api.availability({ service_id: current.service_id, staff_id: staffId, from, to }),
        describe: (slot) => (slot.location_id !== current.location_id ? data.names.location(slot.location_id) : null),
        onPick: (slot) => {
          move.disabled = !slot;
          choice.textContent = slot
            ? `New time: ${formatDateTime(slot.start_at, timeZone, locale)} with ${data.names.staff(slot.staff_id)}.`
            : "Choose a new time.";
        },
      });
      pickerBox.replaceChildren(picker.element);
      move.disabled = true;
    }

    staffSelect.querySelector("select").addEventListener("change", newPicker);
    move.addEventListener("click", async () => {
      const slot = picker.selected;
      if (!slot) return;
      setAlert(local, null);
      move.disabled = true;
      move.textContent = "Moving…";
      try {
        const updated = await ctx.api.appointmentAction(current.id, "reschedule", {
          start_at: slot.start_at, staff_id: slot.staff_id, location_id: slot.location_id, version: current.version,
        });
        done(updated, `Moved to ${formatDateTime(updated.start_at, timeZone, locale)}.`);
      } catch (err) {
        move.textContent = "Move here";
        if (err.kind === "session_expired") return;
        if (err.code === "slot_taken" || err.code === "slot_unavailable") {
          setAlert(local, conflictMessage(err), { tone: "warning" });
          picker.reload();
          return;
        }
        move.disabled = false;
        if (err.status === 409) return failed(err);
        setAlert(local, conflictMessage(err));
      }
    });

    newPicker();
    const box = h("div", { class: "stack appt-form", role: "group", "aria-label": "Reschedule" },
      h("h3", null, "Move to another time"),
      local, staffSelect, pickerBox, choice,
      h("div", { class: "form-buttons" }, move, h("button", { type: "button", class: "btn btn-ghost btn-sm", onClick: closePanel }, "Cancel")));
    panel.replaceChildren(box);
    staffSelect.querySelector("select").disabled ? box.querySelector("button").focus() : staffSelect.querySelector("select").focus();
  }

  // --- history -----------------------------------------------------------------------------------
  function historySection() {
    const list = h("div", { class: "history-body" });
    const details = h("details", { class: "appt-history" }, h("summary", null, "History"), list);
    let loaded = false;
    details.addEventListener("toggle", async () => {
      if (!details.open || loaded) return;
      loaded = true;
      list.replaceChildren(h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading the history…"));
      try {
        const { items } = await ctx.api.appointmentHistory(current.id);
        list.replaceChildren(drawHistory(items || []));
      } catch (err) {
        loaded = false;
        list.replaceChildren(h("p", { class: "field-error" }, `Couldn't load the history. ${err.message}`));
      }
    });
    return details;
  }

  function show(name, value) {
    if (name === "start_at" || name === "end_at") return formatDateTime(value, timeZone, locale);
    if (name === "status") return statusLabel(value);
    if (name === "staff_id") return data.names.staff(value);
    if (name === "location_id") return data.names.location(value);
    if (name === "service_id") return data.names.service(value);
    if (name === "customer_id") return data.names.customer(value);
    if (name === "price_minor") return formatMoney({ amount: value, currency: current.price && current.price.currency }, locale);
    return value;
  }

  function drawHistory(items) {
    if (!items.length) return h("p", { class: "muted" }, "No changes recorded.");
    const names = data.memberNames();
    return h("ol", { class: "history" }, items.map((entry) => h("li", null,
      h("p", { class: "history-head" }, h("strong", null, historyLabel(entry.action)),
        h("span", { class: "muted" }, ` · ${actorLabel(entry.actor, { names, meId: ctx.me.user.id })} · ${formatDateTime(entry.at, timeZone, locale)}`)),
      h("ul", { class: "history-changes" }, historyChanges(entry, show).map((c) => h("li", null,
        h("span", { class: "muted" }, `${c.label}: `),
        c.before !== null ? [h("del", null, c.before), " → "] : null,
        h("span", null, c.after)))))));
  }

  function draw() {
    dialog.setTitle(data.names.service(current.service_id));
    panel.replaceChildren();
    dialog.setContent(summary(), alert, actionBar(), panel, historySection());
  }

  draw();
  return dialog;
}
