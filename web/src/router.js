// A History API router: paths like "/team" or "/team/:userId", links intercepted, back/forward handled.
// The matching is pure (tested under node); createRouter touches only the window it is given.

/** "/team/" → "/team", "" → "/". */
export function normalizePath(pathname) {
  const path = ("/" + String(pathname || "")).replace(/\/{2,}/g, "/");
  return path.length > 1 ? path.replace(/\/+$/, "") : "/";
}

function compile(pattern) {
  const names = [];
  const source = normalizePath(pattern)
    .split("/")
    .map((part) => {
      if (part.startsWith(":")) {
        names.push(part.slice(1));
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { regex: new RegExp(`^${source}$`), names };
}

/**
 * The first route whose `path` matches `pathname`, with its decoded params, or null.
 * Routes are objects with a `path` ("/", "/team", "/team/:userId", "*" for the catch-all).
 */
export function matchRoute(routes, pathname) {
  const path = normalizePath(pathname);
  for (const route of routes) {
    if (route.path === "*") return { route, params: {}, path };
    const { regex, names } = route._compiled || (route._compiled = compile(route.path));
    const m = regex.exec(path);
    if (!m) continue;
    const params = {};
    try {
      names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1]);
      });
    } catch {
      continue; // a malformed %-escape matches nothing
    }
    return { route, params, path };
  }
  return null;
}

/** Where a member lands after logging in when no other page was asked for. */
export const HOME = "/calendar";

/** A same-origin path to go back to after logging in ("/settings?x=1"), or `fallback` for anything else. */
export function safeNext(value, fallback = "/") {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return fallback;
  }
  return value;
}

/**
 * @param {object} options
 * @param {Array} options.routes
 * @param {Function} options.onRoute  ({route, params, path, query, url}) => void|Promise, on every change
 * @param {Window} [options.window]
 */
export function createRouter({ routes, onRoute, window: win = globalThis.window }) {
  function current() {
    const { pathname, search, hash } = win.location;
    const match = matchRoute(routes, pathname) || { route: null, params: {}, path: normalizePath(pathname) };
    return { ...match, query: new URLSearchParams(search), url: pathname + search + hash };
  }

  function navigate(to, { replace = false } = {}) {
    const target = new URL(to, win.location.href);
    if (target.origin !== win.location.origin) {
      win.location.assign(target.href);
      return;
    }
    const url = target.pathname + target.search + target.hash;
    if (replace) win.history.replaceState({}, "", url);
    else if (url !== win.location.pathname + win.location.search + win.location.hash) win.history.pushState({}, "", url);
    return onRoute(current());
  }

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || link.hasAttribute("download") || link.dataset.external !== undefined) return;
    const target = new URL(link.href, win.location.href);
    if (target.origin !== win.location.origin) return;
    const here = win.location;
    if (target.hash && target.pathname === here.pathname && target.search === here.search) return; // in-page anchor
    event.preventDefault();
    navigate(target.pathname + target.search + target.hash);
  }

  function start() {
    win.addEventListener("popstate", () => onRoute(current()));
    win.document.addEventListener("click", onClick);
    return onRoute(current());
  }

  return { start, navigate, current };
}
