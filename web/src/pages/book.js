// "/book/:slug": a business's public booking page, for customers without an account. Service, then
// (optionally) who and where, then a free time (two weeks at a time, in the business's zone), then
// their details and consent: POST /public/{slug}/bookings with an Idempotency-Key. No token is ever
// sent or refreshed here, and no error sends anyone to a log-in page.
import { retryWords, waitMessage } from "../api.js";
import { h, icon, ICONS } from "../dom.js";
import { field, formAlert, onSubmit, setAlert, setFieldError } from "../forms.js";
import { formatMinutes, formatMoney } from "../format.js";
import { createKeyKeeper } from "../idempotency.js";
import { slotPicker } from "../slot_picker.js";
import { lastBookableDay } from "../slots.js";
import { conflictMessage } from "../status.js";
import { formatDateTime, todayIn, zoneName } from "../zoned.js";
import { policyWords, problemPanel, WINDOW_DAYS } from "./customer.js";

function contactLine(contact) {
  const c = contact || {};
  const parts = [
    c.phone ? h("a", { href: `tel:${c.phone.replace(/[^+0-9]/g, "")}` }, c.phone) : null,
    c.email ? h("a", { href: `mailto:${c.email}` }, c.email) : null,
    c.address ? h("span", null, c.address) : null,
  ].filter(Boolean);
  return parts.length ? h("p", { class: "book-contact" }, parts.flatMap((p, i) => (i ? [" · ", p] : [p]))) : null;
}

