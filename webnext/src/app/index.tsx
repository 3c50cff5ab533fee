import { RouterProvider } from "react-router";
import type { Api } from "../lib/api-client";
import { AppProvider } from "./provider";
import { createAppRouter } from "./router";

export function App({ api }: { api: Api }) {
  return (
    <AppProvider api={api}>
      <RouterProvider router={createAppRouter()} />
    </AppProvider>
  );
}
