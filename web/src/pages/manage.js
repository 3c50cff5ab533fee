// "/manage-booking?token=…": the customer's link to their booking (no account, no token refresh). Shows
// the booking; cancels it (with an optional reason) while `can_cancel`, moves it to another free time of
// the same service, staff member and place while `can_reschedule`, and explains the business's cut-off
// when the time for that has passed (and when the API answers 409 cutoff_passed).
import { waitMessage } from "../api.js";
import { h, icon, ICONS } from "../dom.js";
import { field, formAlert, onSubmit, setAlert } from "../forms.js";
import { formatMoney } from "../format.js";
import { slotPicker } from "../slot_picker.js";
import { lastBookableDay } from "../slots.js";
import { conflictMessage, isActive, statusLabel } from "../status.js";
import { formatDateTime, todayIn, zoneName } from "../zoned.js";
import { cutoffWords, problemPanel, WINDOW_DAYS } from "./customer.js";

const STATUS_WORDS = {
  pending: "Waiting for the business to confirm",
  confirmed: "Confirmed",
  completed: "Completed",
  no_show: "Missed",
  cancelled: "Cancelled",
};

function fact(label, ...value) {
  const shown = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
  return shown.length ? h("div", { class: "fact" }, h("dt", null, label), h("dd", null, shown)) : null;
}

function contactWords(business) {
  const c = (business && business.contact) || {};
  const ways = [c.phone, c.email].filter(Boolean);
  return ways.length ? ` (${ways.join(", ")})` : "";
}

