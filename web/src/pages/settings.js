// "/settings": the business profile, contact details and booking policy (PATCH /business). Only what
// changed is sent, with the version it was read at: if someone saved in between, the API answers 409
// stale_version and the page offers to reload.
import { h, icon, ICONS } from "../dom.js";
import { field, formAlert, onSubmit, setAlert, setFieldError } from "../forms.js";
import { diffChanges, formatMinutes, roleAtLeast } from "../format.js";
import { currencyOptions, timeZoneOptions } from "../options.js";

const LOCALES = [
  ["en", "English"], ["en-GB", "English (UK)"], ["en-US", "English (US)"], ["de", "Deutsch"], ["fr", "Français"],
  ["es", "Español"], ["it", "Italiano"], ["nl", "Nederlands"], ["pt", "Português"], ["pl", "Polski"], ["sv", "Svenska"],
];

const POLICY = [
  { name: "slot_interval_min", label: "Time slot interval", unit: "min", sr: "minutes", min: 5, max: 240,
    hint: "Customers can start appointments every this many minutes." },
  { name: "min_notice_min", label: "Minimum notice", unit: "min", sr: "minutes", min: 0, max: 129600,
    hint: "How long before an appointment it can still be booked online.", human: true },
  { name: "max_advance_days", label: "Book up to", unit: "days", sr: "days ahead", min: 1, max: 730,
    hint: "How far ahead customers can book." },
  { name: "cancel_cutoff_min", label: "Cancellation cutoff", unit: "min", sr: "minutes", min: 0, max: 129600,
    hint: "Customers can cancel online until this long before the start.", human: true },
  { name: "reschedule_cutoff_min", label: "Reschedule cutoff", unit: "min", sr: "minutes", min: 0, max: 129600,
    hint: "Customers can move an appointment until this long before the start.", human: true },
  { name: "buffer_before_min", label: "Buffer before", unit: "min", sr: "minutes", min: 0, max: 240,
    hint: "Default free time kept before each appointment." },
  { name: "buffer_after_min", label: "Buffer after", unit: "min", sr: "minutes", min: 0, max: 240,
    hint: "Default free time kept after each appointment (cleanup, notes)." },
];

/** The form's values in the API's shape (what PATCH /business takes). */
export function readForm(data) {
  const str = (name) => String(data.get(name) ?? "").trim();
  const orNull = (name) => str(name) || null;
  const int = (name) => {
    const raw = str(name);
    return /^-?\d+$/.test(raw) ? parseInt(raw, 10) : raw === "" ? null : Number(raw);
  };
  const policy = Object.fromEntries(POLICY.map(({ name }) => [name, int(`booking_policy.${name}`)]));
  policy.auto_confirm = data.get("booking_policy.auto_confirm") === "on";
  return {
    name: str("name"),
    slug: str("slug").toLowerCase(),
    time_zone: str("time_zone"),
    currency: str("currency"),
    locale: str("locale"),
    contact: {
      email: orNull("contact.email"),
      phone: orNull("contact.phone"),
      website: orNull("contact.website"),
      address: orNull("contact.address"),
    },
    booking_policy: policy,
  };
}

function section(title, description, ...fields) {
  const id = `s-${title.toLowerCase().replace(/\W+/g, "-")}`;
  return h("section", { class: "card form-section", "aria-labelledby": id },
    h("div", { class: "form-section-intro" },
      h("h2", { id }, title),
      h("p", { class: "muted" }, description)),
    h("div", { class: "form-section-fields" }, fields));
}

function policyField(spec, value) {
  const wrapper = field({
    label: spec.label, name: `booking_policy.${spec.name}`, type: "number", value, required: true,
    suffix: spec.unit, srSuffix: spec.sr, hint: spec.hint,
    attrs: { min: String(spec.min), max: String(spec.max), step: "1", inputmode: "numeric" },
  });
  if (spec.human) {
    // "1440 min" is hard to read: say it in days and hours too.
    const input = wrapper.querySelector("input");
    const human = h("span", { class: "input-human", "aria-hidden": "true" });
    const update = () => {
      const n = Number(input.value);
      human.textContent = input.value !== "" && n >= 60 ? `= ${formatMinutes(n)}` : "";
    };
    input.addEventListener("input", update);
    update();
    wrapper.querySelector(".input-group").after(human);
  }
  return wrapper;
}

