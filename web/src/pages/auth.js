// The pages before (and around) signing in: log in, sign up, forgotten and reset password, e-mail
// confirmation and joining a team by invitation.
import { h, icon, ICONS } from "../dom.js";
import { field, formAlert, onSubmit, passwordField, setAlert, setFieldError } from "../forms.js";
import { browserTimeZone, currencyOptions, guessCurrency, timeZoneOptions } from "../options.js";
import { HOME, safeNext } from "../router.js";

const PASSWORD_HINT = "At least 10 characters. A short sentence is easy to remember and hard to guess.";

function heading(title, lead) {
  return [h("h1", { tabindex: "-1" }, title), lead ? h("p", { class: "lead" }, lead) : null];
}

function text(data, name) {
  return String(data.get(name) ?? "").trim();
}

function resultPanel({ tone = "success", title, body, actions = [] }) {
  const glyph = tone === "success" ? ICONS.check : tone === "info" ? ICONS.mail : ICONS.alert;
  return h("div", { class: `result result-${tone}` },
    h("span", { class: "result-icon", "aria-hidden": "true" }, icon(glyph, { size: 28 })),
    h("h1", { tabindex: "-1" }, title),
    [body].flat().map((p) => h("p", null, p)),
    actions.length ? h("div", { class: "result-actions" }, actions) : null);
}

/** Replace a page's content with a result panel and move focus to its heading (for screen readers). */
function showResult(container, panel) {
  container.replaceChildren(panel);
  const title = panel.querySelector("h1");
  if (title) title.focus();
}

function missingToken(what) {
  return resultPanel({
    tone: "error",
    title: "This link is incomplete",
    body: `The ${what} link is missing its token. Open it again from the e-mail, copying the whole address.`,
    actions: [h("a", { href: "/login", class: "btn btn-secondary" }, "Back to log in")],
  });
}

// --- /login --------------------------------------------------------------------------------

export function loginPage(ctx) {
  const alert = formAlert();
  const form = h("form", { class: "stack", "aria-label": "Log in" },
    field({ label: "E-mail", name: "email", type: "email", autocomplete: "username", required: true,
      attrs: { autocapitalize: "none", spellcheck: "false" } }),
    passwordField({ autocomplete: "current-password" }),
    h("div", { class: "row-end" }, h("a", { href: "/forgot-password", class: "link-sm" }, "Forgot your password?")),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Log in"));
  if (ctx.query.get("expired")) {
    setAlert(alert, "Your session has ended. Please log in again.", { tone: "info" });
  }
  onSubmit(form, alert, async (data) => {
    await ctx.api.login(text(data, "email"), String(data.get("password")));
    ctx.forgetMe();
    await ctx.navigate(safeNext(ctx.query.get("next"), HOME), { replace: true });
  }, { busyLabel: "Logging in…" });
  return h("div", { class: "page-auth" },
    heading("Welcome back", "Log in to manage your bookings, team and settings."),
    alert, form,
    h("p", { class: "switch" }, "New to Booking? ", h("a", { href: "/signup" }, "Start a free trial")));
}

// --- /signup -------------------------------------------------------------------------------

function slugify(name) {
  return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50).replace(/-+$/, "");
}

