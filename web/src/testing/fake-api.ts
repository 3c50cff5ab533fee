// A stand-in for the HTTP API in unit tests: handlers by "METHOD /path/{param}", every request kept
// (with its JSON body) for assertions. The real client (token handling, error mapping) runs over it.
import { createApi, STORAGE_KEY, type Api } from "../lib/api-client";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Headers;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = Reply | ((request: Recorded, params: Record<string, string>) => Reply | Promise<Reply>);

export interface FakeApi {
  api: Api;
  calls: Recorded[];
  /** Add or replace a handler: on("GET /services/{service_id}", {body: {...}}). */
  on(route: string, handler: Handler): void;
  /** The calls to one route ("POST /services"). */
  callsTo(route: string): Recorded[];
}

export const API_BASE = "http://api.test";

function matcher(route: string): { method: string; test: (path: string) => Record<string, string> | null } {
  const [method = "GET", pattern = "/"] = route.split(" ");
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    })}$`,
  );
  return {
    method,
    test: (path) => {
      const m = regex.exec(path);
      if (!m) return null;
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
    },
  };
}

export function fakeApi(handlers: Record<string, Handler> = {}, { signedIn = true }: { signedIn?: boolean } = {}): FakeApi {
  const table = new Map<string, Handler>(Object.entries(handlers));
  const calls: Recorded[] = [];
  const storage = new Map<string, string>();
  if (signedIn) {
    storage.set(STORAGE_KEY, JSON.stringify({ access_token: "access", refresh_token: "refresh", expires_at: Date.now() + 3_600_000 }));
  }

  async function fetchImpl(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === "GET" ? "" : await request.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const recorded: Recorded = { method: request.method, path: url.pathname, query: url.searchParams, body, headers: request.headers };
    calls.push(recorded);
    for (const [route, handler] of [...table.entries()].reverse()) {
      const { method, test } = matcher(route);
      const params = method === request.method ? test(url.pathname) : null;
      if (!params) continue;
      const reply = typeof handler === "function" ? await handler(recorded, params) : handler;
      const status = reply.status ?? 200;
      const payload = status === 204 ? null : JSON.stringify(reply.body ?? {});
      return new Response(payload, { status, headers: { "Content-Type": "application/json", ...(reply.headers ?? {}) } });
    }
    return new Response(JSON.stringify({ error: { code: "not_found", message: `No fake for ${request.method} ${url.pathname}`, details: {} } }), {
      status: 404,
      headers: { "Content-Type": "application/json" },
    });
  }

  const api = createApi({
    baseUrl: API_BASE,
    fetch: fetchImpl as typeof fetch,
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
    lock: (_name, fn) => fn(),
    sleep: async () => {},
  });
  return {
    api,
    calls,
    on: (route, handler) => void table.set(route, handler),
    callsTo: (route) => {
      const { method, test } = matcher(route);
      return calls.filter((c) => c.method === method && test(c.path) !== null);
    },
  };
}

/** A 422 as the API sends it. */
export function invalid(fields: Record<string, string>): Reply {
  return { status: 422, body: { error: { code: "validation_failed", message: "Some fields are not valid.", details: { fields } } } };
}
