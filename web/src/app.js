// The application: wires the API client, the router and the pages, and draws the two layouts (the
// public card for sign-in pages, the shell with navigation once signed in).
import { API_BASE } from "/config.js";
import { createApi, STORAGE_KEY } from "./api.js";
import { closeAllDialogs } from "./dialog.js";
import { h, clear, icon, ICONS } from "./dom.js";
import { planLabel, roleAtLeast, roleLabel } from "./format.js";
import { createRouter, HOME, safeNext } from "./router.js";
import { routes } from "./routes.js";

const root = document.getElementById("app");
const toasts = document.getElementById("toasts");

const state = { me: null, renders: 0, firstRender: true };

const api = createApi({
  baseUrl: API_BASE,
  onSessionExpired: () => {
    state.me = null;
    const { pathname, search } = window.location;
    const next = pathname === "/login" ? "/" : pathname + search;
    router.navigate(`/login?expired=1&next=${encodeURIComponent(next)}`, { replace: true });
  },
});

const router = createRouter({ routes, onRoute: render });

// --- small shared services for pages -----------------------------------------------------------

function toast(message, { tone = "success", timeout = 4000 } = {}) {
  const item = h("div", { class: `toast toast-${tone}`, role: "status" },
    icon(tone === "success" ? ICONS.check : ICONS.alert, { size: 18 }), h("span", null, message));
  toasts.append(item);
  setTimeout(() => {
    item.classList.add("toast-leaving");
    setTimeout(() => item.remove(), 300);
  }, timeout);
}

async function loadMe() {
  state.me = await api.me();
  return state.me;
}

function brand() {
  return h("a", { href: "/", class: "brand" },
    h("span", { class: "brand-mark", "aria-hidden": "true" }, icon(ICONS.calendar, { size: 20 })),
    h("span", { class: "brand-name" }, "Booking"));
}

// --- layouts ------------------------------------------------------------------------------------

function publicLayout(page, { wide = false } = {}) {
  return h("div", { class: "public-layout" },
    h("aside", { class: "public-aside" },
      h("div", { class: "public-aside-inner" },
        brand(),
        h("div", { class: "public-pitch" },
          h("p", { class: "pitch-title" }, "Appointments that run themselves."),
          h("ul", { class: "pitch-list" },
            h("li", null, icon(ICONS.calendar), "Online booking for salons, clinics and studios"),
            h("li", null, icon(ICONS.clock), "Reminders, buffers and cancellation rules built in"),
            h("li", null, icon(ICONS.team), "Your whole team, each with their own calendar"))),
        h("p", { class: "public-foot" }, "14-day free trial · no card needed"))),
    h("main", { id: "main", class: "public-main", tabindex: "-1" },
      h("div", { class: "public-brand-mobile" }, brand()),
      h("div", { class: ["card", "public-card", wide && "public-card-wide"] }, page)));
}

/** A customer's page (booking, manage link): the business is the subject, not our product's pitch. */
function customerLayout(page) {
  return h("div", { class: "customer-layout" },
    h("main", { id: "main", class: "customer-main", tabindex: "-1" }, h("div", { class: "customer-card" }, page)),
    h("footer", { class: "customer-foot" }, "Online booking by ", h("strong", null, "Booking")));
}

function navLink(href, label, glyph, current) {
  return h("a", { href, class: "nav-link", "aria-current": current ? "page" : null }, icon(glyph), h("span", null, label));
}

function appLayout(page, path) {
  const me = state.me;
  const admin = roleAtLeast(me.role, "admin");
  const logout = h("button", {
    type: "button", class: "btn btn-ghost btn-sm",
    onClick: async () => {
      logout.disabled = true;
      await api.logout();
      state.me = null;
      await router.navigate("/login", { replace: true });
      toast("You have been logged out.");
    },
  }, icon(ICONS.logout, { size: 16 }), h("span", null, "Log out"));
  const initials = (me.user.name || me.user.email).split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
  return h("div", { class: "app-layout" },
    h("header", { class: "topbar" },
      h("div", { class: "topbar-inner" },
        brand(),
        h("span", { class: "topbar-business", title: me.business.name }, me.business.name),
        h("nav", { class: "nav", "aria-label": "Main" },
          navLink("/calendar", "Calendar", ICONS.calendar, path === "/calendar"),
          navLink("/", "Dashboard", ICONS.home, path === "/"),
          navLink("/settings", "Settings", ICONS.settings, path === "/settings" || path.startsWith("/settings/")),
          admin ? navLink("/team", "Team", ICONS.team, path === "/team") : null),
        h("div", { class: "topbar-user" },
          h("span", { class: "avatar", "aria-hidden": "true" }, initials),
          h("span", { class: "user-meta" },
            h("span", { class: "user-name" }, me.user.name || me.user.email),
            h("span", { class: "user-role" }, `${roleLabel(me.role)} · ${planLabel(me.plan)}`)),
          logout))),
    h("main", { id: "main", class: "app-main", tabindex: "-1" }, settingsTabs(path), page));
}

