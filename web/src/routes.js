// The paths of the SPA. `auth`: needs a session; `guestOnly`: sends a signed-in user on; `role`: the
// least role that may open it (others see a "not for your role" page); `wide`: the wider public card;
// `layout: "customer"`: a customer's page (a business's booking page, a manage link), signed in or not.
import { acceptPage, forgotPage, loginPage, resetPage, signupPage, verifyPage } from "./pages/auth.js";
import { bookPage } from "./pages/book.js";
import { calendarPage } from "./pages/calendar.js";
import { consentPage } from "./pages/consent.js";
import { dashboardPage } from "./pages/dashboard.js";
import { managePage } from "./pages/manage.js";
import { notificationsPage } from "./pages/notifications.js";
import { settingsPage } from "./pages/settings.js";
import { teamPage } from "./pages/team.js";

export const routes = [
  { path: "/", title: "Dashboard", auth: true, page: dashboardPage },
  { path: "/calendar", title: "Calendar", auth: true, page: calendarPage },
  { path: "/settings", title: "Settings", auth: true, page: settingsPage },
  { path: "/settings/notifications", title: "Notifications", auth: true, page: notificationsPage },
  { path: "/team", title: "Team", auth: true, role: "admin", page: teamPage },
  { path: "/login", title: "Log in", guestOnly: true, page: loginPage },
  { path: "/signup", title: "Start your free trial", guestOnly: true, page: signupPage, wide: true },
  { path: "/forgot-password", title: "Forgot your password", page: forgotPage },
  { path: "/reset-password", title: "Choose a new password", page: resetPage },
  { path: "/verify-email", title: "Confirm your e-mail", page: verifyPage },
  { path: "/accept-invitation", title: "Join your team", page: acceptPage },
  { path: "/book/:slug", title: "Book online", layout: "customer", page: bookPage },
  { path: "/manage-booking", title: "Your booking", layout: "customer", page: managePage },
  { path: "/confirm-consent", title: "Confirm your subscription", layout: "customer", page: consentPage },
];
