// Path matching of the router, against the SPA's real route table.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { HOME, matchRoute, normalizePath, safeNext } from "../src/router.js";
import { routes } from "../src/routes.js";

describe("matchRoute", () => {
  it("finds every page of the SPA by its path", () => {
    for (const path of ["/", "/login", "/signup", "/forgot-password", "/reset-password", "/verify-email",
      "/accept-invitation", "/settings", "/team", "/calendar", "/manage-booking"]) {
      const match = matchRoute(routes, path);
      assert.ok(match, path);
      assert.equal(match.route.path, path);
    }
  });

  it("ignores a trailing slash and repeated slashes", () => {
    assert.equal(matchRoute(routes, "/team/").route.path, "/team");
    assert.equal(matchRoute(routes, "//settings").route.path, "/settings");
    assert.equal(matchRoute(routes, "").route.path, "/");
  });

  it("marks which pages need a session and which role", () => {
    assert.equal(matchRoute(routes, "/").route.auth, true);
    assert.equal(matchRoute(routes, "/settings").route.auth, true);
    assert.equal(matchRoute(routes, "/team").route.role, "admin");
    assert.equal(matchRoute(routes, "/login").route.auth, undefined);
    assert.equal(matchRoute(routes, "/verify-email").route.guestOnly, undefined, "a link works signed in or not");
  });

  it("the booking page takes the business's slug; customers' pages need no session", () => {
    const match = matchRoute(routes, "/book/demo-salon");
    assert.equal(match.route.path, "/book/:slug");
    assert.deepEqual(match.params, { slug: "demo-salon" });
    for (const path of ["/book/demo-salon", "/manage-booking"]) {
      const { route } = matchRoute(routes, path);
      assert.equal(route.auth, undefined, path);
      assert.equal(route.guestOnly, undefined, `${path}: a signed-in member may open it too`);
      assert.equal(route.layout, "customer", path);
    }
    assert.equal(matchRoute(routes, "/book"), null);
    assert.equal(matchRoute(routes, "/calendar").route.auth, true);
  });

  it("answers null for an unknown path (the app shows its not-found page)", () => {
    assert.equal(matchRoute(routes, "/nope"), null);
    assert.equal(matchRoute(routes, "/team/extra"), null);
    assert.equal(matchRoute(routes, "/settingsx"), null);
  });

  it("takes named parameters, decoded, and a catch-all", () => {
    const table = [{ path: "/team/:userId" }, { path: "/a.b" }, { path: "*" }];
    assert.deepEqual(matchRoute(table, "/team/u%201").params, { userId: "u 1" });
    assert.equal(matchRoute(table, "/a.b").route.path, "/a.b");
    assert.equal(matchRoute(table, "/aXb").route.path, "*", "a dot in a pattern is literal");
    assert.equal(matchRoute(table, "/team/%E0%A4%A").route.path, "*", "a malformed escape matches nothing else");
  });
});

describe("helpers", () => {
  it("normalizePath", () => {
    assert.equal(normalizePath("/"), "/");
    assert.equal(normalizePath("/a/b/"), "/a/b");
    assert.equal(normalizePath("a"), "/a");
  });

  it("safeNext keeps same-origin paths only", () => {
    assert.equal(safeNext("/settings?tab=1"), "/settings?tab=1");
    assert.equal(safeNext("//evil.example/x"), "/");
    assert.equal(safeNext("/\\evil.example"), "/");
    assert.equal(safeNext("https://evil.example"), "/");
    assert.equal(safeNext(null), "/");
    assert.equal(safeNext(null, HOME), "/calendar", "members land on the calendar");
    assert.equal(safeNext("//evil.example", HOME), "/calendar");
  });
});
