// "/": the overview: who you are, which business and plan, and where to go next (the calendar is
// where members land after logging in).
import { h, icon, ICONS } from "../dom.js";
import { daysUntil, formatDate, planLabel, roleAtLeast, roleDescription, roleLabel } from "../format.js";

const FEATURE_LABELS = {
  whatsapp: "WhatsApp reminders",
  google_calendar: "Google Calendar sync",
  campaigns: "Marketing campaigns",
  intake_forms: "Intake forms",
  analytics: "Analytics",
  custom_templates: "Custom message templates",
};

function greeting(date = new Date()) {
  const hour = date.getHours();
  return hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening";
}

function statCard(label, value, extra, glyph) {
  return h("section", { class: "card stat" },
    h("div", { class: "stat-head" }, h("span", { class: "stat-icon", "aria-hidden": "true" }, icon(glyph, { size: 18 })),
      h("h2", { class: "stat-label" }, label)),
    h("p", { class: "stat-value" }, value),
    extra ? h("div", { class: "stat-extra" }, extra) : null);
}

function limit(value, noun) {
  return value === null || value === undefined ? `Unlimited ${noun}` : `Up to ${value} ${noun}`;
}

export function dashboardPage(ctx) {
  const { user, business, role, plan, features = {} } = ctx.me;
  const firstName = (user.name || "").split(/\s+/)[0];
  const locale = navigator.language;

  let trial = null;
  if (business.trial_ends_at) {
    const days = daysUntil(business.trial_ends_at);
    const date = formatDate(business.trial_ends_at, locale, business.time_zone);
    trial = days !== null && days >= 0
      ? [h("span", { class: ["badge", days <= 3 ? "badge-warning" : "badge-brand"] }, days === 1 ? "1 day left" : `${days} days left`),
        h("span", { class: "muted" }, ` Trial ends ${date}`)]
      : h("span", { class: "muted" }, `Trial ended ${date}`);
  }

  const included = Object.entries(FEATURE_LABELS).filter(([key]) => features[key]).map(([, label]) => label);
  const admin = roleAtLeast(role, "admin");

  return h("div", { class: "page" },
    h("header", { class: "page-header" },
      h("div", null,
        h("h1", { tabindex: "-1" }, `${greeting()}${firstName ? `, ${firstName}` : ""}`),
        h("p", { class: "lead" }, `Here's what's happening at ${business.name}.`))),

    user.email_verified ? null : h("div", { class: "alert alert-warning", role: "note" },
      icon(ICONS.mail, { size: 18, className: "alert-icon" }),
      h("div", { class: "alert-body" },
        h("p", null, h("strong", null, "Confirm your e-mail address. "),
          `We sent a link to ${user.email}. Confirming it keeps your account recoverable.`))),

    h("div", { class: "stats" },
      statCard("Business", business.name,
        h("span", { class: "muted" }, `${business.time_zone.replace(/_/g, " ")} · ${business.currency}`), ICONS.home),
      statCard("Plan", planLabel(plan), trial, ICONS.star),
      statCard("Your role", roleLabel(role), h("span", { class: "muted" }, roleDescription(role)), ICONS.shield)),

    h("div", { class: "columns" },
      h("section", { class: "card placeholder", "aria-labelledby": "today-title" },
        h("span", { class: "placeholder-icon", "aria-hidden": "true" }, icon(ICONS.calendar, { size: 32 })),
        h("h2", { id: "today-title" }, "Your calendar"),
        h("p", { class: "muted" },
          "Every appointment by staff member, day or week, in your business's time zone. Confirm, move or cancel them there, and book new ones."),
        h("div", { class: "placeholder-actions" },
          h("a", { href: "/calendar", class: "btn btn-primary" }, "Open the calendar"),
          h("a", { href: "/settings", class: "btn btn-secondary" }, admin ? "Set up booking rules" : "View business settings"),
          admin ? h("a", { href: "/team", class: "btn btn-secondary" }, "Invite your team") : null)),
      h("section", { class: "card", "aria-labelledby": "plan-title" },
        h("h2", { id: "plan-title", class: "card-title" }, `Included in ${planLabel(plan)}`),
        h("ul", { class: "checklist" },
          h("li", null, icon(ICONS.check, { size: 16 }), limit(features.max_staff, "staff members")),
          h("li", null, icon(ICONS.check, { size: 16 }), limit(features.max_locations, features.max_locations === 1 ? "location" : "locations")),
          included.map((label) => h("li", null, icon(ICONS.check, { size: 16 }), label))))));
}
