// Every screen, each loaded on first visit: the customer's pages (booking, manage link) pull in none
// of the dashboard's code, not even its layouts. Declarative routes: the screens load their own data
// (TanStack Query), so the data router's loaders and actions would be code the booking page carries
// for nothing.
import { lazy, Suspense, type ComponentType } from "react";
import { ErrorBoundary } from "react-error-boundary";
import { Route, Routes, useLocation } from "react-router";
import { Loading } from "../components/ui/spinner";
import { RouteError } from "../components/layouts/route-error";

type Module = { default: ComponentType };
const screen = (load: () => Promise<Module>) => {
  const Screen = lazy(load);
  return <Screen />;
};
const AppLayout = lazy(() => import("../components/layouts/app-layout").then((m) => ({ default: m.AppLayout })));
const AuthLayout = lazy(() => import("../components/layouts/auth-layout").then((m) => ({ default: m.AuthLayout })));

// Made once, at load: a lazy() called during render is a new component type on every render, so
// each navigation remounted the screen, and one to a screen whose code was not loaded yet never
// ended (the router navigates in a transition, which waits for a lazy that is new each retry).
const routes = (
  <Routes>
    {/* The customer's pages: no session needed, no dashboard code. */}
    <Route path="/book/:slug" element={screen(() => import("./routes/public/book"))} />
    <Route path="/manage-booking" element={screen(() => import("./routes/public/manage"))} />
    <Route path="/confirm-consent" element={screen(() => import("./routes/public/consent"))} />
    <Route element={<AuthLayout />}>
      <Route path="/login" element={screen(() => import("./routes/auth/login"))} />
      <Route path="/signup" element={screen(() => import("./routes/auth/signup"))} />
      <Route path="/forgot-password" element={screen(() => import("./routes/auth/forgot-password"))} />
      <Route path="/reset-password" element={screen(() => import("./routes/auth/reset-password"))} />
      <Route path="/verify-email" element={screen(() => import("./routes/auth/verify-email"))} />
      <Route path="/accept-invitation" element={screen(() => import("./routes/auth/accept-invitation"))} />
    </Route>
    <Route element={<AppLayout />}>
      <Route path="/" element={screen(() => import("./routes/app/dashboard"))} />
      <Route path="/getting-started" element={screen(() => import("./routes/app/getting-started"))} />
      <Route path="/calendar" element={screen(() => import("./routes/app/calendar"))} />
      <Route path="/appointments/pending" element={screen(() => import("./routes/app/pending"))} />
      <Route path="/appointments/new" element={screen(() => import("./routes/app/new-appointment"))} />
      <Route path="/appointments/:appointmentId" element={screen(() => import("./routes/app/appointment"))} />
      <Route path="/services" element={screen(() => import("./routes/app/services"))} />
      <Route path="/services/:serviceId" element={screen(() => import("./routes/app/service"))} />
      <Route path="/staff" element={screen(() => import("./routes/app/staff"))} />
      <Route path="/staff/:staffId" element={screen(() => import("./routes/app/staff-member"))} />
      <Route path="/locations" element={screen(() => import("./routes/app/locations"))} />
      <Route path="/locations/:locationId" element={screen(() => import("./routes/app/location"))} />
      <Route path="/customers" element={screen(() => import("./routes/app/customers"))} />
      <Route path="/customers/import" element={screen(() => import("./routes/app/customers-import"))} />
      <Route path="/customers/:customerId" element={screen(() => import("./routes/app/customer"))} />
      <Route path="/settings" element={screen(() => import("./routes/app/settings"))} />
      <Route path="/settings/notifications" element={screen(() => import("./routes/app/notifications"))} />
      <Route path="/settings/plans" element={screen(() => import("./routes/app/plans"))} />
      <Route path="/settings/billing" element={screen(() => import("./routes/app/billing"))} />
      <Route path="/team" element={screen(() => import("./routes/app/team"))} />
      <Route path="/account" element={screen(() => import("./routes/app/account"))} />
      {/* Google's redirect, forwarded by the API: finished as the signed-in member (AppLayout sends anyone else to log in first). */}
      <Route path="/account/google-callback" element={screen(() => import("./routes/app/google-callback"))} />
      <Route path="/admin" element={screen(() => import("./routes/app/admin-tenants"))} />
      <Route path="/admin/tenants/:businessId" element={screen(() => import("./routes/app/admin-tenant"))} />
      <Route path="/admin/metrics" element={screen(() => import("./routes/app/admin-metrics"))} />
      <Route path="/admin/dead-letters" element={screen(() => import("./routes/app/admin-dead-letters"))} />
      <Route path="*" element={screen(() => import("./routes/app/not-found"))} />
    </Route>
  </Routes>
);

export function AppRoutes() {
  const { pathname } = useLocation();
  return (
    <ErrorBoundary FallbackComponent={RouteError} resetKeys={[pathname]}>
      <Suspense fallback={<Loading />}>
        {routes}
      </Suspense>
    </ErrorBoundary>
  );
}
