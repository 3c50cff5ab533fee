import { BrowserRouter } from "react-router";
import type { Api } from "../lib/api-client";
import type { AppConfig } from "../lib/config";
import { AppProvider } from "./provider";
import { AppRoutes } from "./router";

export function App({ api, config }: { api: Api; config: AppConfig }) {
  return (
    <AppProvider api={api} config={config}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </AppProvider>
  );
}
