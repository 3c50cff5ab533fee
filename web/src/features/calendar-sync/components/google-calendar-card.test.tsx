import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi, type Handler } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { AccountScreen } from "../../account/components/account-screen";
import { leaveFor } from "../../billing/lib/leave";
import { connected, minutesAgo, notConnected, reconnectNeeded, status } from "../testing/fixtures";

vi.mock("../../billing/lib/leave", () => ({ leaveFor: vi.fn() }));

const CONSENT = "http://127.0.0.1:9400/o/oauth2/auth?client_id=local&state=s1";

function setup(handlers: Record<string, Handler> = {}, role: Schemas["Me"]["role"] = "owner") {
  vi.mocked(leaveFor).mockClear();
  return fakeApi({
    "GET /auth/me": { body: fx.me({ role }) },
    "GET /calendar/status": status(notConnected()),
    "GET /calendar/google/connect": { body: { url: CONSENT, expires_at: "2026-12-07T10:10:00+00:00" } },
    ...handlers,
  });
}

function open(fake: ReturnType<typeof setup>, path = "/account") {
  return renderScreen(<AccountScreen />, fake, { path, route: "/account" });
}

const card = async () => within(await screen.findByRole("region", { name: "Google Calendar" }));

test("the account page shows the login and, not connected yet, a button off to Google's consent page", async () => {
  const user = userEvent.setup();
  const fake = setup();
  open(fake);
  expect(await screen.findByRole("heading", { name: "Your account" })).toBeInTheDocument();
  expect(screen.getByText("owner@demo-salon.test")).toBeInTheDocument();
  expect(screen.getByText("Owner at Demo Salon")).toBeInTheDocument();
  const google = await card();
  expect(await google.findByText("Not connected")).toBeInTheDocument();
  await user.click(google.getByRole("button", { name: "Connect Google Calendar" }));
  await waitFor(() => expect(leaveFor).toHaveBeenCalledWith(CONSENT));
  expect(fake.callsTo("GET /calendar/google/connect")).toHaveLength(1);
});

test("a login without a staff profile is told so, and owners where to link one", async () => {
  open(setup({ "GET /calendar/status": status(notConnected({ is_me: false, staff_id: fx.IDS.amara, staff_name: "Amara Okafor" })) }));
  const google = await card();
  expect(await google.findByText("Your login is not linked to a staff profile")).toBeInTheDocument();
  expect(google.getByText(/Open your staff profile on the Staff page and choose your login under Team login/)).toBeInTheDocument();
  expect(google.getByRole("link", { name: "Go to Staff" })).toHaveAttribute("href", "/staff");
  expect(google.queryByRole("button", { name: "Connect Google Calendar" })).toBeNull();
});

test("a staff login without a staff profile is told whom to ask", async () => {
  open(setup({ "GET /calendar/status": status() }, "staff"));
  const google = await card();
  expect(await google.findByText(/Ask an owner or admin of the business to link your login to your staff profile/)).toBeInTheDocument();
  expect(google.queryByRole("link", { name: "Go to Staff" })).toBeNull();
});

test("connect refused with no_staff_profile explains who can connect", async () => {
  const user = userEvent.setup();
  open(setup({ "GET /calendar/google/connect": fx.refusal(409, "no_staff_profile", "Your login is not linked to a staff profile.") }));
  const google = await card();
  await user.click(await google.findByRole("button", { name: "Connect Google Calendar" }));
  expect(await google.findByText("Your login is not linked to a staff profile")).toBeInTheDocument();
  expect(leaveFor).not.toHaveBeenCalled();
});

test("connect refused by the plan shows the upgrade prompt", async () => {
  const user = userEvent.setup();
  open(setup({ "GET /calendar/google/connect": bx.planRequired("google_calendar") }));
  const google = await card();
  await user.click(await google.findByRole("button", { name: "Connect Google Calendar" }));
  expect(await google.findByText("Not included in your plan")).toBeInTheDocument();
  expect(google.getByText(/Google Calendar sync is not included in the Basic plan\. Upgrade to Pro to use it\./)).toBeInTheDocument();
  expect(google.getByRole("link", { name: "Compare plans" })).toHaveAttribute("href", "/settings/plans");
});

test("a status refused by the plan shows the upgrade prompt in place of the connection", async () => {
  open(setup({ "GET /calendar/status": bx.planRequired("google_calendar") }));
  const google = await card();
  expect(await google.findByText("Not included in your plan")).toBeInTheDocument();
  expect(google.queryByRole("button", { name: "Connect Google Calendar" })).toBeNull();
});

test("connected: the Google account, when it last synced, and the busy times it brought", async () => {
  open(setup({ "GET /calendar/status": status(connected()) }));
  const google = await card();
  expect(await google.findByText("dana@gmail.test")).toBeInTheDocument();
  expect(google.getByText("Connected")).toHaveClass("badge-success");
  expect(google.getByText("Synced 3 min ago")).toBeInTheDocument();
  expect(google.getByText("12 busy times blocking bookings")).toBeInTheDocument();
  expect(google.queryByText(/were put back/)).toBeNull();
});

test("connected but the last sync failed: said, with Google's reason", async () => {
  open(setup({ "GET /calendar/status": status(connected({ last_sync_at: minutesAgo(50), last_error: "Google did not answer in time.", last_error_at: minutesAgo(5) })) }));
  const google = await card();
  expect(await google.findByText("The last sync failed 5 min ago.")).toBeInTheDocument();
  expect(google.getByText(/Google did not answer in time\. It is tried again every 15 minutes\./)).toBeInTheDocument();
});

