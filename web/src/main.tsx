import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { createApi } from "./lib/api-client";
import { loadConfig } from "./lib/config";
import "./styles/base.css";
import "./styles/app.css";

const root = createRoot(document.getElementById("root") as HTMLElement);

loadConfig()
  .then((config) => {
    const api = createApi({
      baseUrl: config.apiBaseUrl,
      onSessionExpired: () => {
        const next = window.location.pathname + window.location.search;
        window.location.assign(`/login?next=${encodeURIComponent(next)}`);
      },
    });
    root.render(
      <StrictMode>
        <App api={api} config={config} />
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    root.render(<p className="noscript">The app could not start: {String(error)}</p>);
  });
