// The stage's settings, read at run time from /config.json beside index.html, so that one build
// serves every stage (the deploy writes that file; `make run` serves a local one).
export interface AppConfig {
  apiBaseUrl: string;
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetchImpl("/config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<AppConfig>;
  if (typeof body.apiBaseUrl !== "string" || !body.apiBaseUrl) throw new Error("config.json has no apiBaseUrl");
  return { apiBaseUrl: body.apiBaseUrl.replace(/\/+$/, "") };
}