// The settings area's pages, as tabs above each of them (the top bar has one "Settings" link).
const SETTINGS_TABS = [["/settings", "Business"], ["/settings/notifications", "Notifications"]];

function settingsTabs(path) {
  if (!SETTINGS_TABS.some(([href]) => href === path)) return null;
  return h("nav", { class: "subnav", "aria-label": "Settings" }, SETTINGS_TABS.map(([href, label]) =>
    h("a", { href, class: "subnav-link", "aria-current": href === path ? "page" : null }, label)));
}

function loadingView(label = "Loading…") {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), label);
}

function errorView(err, retry) {
  return h("div", { class: "empty-state" },
    h("h1", { tabindex: "-1" }, "We couldn't load this page"),
    h("p", null, err && err.message ? err.message : "Something went wrong."),
    h("button", { type: "button", class: "btn btn-primary", onClick: retry }, "Try again"));
}

// --- routing ------------------------------------------------------------------------------------

async function render(match) {
  const ticket = ++state.renders;
  const isCurrent = () => ticket === state.renders;
  const { route, params, query, url, path } = match;
  const loggedIn = api.session.isLoggedIn();
  closeAllDialogs(); // a panel of the page we are leaving

  if (route && route.auth && !loggedIn) {
    return router.navigate(`/login?next=${encodeURIComponent(url)}`, { replace: true });
  }
  if (route && route.guestOnly && loggedIn) {
    return router.navigate(safeNext(query.get("next"), HOME), { replace: true });
  }

  const ctx = {
    api, params, query, toast, isCurrent,
    navigate: (to, options) => router.navigate(to, options),
    get me() {
      return state.me;
    },
    reloadMe: loadMe,
    forgetMe: () => {
      state.me = null;
    },
  };

  let view;
  if (route ? route.auth : loggedIn) { // signed-in pages, and "not found" for a signed-in user, get the shell
    if (!state.me) {
      clear(root).append(h("div", { class: "boot" }, loadingView()));
      try {
        await loadMe();
      } catch (err) {
        if (!isCurrent() || err.kind === "session_expired") return;
        clear(root).append(h("main", { id: "main", class: "boot" }, errorView(err, () => render(router.current()))));
        return;
      }
      if (!isCurrent()) return;
    }
    const allowed = !route || !route.role || roleAtLeast(state.me.role, route.role);
    const page = !route ? notFoundView(true) : allowed ? route.page(ctx) : forbiddenView(route);
    view = appLayout(page, path);
  } else if (route && route.layout === "customer") {
    view = customerLayout(route.page(ctx));
  } else {
    view = publicLayout(route ? route.page(ctx) : notFoundView(false), route || {});
  }
  if (!isCurrent()) return;

  document.title = `${route ? route.title : "Page not found"} · Booking`;
  clear(root).append(view);
  if (!state.firstRender) {
    const heading = root.querySelector("h1");
    (heading || root.querySelector("#main")).focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }
  state.firstRender = false;
}

function forbiddenView(route) {
  return h("div", { class: "empty-state" },
    icon(ICONS.shield, { size: 40, className: "empty-icon" }),
    h("h1", { tabindex: "-1" }, "Not available for your role"),
    h("p", null, `${route.title} is managed by the business's admins and owners. Ask one of them if you need a change.`),
    h("a", { href: "/", class: "btn btn-secondary" }, "Back to the dashboard"));
}

function notFoundView(loggedIn) {
  return h("div", { class: "empty-state" },
    h("h1", { tabindex: "-1" }, "Page not found"),
    h("p", null, "The address may be mistyped, or the page has moved."),
    h("a", { href: loggedIn ? "/" : "/login", class: "btn btn-primary" }, loggedIn ? "Go to the dashboard" : "Log in"));
}

// Another tab logged out (or in as someone else): follow it.
window.addEventListener("storage", (event) => {
  if (event.key !== STORAGE_KEY && event.key !== null) return;
  const { route } = router.current();
  if (!event.newValue && route && route.auth) {
    state.me = null;
    router.navigate("/login", { replace: true });
  }
});

router.start();
