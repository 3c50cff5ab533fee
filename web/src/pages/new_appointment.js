// "New appointment" (from the calendar): a service, optionally a staff member and a place, a free time
// from GET /availability and a customer found by search, then POST /appointments with an
// Idempotency-Key, so a double click or a retry after a lost answer books once.
import { bookableServices, performersOf } from "../calendar_data.js";
import { openDialog } from "../dialog.js";
import { h } from "../dom.js";
import { field, formAlert, onSubmit, setAlert } from "../forms.js";
import { formatMinutes } from "../format.js";
import { createKeyKeeper } from "../idempotency.js";
import { slotPicker } from "../slot_picker.js";
import { conflictMessage } from "../status.js";
import { formatDateTime, localDate, todayIn } from "../zoned.js";

const SEARCH_DELAY_MS = 250;

export function openNewAppointment(ctx, { data, timeZone, locale, date, onlyStaffId = null, onBooked = () => {} }) {
  const services = bookableServices([...data.ref.services.values()]);
  const places = [...data.ref.locations.values()].filter((l) => !l.archived);
  const dialog = openDialog({ title: "New appointment", className: "dialog-new" });
  if (!services.length) {
    dialog.setContent(h("p", null, "There is no bookable service yet. Add a service, and the staff who perform it, first."));
    return dialog;
  }

  const keeper = createKeyKeeper();
  const alert = formAlert();
  let slot = null;
  let customer = null;
  let picker = null;

  // --- what, who, where ----------------------------------------------------------------------------
  const serviceField = field({ label: "Service", name: "service_id", type: "select", required: true,
    options: [{ value: "", label: "Choose a service" }, ...services.map((s) => ({ value: s.id, label: `${s.name} · ${formatMinutes(s.duration_min)}` }))] });
  const staffField = field({ label: "Staff member", name: "staff_id", type: "select", options: [] });
  const placeField = places.length > 1
    ? field({ label: "Location", name: "location_id", type: "select",
      options: [{ value: "", label: "Any location" }, ...places.map((l) => ({ value: l.id, label: l.name }))] })
    : null;
  const serviceSelect = serviceField.querySelector("select");
  const staffSelect = staffField.querySelector("select");
  const placeSelect = placeField && placeField.querySelector("select");
  const slotsBox = h("div", { class: "new-slots" }, h("p", { class: "muted" }, "Choose a service to see the free times."));
  const chosen = h("p", { class: "appt-choice", "aria-live": "polite" });

  function fillStaff() {
    const service = data.ref.services.get(serviceSelect.value);
    let people = service ? performersOf(service, data.ref.staff) : [];
    if (onlyStaffId) people = people.filter((s) => s.id === onlyStaffId);
    const options = onlyStaffId ? [] : [{ value: "", label: "Anyone available" }];
    staffSelect.replaceChildren(...[...options, ...people.map((s) => ({ value: s.id, label: s.name }))]
      .map((o) => h("option", { value: o.value }, o.label)));
    staffSelect.disabled = !service;
  }

  function choose(next) {
    slot = next;
    chosen.textContent = slot
      ? `${formatDateTime(slot.start_at, timeZone, locale)} with ${data.names.staff(slot.staff_id)}${places.length > 1 ? ` at ${data.names.location(slot.location_id)}` : ""}.`
      : "";
  }

  function newPicker() {
    choose(null);
    const serviceId = serviceSelect.value;
    if (!serviceId) {
      picker = null;
      slotsBox.replaceChildren(h("p", { class: "muted" }, "Choose a service to see the free times."));
      return;
    }
    const todayDate = todayIn(timeZone);
    const query = { service_id: serviceId, staff_id: staffSelect.value || null, location_id: placeSelect ? placeSelect.value || null : null };
    picker = slotPicker({
      size: 7, locale, today: todayDate, start: date < todayDate ? todayDate : date, label: "Free times",
      load: (from, to) => ctx.api.availability({ ...query, from, to }),
      describe: (s) => [query.staff_id ? null : data.names.staff(s.staff_id), places.length > 1 && !query.location_id ? data.names.location(s.location_id) : null]
        .filter(Boolean).join(" · ") || null,
      onPick: choose,
    });
    slotsBox.replaceChildren(picker.element);
  }

  serviceSelect.addEventListener("change", () => {
    fillStaff();
    newPicker();
  });
  staffSelect.addEventListener("change", newPicker);
  if (placeSelect) placeSelect.addEventListener("change", newPicker);
  fillStaff();

  // --- who for -----------------------------------------------------------------------------------
  const search = h("input", { type: "search", id: "customer-search", autocomplete: "off", spellcheck: "false",
    placeholder: "Name, e-mail or phone", "aria-describedby": "customer-search-hint f-customer_id-error" });
  const results = h("div", { class: "customer-results" });
  const searchStatus = h("p", { class: "hint", id: "customer-search-hint", role: "status", "aria-live": "polite" },
    "Type at least 2 letters to find a customer.");
  let searchTimer = null;
  let searchTicket = 0;

  function drawResults(items) {
    results.replaceChildren(...items.map((c) => {
      const id = `customer-${c.id}`;
      return h("div", { class: "check-row customer-option" },
        h("input", { type: "radio", name: "customer_id", id, value: c.id, checked: customer && customer.id === c.id,
          onChange: () => {
            customer = c;
            data.remember(c);
          } }),
        h("label", { for: id }, h("span", null, c.name),
          h("span", { class: "muted customer-contact" }, [c.email, c.phone].filter(Boolean).join(" · "))));
    }));
  }

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    const q = search.value.trim();
    if (q.length < 2) {
      searchTicket += 1;
      searchStatus.textContent = "Type at least 2 letters to find a customer.";
      drawResults(customer ? [customer] : []);
      return;
    }
    searchTimer = setTimeout(async () => {
      const mine = ++searchTicket;
      searchStatus.textContent = "Searching…";
      try {
        const { items } = await ctx.api.searchCustomers(q, 8);
        if (mine !== searchTicket) return;
        const list = customer && !items.some((c) => c.id === customer.id) ? [customer, ...items] : items;
        drawResults(list);
        searchStatus.textContent = items.length ? `${items.length === 1 ? "1 customer" : `${items.length} customers`} found.`
          : `No customer matches “${q}”.`;
      } catch (err) {
        if (mine === searchTicket) searchStatus.textContent = `Couldn't search. ${err.message}`;
      }
    }, SEARCH_DELAY_MS);
  });

  const customerField = h("fieldset", { class: "field", "data-field": "customer_id" },
    h("legend", { class: "field-legend" }, "Customer"),
    h("label", { for: "customer-search", class: "sr-only" }, "Find a customer"),
    search, searchStatus, results,
    h("p", { class: "field-error", id: "f-customer_id-error", hidden: true }));

  // --- booking -----------------------------------------------------------------------------------
  const form = h("form", { class: "stack", "aria-label": "New appointment" },
    alert,
    serviceField,
    h("div", { class: placeField ? "grid-2" : null }, staffField, placeField),
    h("div", { class: "field" }, h("span", { class: "field-label" }, "Time"), slotsBox, chosen),
    customerField,
    field({ label: "Notes for the appointment", name: "notes", type: "textarea", optional: true, attrs: { maxlength: "2000", rows: "2" } }),
    field({ label: "Internal notes", name: "internal_notes", type: "textarea", optional: true, attrs: { maxlength: "2000", rows: "2" },
      hint: "Only the team sees these." }),
    h("div", { class: "form-buttons" },
      h("button", { type: "submit", class: "btn btn-primary" }, "Book appointment"),
      h("button", { type: "button", class: "btn btn-ghost", onClick: () => dialog.close() }, "Cancel")));

  onSubmit(form, alert, async (values) => {
    if (!slot) {
      setAlert(alert, "Choose a free time first.");
      (slotsBox.querySelector("button[aria-pressed], select, button") || serviceSelect).focus();
      return;
    }
    if (!customer) {
      const error = customerField.querySelector(".field-error");
      error.textContent = "Find and choose the customer.";
      error.hidden = false;
      customerField.classList.add("has-error");
      search.focus();
      return;
    }
    const text = (name) => String(values.get(name) || "").trim() || null;
    const body = {
      service_id: serviceSelect.value, customer_id: customer.id, start_at: slot.start_at,
      staff_id: slot.staff_id, location_id: slot.location_id, notes: text("notes"), internal_notes: text("internal_notes"),
    };
    let booked;
    try {
      booked = await ctx.api.createAppointment(body, keeper.keyFor(body));
      keeper.settle();
    } catch (err) {
      keeper.settle(err);
      if (err.code === "slot_taken" || err.code === "slot_unavailable") {
        setAlert(alert, conflictMessage(err), { tone: "warning" });
        if (picker) picker.reload();
        return;
      }
      throw err;
    }
    dialog.close();
    ctx.toast(`Booked: ${data.names.service(booked.service_id)} for ${data.names.customer(booked.customer_id)}, ${formatDateTime(booked.start_at, timeZone, locale)}.`);
    onBooked(booked, localDate(booked.start_at, timeZone));
  }, { busyLabel: "Booking…" });

  dialog.setContent(form);
  return dialog;
}