export function signupPage(ctx) {
  const alert = formAlert();
  const zone = browserTimeZone();
  const slug = field({ label: "Booking page address", name: "slug", optional: true,
    hint: "Lower-case letters, digits and hyphens. Leave it empty and we'll make one from the business name.",
    attrs: { autocapitalize: "none", spellcheck: "false", placeholder: "e.g. bella-hair-studio" } });
  const businessName = field({ label: "Business name", name: "business_name", required: true,
    autocomplete: "organization", attrs: { maxlength: "120" } });
  const slugInput = slug.querySelector("input");
  businessName.querySelector("input").addEventListener("input", (e) => {
    const suggestion = slugify(e.target.value);
    slugInput.placeholder = suggestion.length >= 3 ? suggestion : "e.g. bella-hair-studio";
  });
  const form = h("form", { class: "stack", "aria-label": "Create your account" },
    h("fieldset", { class: "stack" },
      h("legend", null, "Your business"),
      businessName,
      h("div", { class: "grid-2" },
        field({ label: "Time zone", name: "time_zone", type: "select", value: zone, required: true,
          options: timeZoneOptions(zone), hint: "Appointment times are shown in this zone." }),
        field({ label: "Currency", name: "currency", type: "select", value: guessCurrency(), required: true,
          options: currencyOptions(), hint: "Used for prices and payments." })),
      slug),
    h("fieldset", { class: "stack" },
      h("legend", null, "You"),
      field({ label: "Your name", name: "owner_name", required: true, autocomplete: "name", attrs: { maxlength: "120" } }),
      field({ label: "E-mail", name: "email", type: "email", required: true, autocomplete: "email",
        attrs: { autocapitalize: "none", spellcheck: "false" } }),
      passwordField({ autocomplete: "new-password", hint: PASSWORD_HINT })),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Create account"),
    h("p", { class: "fine-print" }, "Your 14-day trial includes every Pro feature. No card needed."));

  onSubmit(form, alert, async (data) => {
    const body = {
      business_name: text(data, "business_name"),
      owner_name: text(data, "owner_name"),
      email: text(data, "email"),
      password: String(data.get("password")),
      time_zone: String(data.get("time_zone")),
      currency: String(data.get("currency")),
    };
    const wantedSlug = text(data, "slug").toLowerCase();
    if (wantedSlug) body.slug = wantedSlug;
    let answer;
    try {
      answer = await ctx.api.signup(body);
    } catch (err) {
      if (err.code === "slug_taken") {
        setFieldError(form, "slug", "Another business already uses this address; try another one.");
      }
      if (err.code === "email_taken") setFieldError(form, "email", "This address already has an account.");
      throw err;
    }
    ctx.forgetMe();
    await ctx.navigate("/", { replace: true });
    ctx.toast(`Welcome to Booking! We sent a confirmation link to ${answer.user.email}.`);
  }, { busyLabel: "Creating your account…" });

  return h("div", { class: "page-auth" },
    heading("Start your free trial", "Set up your business in a minute. You can change everything later."),
    alert, form,
    h("p", { class: "switch" }, "Already have an account? ", h("a", { href: "/login" }, "Log in")));
}

// --- /forgot-password --------------------------------------------------------------------------

