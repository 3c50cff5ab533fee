import { Suspense } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { useApi } from "../../lib/api-context";
import { roleAtLeast } from "../../lib/format";
import { useMe } from "../../lib/session";
import { BillingBanner } from "../../features/billing/components/billing-banner";
import { Alert } from "../ui/alert";
import { Loading } from "../ui/spinner";
import { useToast } from "../ui/toast";
import { Brand } from "./brand";

const ROLE_LABEL = { owner: "Owner", admin: "Admin", staff: "Staff" } as const;

/** The signed-in app: top bar with the business and the main sections, then the page. */
export function AppLayout() {
  const api = useApi();
  const location = useLocation();
  if (!api.isLoggedIn()) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`} replace />;
  }
  return <SignedIn />;
}

function SignedIn() {
  const api = useApi();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  if (me.isPending) return <Loading />;
  if (me.isError) {
    return (
      <main className="app-main">
        <Alert tone="error" title="We couldn't load your account.">{me.error.message}</Alert>
      </main>
    );
  }
  const { user, business, role, plan, platform_operator } = me.data;
  const admin = roleAtLeast(role, "admin");
  const initials = (user.name || user.email).split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
  const logout = async () => {
    await api.logout();
    queryClient.clear();
    navigate("/login", { replace: true });
    toast("You have been logged out.", "info");
  };
  const links: [string, string][] = [
    ["/", "Dashboard"],
    ["/calendar", "Calendar"],
    ["/customers", "Customers"],
    ...(admin
      ? ([
          ["/services", "Services"],
          ["/staff", "Staff"],
          ["/locations", "Locations"],
        ] as [string, string][])
      : []),
    ["/settings", "Settings"],
    // /auth/me says who operates the platform; every /admin request is checked again
    ...(platform_operator ? ([["/admin", "Console"]] as [string, string][]) : []),
  ];
  return (
    <div className="app-layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Brand />
          <span className="topbar-business" title={business.name}>
            {business.name}
          </span>
          <nav className="nav" aria-label="Main">
            {links.map(([to, label]) => (
              <NavLink key={to} to={to} end={to === "/"} className="nav-link">
                <span>{label}</span>
              </NavLink>
            ))}
          </nav>
          <div className="topbar-user">
            {/* The member's own page: their login and their Google Calendar. */}
            <NavLink to="/account" className="topbar-account" aria-label="Your account">
              <span className="avatar" aria-hidden="true">
                {initials}
              </span>
              <span className="user-meta">
                <span className="user-name">{user.name || user.email}</span>
                <span className="user-role">
                  {ROLE_LABEL[role]} · {plan}
                </span>
              </span>
            </NavLink>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => void logout()}>
              Log out
            </button>
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <BillingBanner />
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
