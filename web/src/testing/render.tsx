// Render a screen as the app does (providers, router) over a fake API.
import { render, type RenderResult } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from "react-router";
import { AppProvider } from "../app/provider";
import { LocaleProvider, type Locale } from "../lib/locale";
import type { FakeApi } from "./fake-api";

export interface Rendered extends RenderResult {
  router: ReturnType<typeof createMemoryRouter>;
}

/**
 * Render `element` at `path` (matched by `route`, e.g. "/services/:serviceId"). Other paths the
 * screen navigates to render their own path as text, so tests can assert where it went.
 */
export function renderScreen(
  element: ReactElement,
  fake: FakeApi,
  { path = "/", route = path, extraRoutes = [], locale }: { path?: string; route?: string; extraRoutes?: RouteObject[]; locale?: Locale } = {},
): Rendered {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  const router = createMemoryRouter(
    [{ path: route, element }, ...extraRoutes, { path: "*", element: <WhereAmI /> }],
    { initialEntries: [path] },
  );
  const ui = (
    <AppProvider api={fake.api} queryClient={queryClient} config={{ apiBaseUrl: "http://api.test", mediaBaseUrl: "http://media.test" }}>
      {locale ? (
        <LocaleProvider initial={locale}>
          <RouterProvider router={router} />
        </LocaleProvider>
      ) : (
        <RouterProvider router={router} />
      )}
    </AppProvider>
  );
  return { ...render(ui), router };
}

function WhereAmI() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname + location.search}</p>;
}
