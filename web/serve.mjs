#!/usr/bin/env node
// A tiny static server for the SPA (no dependencies): serves this folder on 127.0.0.1, answers
// /config.js with the API's base URL, and falls back to index.html for client-side routes.
//
//   node web/serve.mjs [--port 5173]        API_BASE=http://127.0.0.1:8000 (default)
//
// `--port 0` picks a free port; the first line printed names the address actually used.
import { createServer as createHttpServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
export const DEFAULT_PORT = 5173;
export const DEFAULT_API_BASE = "http://127.0.0.1:8000";
const HOST = "127.0.0.1";

export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

function baseHeaders(apiBase) {
  // The SPA only talks to itself and to the API; everything else is refused by the browser.
  const api = originOf(apiBase);
  return {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": [
      "default-src 'self'",
      `connect-src 'self'${api ? ` ${api}` : ""}`,
      "img-src 'self' data:",
      "style-src 'self'",
      "script-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; "),
  };
}

/** The file a URL path names inside `root`, or null if it would leave it (or is not a plain path). */
export function resolveInside(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/").filter(Boolean);
  // No "..", and no dot-files (".git", ".env", ...).
  if (segments.some((s) => s.startsWith("."))) return null;
  const full = resolve(root, ...segments);
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

async function fileAt(path) {
  try {
    const info = await stat(path);
    return info.isFile() ? path : null;
  } catch {
    return null;
  }
}

export function createServer({ root = HERE, apiBase = process.env.API_BASE || DEFAULT_API_BASE } = {}) {
  const rootDir = resolve(root);
  const headers = baseHeaders(apiBase);
  const configJs = `export const API_BASE = ${JSON.stringify(apiBase)};\n`;

  function send(req, res, status, type, body) {
    res.writeHead(status, { ...headers, "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  }

  return createHttpServer(async (req, res) => {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("Allow", "GET, HEAD");
        return send(req, res, 405, "text/plain; charset=utf-8", "Method not allowed\n");
      }
      // Only the path matters; the raw one is kept so that "/../x" is judged as sent.
      const rawPath = (req.url || "/").split("?")[0].split("#")[0] || "/";
      if (rawPath === "/config.js") return send(req, res, 200, CONTENT_TYPES[".js"], configJs);

      const target = resolveInside(rootDir, rawPath);
      if (target === null) return send(req, res, 404, "text/plain; charset=utf-8", "Not found\n");

      let file = await fileAt(target);
      if (file === null && extname(target) === "") file = await fileAt(join(rootDir, "index.html")); // SPA route
      if (file === null) return send(req, res, 404, "text/plain; charset=utf-8", "Not found\n");

      const body = await readFile(file);
      const type = CONTENT_TYPES[extname(file).toLowerCase()] || "application/octet-stream";
      return send(req, res, 200, type, body);
    } catch (err) {
      console.error(err);
      return send(req, res, 500, "text/plain; charset=utf-8", "Internal error\n");
    }
  });
}

function portFromArgs(argv) {
  const at = argv.findIndex((a) => a === "--port" || a.startsWith("--port="));
  if (at === -1) return DEFAULT_PORT;
  const raw = argv[at].includes("=") ? argv[at].split("=")[1] : argv[at + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve.mjs: --port wants a number from 0 to 65535, not ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return port;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const server = createServer();
  server.on("error", (err) => {
    console.error(err.code === "EADDRINUSE" ? `serve.mjs: port ${err.port} is in use; pick another with --port` : err);
    process.exit(1);
  });
  server.listen(portFromArgs(process.argv.slice(2)), HOST, () => {
    const { port } = server.address();
    console.log(`SPA on http://${HOST}:${port}  (API_BASE ${process.env.API_BASE || DEFAULT_API_BASE})`);
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
}
