import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ToastProvider } from "../components/ui/toast";
import { ApiError, type Api } from "../lib/api-client";
import { ApiProvider } from "../lib/api-context";
import { ConfigProvider, type AppConfig } from "../lib/config";
import { LocaleProvider } from "../lib/locale";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The client already retried a read that could not reach the server; an answer (a 404, a
        // 403) will not change by asking again.
        retry: (count, error) => count < 1 && !(error instanceof ApiError),
        refetchOnWindowFocus: true,
        staleTime: 15_000,
      },
      mutations: { retry: false },
    },
  });
}

const NO_CONFIG: AppConfig = { apiBaseUrl: "", mediaBaseUrl: "" };

export function AppProvider({ api, config = NO_CONFIG, children, queryClient }: { api: Api; config?: AppConfig; children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <ConfigProvider config={config}>
      <ApiProvider api={api}>
        <QueryClientProvider client={client}>
          <LocaleProvider>
            <ToastProvider>{children}</ToastProvider>
          </LocaleProvider>
        </QueryClientProvider>
      </ApiProvider>
    </ConfigProvider>
  );
}