export function bookPage(ctx) {
  const slug = ctx.params.slug;
  const locale = navigator.language;
  const container = h("div", { class: "booking" },
    h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading the booking page…"));

  async function load() {
    let profile;
    try {
      profile = await ctx.api.publicProfile(slug);
    } catch (err) {
      const missing = err.status === 404;
      container.replaceChildren(problemPanel(
        missing ? "This booking page doesn't exist" : "We couldn't load this booking page",
        missing ? "Check the address: the business may have changed it." : err.message,
        missing ? [] : [h("button", { type: "button", class: "btn btn-primary", onClick: load }, "Try again")]));
      container.querySelector("h1").focus();
      return;
    }
    if (!ctx.isCurrent()) return;
    document.title = `Book · ${profile.business.name}`;
    container.replaceChildren(...bookingFlow(ctx, profile, locale, (view) => {
      container.replaceChildren(view);
      const title = view.querySelector("h1");
      if (title) title.focus();
      window.scrollTo(0, 0);
    }));
  }

  load();
  return container;
}

function bookingFlow(ctx, profile, locale, finish) {
  const { business, services, staff, locations } = profile;
  const policy = business.booking_policy || {};
  const tz = business.time_zone;
  const today = todayIn(tz);
  const lastDay = lastBookableDay(today, policy.max_advance_days);
  const staffById = new Map(staff.map((s) => [s.id, s]));
  const placeById = new Map(locations.map((l) => [l.id, l]));
  const keeper = createKeyKeeper();
  const choice = { service: null, staffId: "", locationId: "", slot: null };
  let picker = null;
  let coolUntil = 0;

  const header = h("header", { class: "book-header" },
    h("p", { class: "book-eyebrow" }, "Book online"),
    h("h1", { tabindex: "-1" }, business.name),
    contactLine(business.contact));

  if (!services.length) {
    return [header, h("p", { class: "card book-step" }, "Online booking isn't open yet. Please contact the business to book.")];
  }

  // --- 1. service --------------------------------------------------------------------------------
  const serviceList = h("div", { class: "service-list" }, services.map((s) => {
    const id = `service-${s.id}`;
    return h("div", { class: "service-option" },
      h("input", { type: "radio", name: "service", id, value: s.id, onChange: () => chooseService(s) }),
      h("label", { for: id },
        h("span", { class: "service-name" }, s.name),
        h("span", { class: "service-meta" }, [formatMinutes(s.duration_min), formatMoney(s.price, locale)].filter(Boolean).join(" · ")),
        s.description ? h("span", { class: "service-description" }, s.description) : null));
  }));
  const stepService = h("section", { class: "card book-step", "aria-labelledby": "step-service" },
    h("h2", { id: "step-service" }, h("span", { class: "step-number" }, "1"), "Choose a service"),
    h("fieldset", null, h("legend", { class: "sr-only" }, "Service"), serviceList));

  // --- 2. who, where, when -------------------------------------------------------------------------
  const staffSelect = h("select", { id: "book-staff" });
  const placeSelect = h("select", { id: "book-place" });
  const pickerBox = h("div");
  const timeAlert = formAlert(); // "that time was just taken" shows here, where the new choice is made
  const whoWhere = h("div", { class: locations.length > 1 ? "grid-2" : null },
    h("div", { class: "field" }, h("label", { for: "book-staff" }, "Staff member"), staffSelect),
    locations.length > 1 ? h("div", { class: "field" }, h("label", { for: "book-place" }, "Location"), placeSelect) : null);
  const stepTime = h("section", { class: "card book-step", "aria-labelledby": "step-time", hidden: true },
    h("h2", { id: "step-time", tabindex: "-1" }, h("span", { class: "step-number" }, "2"), "Choose a time"),
    whoWhere, timeAlert, pickerBox);

  // --- 3. details --------------------------------------------------------------------------------
  const summary = h("p", { class: "book-summary", "aria-live": "polite" });
  const alert = formAlert();
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Book now");
  const cancelPolicy = policyWords(policy);
  const form = h("form", { class: "stack", "aria-labelledby": "step-details" },
    summary, alert,
    field({ label: "Your name", name: "customer.name", required: true, autocomplete: "name", attrs: { maxlength: "120" } }),
    h("div", { class: "grid-2" },
      field({ label: "E-mail", name: "customer.email", type: "email", autocomplete: "email",
        attrs: { autocapitalize: "none", spellcheck: "false" } }),
      field({ label: "Phone", name: "customer.phone", type: "tel", autocomplete: "tel", attrs: { placeholder: "+44 7700 900123" } })),
    h("p", { class: "hint" }, "An e-mail address or a phone number is needed, so the business can reach you about this booking."),
    field({ label: "Anything the business should know?", name: "notes", type: "textarea", optional: true, attrs: { maxlength: "2000", rows: "2" } }),
    field({ label: `I accept ${business.name}'s booking terms`, name: "consent.terms", type: "checkbox", required: true,
      hint: cancelPolicy || null }),
    field({ label: `Send me news and offers from ${business.name}`, name: "consent.marketing", type: "checkbox", optional: true,
      hint: "Optional. You can unsubscribe at any time." }),
    submit);
  const stepDetails = h("section", { class: "card book-step", "aria-labelledby": "step-details", hidden: true },
    h("h2", { id: "step-details" }, h("span", { class: "step-number" }, "3"), "Your details"), form);

  function fillStaff() {
    const performers = new Set((choice.service.staff || []).map((p) => p.staff_id));
    const people = staff.filter((s) => performers.has(s.id) && (!choice.locationId || (s.location_ids || []).includes(choice.locationId)));
    if (!people.some((s) => s.id === choice.staffId)) choice.staffId = "";
    staffSelect.replaceChildren(h("option", { value: "" }, "Anyone available"),
      ...people.map((s) => h("option", { value: s.id, selected: s.id === choice.staffId }, s.name)));
    placeSelect.replaceChildren(h("option", { value: "" }, "Any location"),
      ...locations.map((l) => h("option", { value: l.id, selected: l.id === choice.locationId }, l.name)));
  }

  function describeSlot(slot) {
    const parts = [];
    if (!choice.staffId && staffById.get(slot.staff_id)) parts.push(staffById.get(slot.staff_id).name);
    if (locations.length > 1 && !choice.locationId && placeById.get(slot.location_id)) parts.push(placeById.get(slot.location_id).name);
    return parts.join(" · ") || null;
  }

  function newPicker() {
    pickTime(null);
    const query = { service_id: choice.service.id, staff_id: choice.staffId || null, location_id: choice.locationId || null };
    picker = slotPicker({
      today, lastDay, size: WINDOW_DAYS, locale, label: "Free times", describe: describeSlot, onPick: pickTime,
      start: today,
      load: (from, to) => ctx.api.publicAvailability(business.slug, { ...query, from, to }),
    });
    pickerBox.replaceChildren(picker.element);
  }

  function chooseService(service) {
    choice.service = service;
    fillStaff();
    stepTime.hidden = false;
    newPicker();
  }

  function pickTime(slot) {
    choice.slot = slot;
    stepDetails.hidden = !slot;
    if (!slot) return;
    setAlert(timeAlert, null);
    const who = choice.staffId ? ` with ${staffById.get(choice.staffId).name}` : "";
    const where = locations.length > 1 && placeById.get(slot.location_id) ? ` at ${placeById.get(slot.location_id).name}` : "";
    summary.replaceChildren(h("strong", null, choice.service.name), ` · ${formatDateTime(slot.start_at, tz, locale, { weekday: "long", month: "long" })}${who}${where}`,
      h("span", { class: "muted" }, ` (${zoneName(tz)})`));
    submit.textContent = choice.service.requires_confirmation ? "Request this booking" : "Book now";
  }

  staffSelect.addEventListener("change", () => {
    choice.staffId = staffSelect.value;
    newPicker();
  });
  placeSelect.addEventListener("change", () => {
    choice.locationId = placeSelect.value;
    fillStaff();
    newPicker();
  });

  onSubmit(form, alert, async (values) => {
    if (!choice.slot) {
      setAlert(alert, "Choose a time first.");
      return;
    }
    if (Date.now() < coolUntil) {
      setAlert(alert, waitMessage(Math.ceil((coolUntil - Date.now()) / 1000)));
      return;
    }
    const text = (name) => String(values.get(name) || "").trim() || null;
    const body = {
      service_id: choice.service.id, start_at: choice.slot.start_at,
      staff_id: choice.staffId || null, location_id: choice.slot.location_id,
      customer: { name: text("customer.name"), email: text("customer.email"), phone: text("customer.phone") },
      consent: { terms: values.get("consent.terms") === "on", marketing: values.get("consent.marketing") === "on" },
      notes: text("notes"),
    };
    if (!body.consent.terms) { // a required checkbox is never "empty" to the generic check
      setFieldError(form, "consent.terms", "Please accept the booking terms to book.");
      form.querySelector("[name='consent.terms']").focus();
      return;
    }
    if (!body.customer.email && !body.customer.phone) {
      setFieldError(form, "customer.email", "Enter an e-mail address or a phone number.");
      form.querySelector("[name='customer.email']").focus();
      return;
    }
    let answer;
    try {
      answer = await ctx.api.publicBook(business.slug, body, keeper.keyFor(body));
      keeper.settle();
    } catch (err) {
      keeper.settle(err);
      if (err.code === "slot_taken" || err.code === "slot_unavailable") {
        setAlert(alert, null);
        picker.reload(); // hides step 3 (its answers are kept) until a new time is chosen
        setAlert(timeAlert, conflictMessage(err), { tone: "warning" });
        stepTime.scrollIntoView({ block: "start", behavior: "smooth" });
        stepTime.querySelector("h2").focus({ preventScroll: true });
        return;
      }
      if (err.kind === "rate_limited") {
        coolUntil = Date.now() + (err.retryAfter || 30) * 1000;
        setAlert(alert, bookingRefusedForNow(err, business.name));
        return;
      }
      throw err;
    }
    finish(confirmation(answer, { business, service: choice.service, staffName: (staffById.get(answer.appointment.staff_id) || {}).name,
      place: placeById.get(answer.appointment.location_id), tz, locale, email: body.customer.email }));
  }, { busyLabel: "Booking…" });

  const preset = services.find((s) => s.id === ctx.query.get("service"));
  if (preset) {
    serviceList.querySelector(`#service-${CSS.escape(preset.id)}`).checked = true;
    chooseService(preset);
  }

  return [header, stepService, stepTime, stepDetails];
}

/** After booking: confirmed or waiting for the business, and the link to manage it. */
/** Why a booking was refused for now (429): the business is taking no more online bookings this hour
 * (its budget, not the customer's doing), or this device tried too often. */
export function bookingRefusedForNow(err, businessName) {
  if (err.details && err.details.limit === "online_bookings_per_business") {
    return `${businessName} isn't taking more online bookings right now. ${retryWords(err.retryAfter)}`;
  }
  return waitMessage(err.retryAfter);
}

export function manageHref(answer) {
  return `/manage-booking?token=${encodeURIComponent(answer.manage_token)}`;
}

function confirmation(answer, { business, service, staffName, place, tz, locale, email }) {
  const a = answer.appointment;
  const pending = a.status === "pending";
  const href = manageHref(answer);
  const fullLink = new URL(href, window.location.href).href;
  const linkInput = h("input", { type: "text", id: "manage-link", readonly: true, value: fullLink, class: "input-sm" });
  const copy = h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: async () => {
    linkInput.select();
    try {
      await navigator.clipboard.writeText(fullLink);
      copy.textContent = "Copied";
    } catch {
      copy.textContent = "Select and copy";
    }
  } }, "Copy");
  return h("div", { class: `result ${pending ? "result-info" : "result-success"} book-done` },
    h("span", { class: "result-icon", "aria-hidden": "true" }, icon(pending ? ICONS.clock : ICONS.check, { size: 28 })),
    h("h1", { tabindex: "-1" }, pending ? "Booking requested" : "You're booked"),
    h("p", null, pending
      ? `${business.name} will confirm your appointment soon. Until then, the time is held for you.`
      : `See you soon at ${business.name}.`),
    h("dl", { class: "facts facts-center" },
      h("div", { class: "fact" }, h("dt", null, "What"), h("dd", null, service.name)),
      h("div", { class: "fact" }, h("dt", null, "When"), h("dd", null, `${formatDateTime(a.start_at, tz, locale, { weekday: "long", month: "long" })} (${zoneName(tz)})`)),
      staffName ? h("div", { class: "fact" }, h("dt", null, "With"), h("dd", null, staffName)) : null,
      place ? h("div", { class: "fact" }, h("dt", null, "Where"), h("dd", null, place.name, place.address ? h("span", { class: "block muted" }, place.address) : null)) : null,
      h("div", { class: "fact" }, h("dt", null, "Status"), h("dd", null, h("span", { class: `status status-${a.status}` }, pending ? "Waiting for confirmation" : "Confirmed")))),
    email ? h("p", { class: "muted" }, `Details go to ${email}.`) : null,
    h("div", { class: "manage-link field" },
      h("label", { for: "manage-link" }, "Your link to change or cancel this booking"),
      h("div", { class: "input-row" }, linkInput, copy),
      h("p", { class: "hint" }, "Keep it: anyone with this link can change the booking.")),
    h("div", { class: "result-actions" },
      h("a", { href, class: "btn btn-primary" }, "Manage this booking"),
      h("a", { href: `/book/${encodeURIComponent(business.slug)}`, class: "btn btn-secondary" }, "Book another")));
}