export function forgotPage(ctx) {
  const alert = formAlert();
  const form = h("form", { class: "stack", "aria-label": "Reset your password" },
    field({ label: "E-mail", name: "email", type: "email", autocomplete: "email", required: true,
      attrs: { autocapitalize: "none", spellcheck: "false" } }),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Send reset link"));
  const container = h("div", { class: "page-auth" },
    heading("Forgot your password?", "Enter the address you log in with and we'll e-mail you a link to choose a new one."),
    alert, form,
    h("p", { class: "switch" }, h("a", { href: "/login" }, "Back to log in")));
  onSubmit(form, alert, async (data) => {
    const email = text(data, "email");
    await ctx.api.forgotPassword(email);
    showResult(container, resultPanel({
      tone: "info",
      title: "Check your inbox",
      body: [`If an account exists for ${email}, we've sent it a link to reset the password.`,
        "The link works once and expires in one hour. Nothing arrived? Check your spam folder."],
      actions: [h("a", { href: "/login", class: "btn btn-secondary" }, "Back to log in")],
    }));
  }, { busyLabel: "Sending…" });
  return container;
}

// --- /reset-password?token=… ---------------------------------------------------------------------

export function resetPage(ctx) {
  const token = ctx.query.get("token");
  if (!token) return missingToken("password reset");
  const alert = formAlert();
  const form = h("form", { class: "stack", "aria-label": "Choose a new password" },
    passwordField({ label: "New password", autocomplete: "new-password", hint: PASSWORD_HINT }),
    passwordField({ label: "Repeat the new password", name: "confirm", autocomplete: "new-password" }),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Set new password"));
  const container = h("div", { class: "page-auth" },
    heading("Choose a new password", "After this, every device that was logged in will need to log in again."),
    alert, form);
  onSubmit(form, alert, async (data) => {
    const password = String(data.get("password"));
    if (password !== String(data.get("confirm"))) {
      setFieldError(form, "confirm", "The two passwords are not the same.");
      form.querySelector("[name=confirm]").focus();
      return;
    }
    try {
      await ctx.api.resetPassword(token, password);
    } catch (err) {
      if (err.code === "invalid_token") {
        setAlert(alert, err.message, { actions: [h("a", { href: "/forgot-password", class: "btn btn-secondary btn-sm" }, "Send a new link")] });
        return;
      }
      throw err;
    }
    ctx.api.session.clear(); // the server ended every session
    ctx.forgetMe();
    showResult(container, resultPanel({
      title: "Your password is changed",
      body: "Log in with your new password to continue.",
      actions: [h("a", { href: "/login", class: "btn btn-primary" }, "Log in")],
    }));
  }, { busyLabel: "Saving…" });
  return container;
}

// --- /verify-email?token=… -------------------------------------------------------------------

// A link works once: coming back to the page (history, re-render) shows the first answer again.
const verifications = new Map();

export function verifyPage(ctx) {
  const token = ctx.query.get("token");
  if (!token) return missingToken("confirmation");
  const container = h("div", { class: "page-auth", "aria-live": "polite" },
    h("div", { class: "result" },
      h("span", { class: "spinner spinner-lg", "aria-hidden": "true" }),
      h("h1", { tabindex: "-1" }, "Confirming your e-mail address…")));
  if (!verifications.has(token)) verifications.set(token, ctx.api.verifyEmail(token).then(() => null, (err) => err));
  verifications.get(token).then((err) => {
    const next = ctx.api.session.isLoggedIn()
      ? h("a", { href: "/", class: "btn btn-primary" }, "Go to the dashboard")
      : h("a", { href: "/login", class: "btn btn-primary" }, "Log in");
    if (!err) {
      ctx.forgetMe(); // the dashboard shows the address as confirmed now
      showResult(container, resultPanel({
        title: "Your e-mail address is confirmed",
        body: "Thank you! You'll receive booking notifications and account messages at this address.",
        actions: [next],
      }));
      return;
    }
    const invalid = err.code === "invalid_token";
    showResult(container, resultPanel({
      tone: "error",
      title: invalid ? "This link has expired or was already used" : "We couldn't confirm your address",
      body: invalid
        ? "If your address is already confirmed there's nothing more to do. Otherwise, log in to ask for a new link."
        : err.message,
      actions: [next],
    }));
  });
  return container;
}

// --- /accept-invitation?token=… ----------------------------------------------------------------

export function acceptPage(ctx) {
  const token = ctx.query.get("token");
  if (!token) return missingToken("invitation");
  const alert = formAlert();
  const form = h("form", { class: "stack", "aria-label": "Join the team" },
    field({ label: "Your name", name: "name", required: true, autocomplete: "name", attrs: { maxlength: "120" },
      hint: "How your colleagues and customers will see you." }),
    passwordField({ autocomplete: "new-password",
      hint: "Choose a password (at least 10 characters). Already have a Booking account with this address? Enter its password instead." }),
    h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Join the team"));
  onSubmit(form, alert, async (data) => {
    try {
      await ctx.api.acceptInvitation(token, text(data, "name"), String(data.get("password")));
    } catch (err) {
      if (err.code === "invalid_credentials") {
        setFieldError(form, "password", err.message);
        form.querySelector("[name=password]").focus();
        return;
      }
      if (err.code === "invalid_token") {
        setAlert(alert, "This invitation has expired or was already used. Ask the person who invited you to send a new one.");
        return;
      }
      throw err;
    }
    ctx.forgetMe();
    await ctx.navigate("/", { replace: true });
    ctx.toast("Welcome to the team!");
  }, { busyLabel: "Joining…" });
  return h("div", { class: "page-auth" },
    heading("You're invited", "Set up your account to join your team on Booking."),
    alert, form);
}