export function managePage(ctx) {
  const token = ctx.query.get("token");
  const locale = navigator.language;
  if (!token) {
    return problemPanel("This link is incomplete",
      "The link to your booking is missing its code. Open it again from your confirmation, copying the whole address.");
  }
  const container = h("div", { class: "booking" },
    h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading your booking…"));
  const alert = formAlert();
  let profile = null;

  async function load({ message = null, tone = "success" } = {}) {
    let managed;
    try {
      managed = await ctx.api.managedBooking(token);
    } catch (err) {
      const missing = err.status === 404;
      container.replaceChildren(problemPanel(
        missing ? "This link doesn't work" : "We couldn't load your booking",
        missing ? "It may be mistyped, or come from an older message. Use the latest link the business sent you, or contact them." : err.message,
        missing ? [] : [h("button", { type: "button", class: "btn btn-primary", onClick: () => load() }, "Try again")]));
      container.querySelector("h1").focus();
      return;
    }
    if (!profile && managed.business && managed.business.slug) {
      // The booking names its business's slug but not its time zone or contact: the public page has both.
      profile = await ctx.api.publicProfile(managed.business.slug).catch(() => null);
    }
    if (!ctx.isCurrent()) return;
    container.replaceChildren(...view(managed));
    setAlert(alert, message, { tone });
    const heading = container.querySelector("h1");
    if (message) alert.focus();
    else if (heading && document.activeElement === document.body) heading.focus();
  }

  function view(managed) {
    const a = managed.appointment;
    const business = (profile && profile.business) || managed.business || {};
    const policy = business.booking_policy || {};
    const tz = business.time_zone || (managed.location && managed.location.time_zone) || "UTC";
    document.title = `Your booking · ${business.name || "Booking"}`;
    const place = managed.location || {};
    const actions = h("div", { class: "manage-actions" });
    const panel = h("div", { class: "manage-panel" });
    const active = isActive(a.status);

    const closedNote = (what, until, minutes) => h("p", { class: "manage-note" },
      icon(ICONS.clock, { size: 16 }),
      h("span", null, `Online ${what} closed${until ? ` on ${formatDateTime(until, tz, locale)}` : ""}${minutes !== undefined ? ` (${cutoffWords(minutes)})` : ""}. `,
        `To ${{ cancellation: "cancel", changes: "change the time" }[what] || "change or cancel it"}, please contact ${business.name || "the business"}${contactWords(business)}.`));

    if (active) {
      if (managed.can_reschedule) {
        actions.append(h("button", { type: "button", class: "btn btn-primary", onClick: () => showReschedule(managed, tz, policy, panel) }, "Change the time"));
      }
      if (managed.can_cancel) {
        actions.append(h("button", { type: "button", class: "btn btn-danger-ghost", onClick: () => showCancel(panel) }, "Cancel the booking"));
      }
    }
    const notes = [];
    if (active && !managed.can_reschedule && !managed.can_cancel && managed.reschedule_until === managed.cancel_until) {
      notes.push(closedNote("changes and cancellation", managed.cancel_until, policy.cancel_cutoff_min));
    } else {
      if (active && !managed.can_reschedule) notes.push(closedNote("changes", managed.reschedule_until, policy.reschedule_cutoff_min));
      if (active && !managed.can_cancel) notes.push(closedNote("cancellation", managed.cancel_until, policy.cancel_cutoff_min));
    }
    if (active && managed.can_cancel && managed.cancel_until) {
      notes.push(h("p", { class: "hint" }, `You can cancel online until ${formatDateTime(managed.cancel_until, tz, locale)}.`));
    }

    return [
      h("header", { class: "book-header" },
        h("p", { class: "book-eyebrow" }, business.name || ""),
        h("h1", { tabindex: "-1" }, "Your booking")),
      alert,
      h("section", { class: "card book-step", "aria-label": "Booking details" },
        h("dl", { class: "facts" },
          fact("What", managed.service && managed.service.name),
          fact("When", `${formatDateTime(a.start_at, tz, locale, { weekday: "long", month: "long", year: "numeric" })}`,
            h("span", { class: "block muted" }, zoneName(tz))),
          fact("With", managed.staff && managed.staff.name),
          fact("Where", place.name, place.address ? h("span", { class: "block muted" }, place.address) : null),
          fact("Price", formatMoney(a.price, locale)),
          fact("Status", h("span", { class: `status status-${a.status}` }, STATUS_WORDS[a.status] || statusLabel(a.status)))),
        a.status === "cancelled" && business.slug
          ? h("p", null, h("a", { href: `/book/${encodeURIComponent(business.slug)}`, class: "btn btn-secondary" }, "Book again"))
          : null,
        notes,
        actions,
        panel),
    ];
  }

  function closePanel(panel) {
    panel.replaceChildren();
    const first = container.querySelector(".manage-actions button");
    if (first) first.focus();
  }

  /** A 409 or 429 in words; reload when the booking changed under us. */
  function failed(err, what) {
    if (err.kind === "rate_limited") return setAlert(alert, waitMessage(err.retryAfter));
    if (err.code === "cutoff_passed") {
      const minutes = err.details && err.details.cutoff_min;
      return load({ tone: "warning", message: `It's now too late to ${what} this booking online${minutes !== undefined ? `: the business takes online changes until ${cutoffWords(minutes)}` : ""}. Please contact them.` });
    }
    if (err.code === "invalid_transition") return load({ tone: "warning", message: "This booking has changed in the meantime (it may have been cancelled). Here it is as it stands now." });
    return setAlert(alert, conflictMessage(err));
  }

  function showCancel(panel) {
    setAlert(alert, null);
    const local = formAlert();
    const form = h("form", { class: "stack manage-form", "aria-labelledby": "cancel-title" },
      h("h2", { id: "cancel-title", tabindex: "-1" }, "Cancel this booking?"),
      local,
      field({ label: "Reason", name: "reason", type: "textarea", optional: true, attrs: { maxlength: "500", rows: "2" },
        hint: "Helps the business; you don't have to give one." }),
      h("div", { class: "form-buttons" },
        h("button", { type: "submit", class: "btn btn-danger" }, "Yes, cancel it"),
        h("button", { type: "button", class: "btn btn-ghost", onClick: () => closePanel(panel) }, "Keep my booking")));
    onSubmit(form, local, async (values) => {
      try {
        await ctx.api.cancelManaged(token, String(values.get("reason") || "").trim() || null);
      } catch (err) {
        if (err.status === 409 || err.kind === "rate_limited") return failed(err, "cancel");
        throw err;
      }
      await load({ message: "Your booking is cancelled." });
    }, { busyLabel: "Cancelling…" });
    panel.replaceChildren(form);
    form.querySelector("h2").focus();
  }

  function showReschedule(managed, tz, policy, panel) {
    setAlert(alert, null);
    const local = formAlert();
    const today = todayIn(tz);
    const chosen = h("p", { class: "appt-choice", "aria-live": "polite" }, "Choose a new time.");
    const move = h("button", { type: "button", class: "btn btn-primary", disabled: true }, "Move my booking");
    const picker = slotPicker({
      today, lastDay: lastBookableDay(today, policy.max_advance_days), size: WINDOW_DAYS, locale, label: "Free times",
      // The same staff member and place (the API keeps both when a customer moves a booking), with the
      // booking's own time free, so a move by less than its length is offered too.
      load: async (from, to) => {
        try {
          return await ctx.api.managedBookingSlots(token, { from, to });
        } catch (err) {
          if (err.status === 422) throw new Error("This service can't be booked online any more. Please contact the business to change the time.");
          throw err;
        }
      },
      onPick: (slot) => {
        move.disabled = !slot;
        chosen.textContent = slot ? `New time: ${formatDateTime(slot.start_at, tz, locale, { weekday: "long", month: "long" })}.` : "Choose a new time.";
      },
    });
    move.addEventListener("click", async () => {
      const slot = picker.selected;
      if (!slot) return;
      setAlert(local, null);
      move.disabled = true;
      move.textContent = "Moving…";
      try {
        const { appointment } = await ctx.api.rescheduleManaged(token, slot.start_at);
        await load({ message: `Your booking is moved to ${formatDateTime(appointment.start_at, tz, locale, { weekday: "long", month: "long" })}.` });
      } catch (err) {
        move.textContent = "Move my booking";
        if (err.code === "slot_taken" || err.code === "slot_unavailable") {
          setAlert(local, conflictMessage(err), { tone: "warning" });
          picker.reload();
          return;
        }
        move.disabled = false;
        if (err.status === 409 || err.kind === "rate_limited") return failed(err, "change");
        setAlert(local, err.message);
      }
    });
    const box = h("div", { class: "stack manage-form", role: "group", "aria-labelledby": "move-title" },
      h("h2", { id: "move-title", tabindex: "-1" }, "Choose a new time"),
      h("p", { class: "hint" }, `Same service, with ${(managed.staff && managed.staff.name) || "the same person"}${managed.location && managed.location.name ? ` at ${managed.location.name}` : ""}.`),
      local, picker.element, chosen,
      h("div", { class: "form-buttons" }, move, h("button", { type: "button", class: "btn btn-ghost", onClick: () => closePanel(panel) }, "Keep the current time")));
    panel.replaceChildren(box);
    box.querySelector("h2").focus();
  }

  alert.setAttribute("tabindex", "-1");
  load();
  return container;
}