function buildForm(business, readOnly) {
  const c = business.contact || {};
  const p = business.booking_policy || {};
  const fields = h("fieldset", { class: "stack-lg", disabled: readOnly },
    h("legend", { class: "sr-only" }, "Business settings"),
    section("Business profile", "How your business appears to customers on its booking page.",
      field({ label: "Business name", name: "name", value: business.name, required: true, attrs: { maxlength: "120" } }),
      field({ label: "Booking page address", name: "slug", value: business.slug, required: true,
        hint: "3–63 lower-case letters, digits and hyphens. Changing it breaks links you've already shared.",
        attrs: { autocapitalize: "none", spellcheck: "false" } }),
      h("div", { class: "grid-2" },
        field({ label: "Time zone", name: "time_zone", type: "select", value: business.time_zone, required: true,
          options: timeZoneOptions(business.time_zone) }),
        field({ label: "Currency", name: "currency", type: "select", value: business.currency, required: true,
          options: currencyOptions(business.currency) })),
      field({ label: "Language of messages to customers", name: "locale", type: "select", value: business.locale,
        options: LOCALES.concat(LOCALES.some(([v]) => v === business.locale) ? [] : [[business.locale, business.locale]])
          .map(([value, label]) => ({ value, label })) })),
    section("Contact", "Shown to customers and used in confirmations. Leave a field empty to hide it.",
      h("div", { class: "grid-2" },
        field({ label: "E-mail", name: "contact.email", type: "email", value: c.email, optional: true,
          attrs: { autocapitalize: "none", spellcheck: "false" } }),
        field({ label: "Phone", name: "contact.phone", type: "tel", value: c.phone, optional: true,
          attrs: { placeholder: "+44 20 7946 0000" } })),
      field({ label: "Website", name: "contact.website", type: "url", value: c.website, optional: true,
        attrs: { placeholder: "https://", autocapitalize: "none", spellcheck: "false" } }),
      field({ label: "Address", name: "contact.address", type: "textarea", value: c.address, optional: true,
        attrs: { maxlength: "300", rows: "2" } })),
    section("Booking policy", "The rules online bookings follow. Staff can still book anything by hand.",
      h("div", { class: "grid-2" }, POLICY.map((spec) => policyField(spec, p[spec.name]))),
      field({ label: "Confirm new bookings automatically", name: "booking_policy.auto_confirm", type: "checkbox",
        value: p.auto_confirm, hint: "Otherwise each new booking waits for someone on the team to accept it." })));
  return fields;
}

export function settingsPage(ctx) {
  const readOnly = !roleAtLeast(ctx.me.role, "admin");
  const alert = formAlert();
  const body = h("div", { class: "settings-body" }, h("div", { class: "loading", role: "status" },
    h("span", { class: "spinner", "aria-hidden": "true" }), "Loading settings…"));
  const page = h("div", { class: "page" },
    h("header", { class: "page-header" },
      h("div", null,
        h("h1", { tabindex: "-1" }, "Settings"),
        h("p", { class: "lead" }, readOnly
          ? "Your business's profile and booking rules. Only admins and owners can change them."
          : "Your business's profile, contact details and booking rules."))),
    alert, body);

  let original = null; // the business as last read or saved
  let version = null;

  async function load() {
    setAlert(alert, null);
    try {
      const business = await ctx.api.getBusiness();
      show(business);
    } catch (err) {
      if (err.kind === "session_expired") return;
      body.replaceChildren();
      setAlert(alert, err.message, { actions: [h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: load }, "Try again")] });
    }
  }

  function show(business) {
    original = readFormFrom(business);
    version = business.version;
    const status = h("span", { class: "save-status", "aria-live": "polite" });
    const save = h("button", { type: "submit", class: "btn btn-primary" }, "Save changes");
    const discard = h("button", { type: "button", class: "btn btn-ghost", onClick: () => show(business) }, "Discard");
    const form = h("form", { class: "settings-form", "aria-label": "Business settings" },
      buildForm(business, readOnly),
      readOnly ? null : h("div", { class: "save-bar" }, h("div", { class: "save-bar-inner" }, status, discard, save)));
    const refreshDirty = () => {
      const dirty = Object.keys(diffChanges(original, readForm(new FormData(form)))).length > 0;
      status.textContent = dirty ? "Unsaved changes" : "";
      form.classList.toggle("is-dirty", dirty);
    };
    form.addEventListener("input", refreshDirty);
    form.addEventListener("change", refreshDirty);

    onSubmit(form, alert, async (data) => {
      const edited = readForm(data);
      for (const spec of POLICY) {
        const v = edited.booking_policy[spec.name];
        if (v === null || Number.isNaN(v)) {
          setFieldError(form, `booking_policy.${spec.name}`, "Enter a whole number.");
          form.querySelector(`[name="booking_policy.${spec.name}"]`).focus();
          return;
        }
      }
      const changes = diffChanges(original, edited);
      if (!Object.keys(changes).length) {
        ctx.toast("Nothing to save: no changes.", { tone: "info" });
        return;
      }
      let saved;
      try {
        saved = await ctx.api.updateBusiness({ ...changes, version });
      } catch (err) {
        if (err.code === "stale_version") {
          setAlert(alert, "These settings were changed elsewhere (in another tab or by a colleague) since you opened them. Reload to see the latest version; your unsaved changes will be lost.", {
            tone: "warning",
            actions: [h("button", { type: "button", class: "btn btn-secondary btn-sm", onClick: load },
              icon(ICONS.refresh, { size: 16 }), h("span", null, "Reload settings"))],
          });
          alert.scrollIntoView({ block: "center", behavior: "smooth" });
          return;
        }
        if (err.code === "slug_taken") {
          setFieldError(form, "slug", "Another business already uses this address; choose another one.");
          form.querySelector("[name=slug]").focus();
          return;
        }
        throw err;
      }
      ctx.me.business = saved;
      const topbarName = document.querySelector(".topbar-business");
      if (topbarName) topbarName.textContent = saved.name;
      show(saved);
      ctx.toast("Settings saved.");
    }, { busyLabel: "Saving…" });

    body.replaceChildren(form);
  }

  load();
  return page;
}

/** The business as the form would read it, to compare against (null contact fields stay null). */
function readFormFrom(business) {
  const c = business.contact || {};
  return {
    name: business.name,
    slug: business.slug,
    time_zone: business.time_zone,
    currency: business.currency,
    locale: business.locale,
    contact: { email: c.email ?? null, phone: c.phone ?? null, website: c.website ?? null, address: c.address ?? null },
    booking_policy: { ...business.booking_policy },
  };
}