test("Sync now syncs the member's own connection and shows its new state", async () => {
  const user = userEvent.setup();
  const fake = setup({
    "GET /calendar/status": status(connected({ last_sync_at: minutesAgo(40) })),
    "POST /calendar/google/sync": { body: connected({ last_sync_at: new Date().toISOString(), busy_blocks: 13 }) },
  });
  open(fake);
  const google = await card();
  expect(await google.findByText("Synced 40 min ago")).toBeInTheDocument();
  await user.click(google.getByRole("button", { name: "Sync now" }));
  expect(await google.findByText("Synced just now")).toBeInTheDocument();
  expect(google.getByText("13 busy times blocking bookings")).toBeInTheDocument();
  expect(await screen.findByText("Synced with Google Calendar.")).toBeInTheDocument();
  expect(fake.callsTo("POST /calendar/google/sync")[0]?.body).toEqual({});
});

test("Sync now again too soon: told it has just synced", async () => {
  const user = userEvent.setup();
  open(setup({ "GET /calendar/status": status(connected()), "POST /calendar/google/sync": fx.refusal(429, "rate_limited", "Too many requests.") }));
  const google = await card();
  await user.click(await google.findByRole("button", { name: "Sync now" }));
  expect(await google.findByRole("alert")).toHaveTextContent("It has just synced. Try again in a moment.");
});

test("Disconnect asks first, then disconnects the member's own calendar", async () => {
  const user = userEvent.setup();
  let linked = true;
  const fake = setup({
    "GET /calendar/status": () => status(linked ? connected() : notConnected()),
    "DELETE /calendar/google": () => {
      linked = false;
      return { status: 204 };
    },
  });
  open(fake);
  const google = await card();
  await user.click(await google.findByRole("button", { name: "Disconnect" }));
  const dialog = await screen.findByRole("dialog", { name: "Disconnect Google Calendar?" });
  expect(within(dialog).getByText(/New bookings stop being copied to dana@gmail\.test/)).toBeInTheDocument();
  expect(fake.callsTo("DELETE /calendar/google")).toHaveLength(0);
  await user.click(within(dialog).getByRole("button", { name: "Disconnect" }));
  expect(await google.findByRole("button", { name: "Connect Google Calendar" })).toBeInTheDocument();
  expect(await screen.findByText("Google Calendar disconnected.")).toBeInTheDocument();
  expect(fake.callsTo("DELETE /calendar/google")[0]?.query.has("staff_id")).toBe(false);
});

test("reconnect needed after a revoked or expired grant: a warning why, and Reconnect goes to Google", async () => {
  const user = userEvent.setup();
  open(setup({ "GET /calendar/status": status(reconnectNeeded()) }));
  const google = await card();
  expect(await google.findByText("Reconnect needed")).toHaveClass("badge-warning");
  const warning = google.getByText("Reconnect your Google Calendar").closest(".alert") as HTMLElement;
  expect(warning).toHaveTextContent("its access was revoked in the Google account, or it expired");
  expect(warning).toHaveTextContent("new bookings and changes don't reach that Google Calendar");
  expect(google.queryByRole("button", { name: "Sync now" })).toBeNull();
  await user.click(google.getByRole("button", { name: "Reconnect Google Calendar" }));
  await waitFor(() => expect(leaveFor).toHaveBeenCalledWith(CONSENT));
});

test("reconnect needed after the calendar permission was removed says so", async () => {
  open(setup({ "GET /calendar/status": status(reconnectNeeded({ reason: "scope" })) }));
  const google = await card();
  expect(await google.findByText(/The permission to see and edit calendar events was removed in the Google account\./)).toBeInTheDocument();
});

test("edits made in Google to bookings were put back: a note says the app decides", async () => {
  open(setup({ "GET /calendar/status": status(connected({ reverted_edits: 2, last_reverted_at: minutesAgo(10) })) }));
  const google = await card();
  expect(await google.findByText("Changes made in Google were put back")).toBeInTheDocument();
  expect(google.getByText(/2 changes made in Google Calendar to bookings were put back\. The last one 10 min ago\./)).toBeInTheDocument();
  expect(google.getByText(/Bookings are managed here/)).toBeInTheDocument();
});

test("back from Google connected: a notice, and the query string is cleaned", async () => {
  const { router } = open(setup({ "GET /calendar/status": status(connected({ last_sync_at: null, busy_blocks: 0 })) }), "/account?google=connected");
  const google = await card();
  expect(google.getByText("Google Calendar is connected.")).toBeInTheDocument();
  await waitFor(() => expect(router.state.location.search).toBe(""));
  expect(google.getByText("Google Calendar is connected.")).toBeInTheDocument();
  expect(await google.findByText("Not synced yet")).toBeInTheDocument();
  await userEvent.click(google.getByRole("button", { name: "Dismiss" }));
  expect(google.queryByText("Google Calendar is connected.")).toBeNull();
});

test.each([
  ["invalid_state", "The link to Google expired or was already used. Connect again to get a new one."],
  ["access_denied", "You declined on Google's page, so nothing was connected."],
  ["scope", "Google didn't grant the permission to see and edit your calendar events. Connect again and allow it on Google's page."],
  ["failed", "Something went wrong while connecting. Please try again in a moment."],
])("back from Google with error %s: said in words", async (reason, words) => {
  const { router } = open(setup(), `/account?google=error&reason=${reason}`);
  const google = await card();
  const alert = google.getByRole("alert");
  expect(alert).toHaveTextContent("Google Calendar was not connected.");
  expect(alert).toHaveTextContent(words);
  await waitFor(() => expect(router.state.location.search).toBe(""));
  expect(await google.findByRole("button", { name: "Connect Google Calendar" })).toBeInTheDocument();
});
