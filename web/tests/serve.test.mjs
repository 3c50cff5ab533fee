// serve.mjs as a process on a free port: index.html, the SPA fallback, no way out of web/, /config.js.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../serve.mjs", import.meta.url));
const API_BASE = "http://api.example.test:8123";
let child;
let port;

/** A raw GET: the path is sent exactly as written (fetch would normalise "/../"). */
function get(path, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { body += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  child = spawn(process.execPath, [SERVER, "--port", "0"], {
    env: { ...process.env, API_BASE }, stdio: ["ignore", "pipe", "inherit"],
  });
  port = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start: ${out}`)), 5000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
  });
});

after(() => {
  child.kill();
});

describe("serve.mjs", () => {
  it("GET / answers index.html", async () => {
    const res = await get("/");
    assert.equal(res.status, 200);
    assert.match(res.headers["content-type"], /^text\/html/);
    assert.match(res.body, /<div id="app">/);
  });

  it("falls back to index.html for SPA paths without an extension, query and all", async () => {
    for (const path of ["/team", "/settings/", "/reset-password?token=abc.def", "/no/such/page", "/calendar?view=week&date=2027-03-28",
      "/book/demo-salon", "/book/demo-salon?service=abc", "/manage-booking?token=abc.def"]) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.match(res.body, /<div id="app">/, path);
    }
  });

  it("answers 404 for a missing file with an extension", async () => {
    assert.equal((await get("/missing.js")).status, 404);
    assert.equal((await get("/src/missing.css")).status, 404);
  });

  it("serves assets with their content types", async () => {
    const js = await get("/src/api.js");
    assert.equal(js.status, 200);
    assert.match(js.headers["content-type"], /^text\/javascript/);
    assert.match(js.body, /export function createApi/);
    assert.match((await get("/styles.css")).headers["content-type"], /^text\/css/);
    assert.match((await get("/favicon.svg")).headers["content-type"], /^image\/svg\+xml/);
    assert.equal(js.headers["x-content-type-options"], "nosniff");
  });

  it("never leaves web/ (raw and encoded dot-dot, dot-files)", async () => {
    for (const path of ["/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
      "/src/../../../etc/passwd", "/..\\..\\etc\\passwd", "/.git/config", "/%00", "/%E0%A4%A"]) {
      const res = await get(path);
      assert.doesNotMatch(res.body, /root:.*:0:0:/, path);
      assert.ok(res.status === 404 || (res.status === 200 && /<div id="app">/.test(res.body)), `${path}: ${res.status}`);
    }
    assert.equal((await get("/..%2f..%2fetc%2fpasswd")).status, 404);
  });

  it("/config.js exports the API base from API_BASE", async () => {
    const res = await get("/config.js");
    assert.equal(res.status, 200);
    assert.match(res.headers["content-type"], /^text\/javascript/);
    assert.equal(res.body, `export const API_BASE = "${API_BASE}";\n`);
  });

  it("allows the API's origin in the Content-Security-Policy", async () => {
    const res = await get("/");
    assert.match(res.headers["content-security-policy"], /connect-src 'self' http:\/\/api\.example\.test:8123/);
  });

  it("refuses other methods, and HEAD has no body", async () => {
    assert.equal((await get("/", "POST")).status, 405);
    const head = await get("/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
  });
});
