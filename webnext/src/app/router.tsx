// Every screen, each loaded on first visit: the customer's pages (booking, manage link) pull in none
// of the dashboard's code.
import { createBrowserRouter, type RouteObject } from "react-router";
import { AppLayout } from "../components/layouts/app-layout";
import { AuthLayout } from "../components/layouts/auth-layout";
import { RouteError } from "../components/layouts/route-error";

type Module = { default: React.ComponentType };
const page = (load: () => Promise<Module>) => async () => ({ Component: (await load()).default });

export const routes: RouteObject[] = [
  // The customer's pages: no session needed, no dashboard code.
  { path: "/book/:slug", lazy: page(() => import("./routes/public/book")), errorElement: <RouteError /> },
  { path: "/manage-booking", lazy: page(() => import("./routes/public/manage")), errorElement: <RouteError /> },
  { path: "/confirm-consent", lazy: page(() => import("./routes/public/consent")), errorElement: <RouteError /> },
  {
    element: <AuthLayout />,
    errorElement: <RouteError />,
    children: [
      { path: "/login", lazy: page(() => import("./routes/auth/login")) },
      { path: "/signup", lazy: page(() => import("./routes/auth/signup")) },
      { path: "/forgot-password", lazy: page(() => import("./routes/auth/forgot-password")) },
      { path: "/reset-password", lazy: page(() => import("./routes/auth/reset-password")) },
      { path: "/verify-email", lazy: page(() => import("./routes/auth/verify-email")) },
      { path: "/accept-invitation", lazy: page(() => import("./routes/auth/accept-invitation")) },
    ],
  },
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { path: "/", lazy: page(() => import("./routes/app/dashboard")) },
      { path: "/getting-started", lazy: page(() => import("./routes/app/getting-started")) },
      { path: "/calendar", lazy: page(() => import("./routes/app/calendar")) },
      { path: "/appointments/pending", lazy: page(() => import("./routes/app/pending")) },
      { path: "/appointments/new", lazy: page(() => import("./routes/app/new-appointment")) },
      { path: "/appointments/:appointmentId", lazy: page(() => import("./routes/app/appointment")) },
      { path: "/services", lazy: page(() => import("./routes/app/services")) },
      { path: "/services/:serviceId", lazy: page(() => import("./routes/app/service")) },
      { path: "/staff", lazy: page(() => import("./routes/app/staff")) },
      { path: "/staff/:staffId", lazy: page(() => import("./routes/app/staff-member")) },
      { path: "/locations", lazy: page(() => import("./routes/app/locations")) },
      { path: "/locations/:locationId", lazy: page(() => import("./routes/app/location")) },
      { path: "/customers", lazy: page(() => import("./routes/app/customers")) },
      { path: "/customers/import", lazy: page(() => import("./routes/app/customers-import")) },
      { path: "/customers/:customerId", lazy: page(() => import("./routes/app/customer")) },
      { path: "/settings", lazy: page(() => import("./routes/app/settings")) },
      { path: "/settings/notifications", lazy: page(() => import("./routes/app/notifications")) },
      { path: "/team", lazy: page(() => import("./routes/app/team")) },
      { path: "*", lazy: page(() => import("./routes/app/not-found")) },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
