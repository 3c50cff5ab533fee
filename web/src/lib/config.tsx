// The stage's settings, read at run time from /config.json beside index.html, so that one build
// serves every stage (the deploy writes that file; `make run` serves a local one).
import { createContext, useContext, type ReactNode } from "react";

export interface AppConfig {
  /** The API's origin and stage path, no trailing slash. */
  apiBaseUrl: string;
  /** Where uploaded logos and photos are read from (the uploads bucket behind CloudFront). */
  mediaBaseUrl: string;
}

export async function loadConfig(fetchImpl: typeof fetch = fetch): Promise<AppConfig> {
  // The preloaded answer (index.html) is used as it is: the file is served `no-cache`.
  const response = await fetchImpl("/config.json");
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<AppConfig>;
  if (typeof body.apiBaseUrl !== "string" || !body.apiBaseUrl) throw new Error("config.json has no apiBaseUrl");
  return {
    apiBaseUrl: body.apiBaseUrl.replace(/\/+$/, ""),
    mediaBaseUrl: String(body.mediaBaseUrl ?? "").replace(/\/+$/, ""),
  };
}

const ConfigContext = createContext<AppConfig>({ apiBaseUrl: "", mediaBaseUrl: "" });

export function ConfigProvider({ config, children }: { config: AppConfig; children: ReactNode }) {
  return <ConfigContext.Provider value={config}>{children}</ConfigContext.Provider>;
}

export function useConfig(): AppConfig {
  return useContext(ConfigContext);
}

/** The address of an uploaded file (a logo_key or photo_key), or null when there is none. */
export function useMediaUrl(key: string | null | undefined): string | null {
  const { mediaBaseUrl } = useConfig();
  return key ? `${mediaBaseUrl}/${key.split("/").map(encodeURIComponent).join("/")}` : null;
}
