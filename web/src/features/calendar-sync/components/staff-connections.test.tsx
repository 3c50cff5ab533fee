import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi, type Handler } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { StaffList } from "../../staff/components/staff-list";
import { StaffMemberScreen } from "../../staff/components/staff-member";
import { connected, minutesAgo, notConnected, reconnectNeeded, status } from "../testing/fixtures";

vi.setConfig({ testTimeout: 30_000 });

const AMARA_LOGIN = "7e1d2c3b-0000-4000-8000-000000000002";
const dana = fx.staffMember();
const amara = fx.stylist(fx.IDS.amara, "Amara Okafor", { user_id: AMARA_LOGIN });
const ben = fx.stylist(fx.IDS.ben, "Ben Carter");

const danaConnected = connected();
const amaraStopped = reconnectNeeded({ staff_id: fx.IDS.amara, staff_name: "Amara Okafor", google_email: "amara@gmail.test", is_me: false });
const benAlone = notConnected({ staff_id: fx.IDS.ben, staff_name: "Ben Carter", is_me: false });

function setup(handlers: Record<string, Handler> = {}, { role = "owner", google = true }: { role?: Schemas["Me"]["role"]; google?: boolean } = {}) {
  const me = fx.me({ role });
  return fakeApi({
    "GET /auth/me": { body: { ...me, features: { ...me.features, google_calendar: google } } },
    "GET /locations": { body: fx.page([fx.location()]) },
    "GET /business/users": { body: fx.team([fx.member(), fx.member({ user_id: AMARA_LOGIN, name: "Amara Okafor", email: "amara@demo-salon.test", role: "staff" })]) },
    "GET /staff": { body: fx.page([dana, amara, ben]) },
    "GET /staff/{staff_id}": (_req, { staff_id }) => ({ body: [dana, amara, ben].find((s) => s.id === staff_id) }),
    "GET /staff/{staff_id}/schedule": { body: fx.schedule() },
    "GET /staff/{staff_id}/time-off": { body: fx.page([]) },
    "GET /services": { body: fx.page([]) },
    "GET /calendar/status": status(danaConnected, amaraStopped, benAlone),
    ...handlers,
  });
}

const rowOf = async (name: string) => (await screen.findByRole("link", { name })).closest("tr") as HTMLElement;
const openMember = (fake: ReturnType<typeof setup>, id: string) =>
  renderScreen(<StaffMemberScreen />, fake, { path: `/staff/${id}`, route: "/staff/:staffId" });
const calendarCard = async () => within(await screen.findByRole("region", { name: "Google Calendar" }));

test("the staff list shows each person's Google Calendar, and the rows that need reconnecting stand out", async () => {
  renderScreen(<StaffList />, setup(), { path: "/staff" });
  expect(await screen.findByRole("columnheader", { name: "Google Calendar" })).toBeInTheDocument();
  const danaRow = await rowOf("Dana Demo");
  expect(await within(danaRow).findByText("Connected")).toBeInTheDocument();
  expect(within(danaRow).getByText("dana@gmail.test")).toBeInTheDocument();
  const amaraRow = await rowOf("Amara Okafor");
  expect(within(amaraRow).getByText("Reconnect needed")).toHaveClass("badge-warning");
  expect(within(amaraRow).getByText("Ask them to reconnect")).toBeInTheDocument();
  expect(amaraRow).toHaveClass("needs-reconnect");
  expect(within(await rowOf("Ben Carter")).getByText("Not connected")).toBeInTheDocument();

  const prompt = screen.getByText("A Google Calendar needs reconnecting").closest(".alert") as HTMLElement;
  expect(prompt).toHaveTextContent("Amara Okafor: Google no longer accepts the connection: its access was revoked in the Google account, or it expired.");
  expect(prompt).toHaveTextContent("Only Amara Okafor can reconnect, from their own account page, because it is their Google account: ask them to.");
  expect(within(prompt).queryByRole("link", { name: "Reconnect yours" })).toBeNull();
});

test("the owner's own stopped connection is theirs to reconnect, on their account page", async () => {
  renderScreen(<StaffList />, setup({ "GET /calendar/status": status(reconnectNeeded({ reason: "scope" }), amaraStopped) }), { path: "/staff" });
  const prompt = (await screen.findByText("2 Google Calendars need reconnecting")).closest(".alert") as HTMLElement;
  expect(prompt).toHaveTextContent("Yours: The permission to see and edit calendar events was removed");
  expect(within(prompt).getByRole("link", { name: "Reconnect yours" })).toHaveAttribute("href", "/account");
  expect(within(await rowOf("Dana Demo")).getByText("Reconnect on your account page")).toBeInTheDocument();
});

test("without Google Calendar in the plan, the staff list has no such column and asks nothing", async () => {
  const fake = setup({}, { google: false });
  renderScreen(<StaffList />, fake, { path: "/staff" });
  await rowOf("Dana Demo");
  expect(screen.queryByRole("columnheader", { name: "Google Calendar" })).toBeNull();
  expect(fake.callsTo("GET /calendar/status")).toHaveLength(0);
});

test("a staff member's page: their connection, and the owner can sync it now or disconnect it", async () => {
  const user = userEvent.setup();
  let linked = true;
  const fake = setup({
    "GET /calendar/status": () => status(danaConnected, linked ? connected({ staff_id: fx.IDS.amara, staff_name: "Amara Okafor", google_email: "amara@gmail.test", is_me: false, reverted_edits: 1, last_reverted_at: minutesAgo(2) }) : notConnected({ staff_id: fx.IDS.amara, is_me: false })),
    "POST /calendar/google/sync": { body: connected({ staff_id: fx.IDS.amara, staff_name: "Amara Okafor", google_email: "amara@gmail.test", is_me: false, last_sync_at: new Date().toISOString() }) },
    "DELETE /calendar/google": () => {
      linked = false;
      return { status: 204 };
    },
  });
  openMember(fake, fx.IDS.amara);
  const card = await calendarCard();
  expect(await card.findByText("amara@gmail.test")).toBeInTheDocument();
  expect(card.getByText(/1 change made in Google Calendar to a booking was put back\. The last one 2 min ago\./)).toBeInTheDocument();

  await user.click(card.getByRole("button", { name: "Sync now" }));
  await waitFor(() => expect(fake.callsTo("POST /calendar/google/sync")).toHaveLength(1));
  expect(fake.callsTo("POST /calendar/google/sync")[0]?.body).toEqual({ staff_id: fx.IDS.amara });
  expect(await card.findByText("Synced just now")).toBeInTheDocument();

  await user.click(card.getByRole("button", { name: "Disconnect" }));
  const dialog = await screen.findByRole("dialog", { name: "Disconnect Amara Okafor's Google Calendar?" });
  expect(dialog).toHaveTextContent("Only Amara Okafor can connect it again, from their own account page.");
  await user.click(within(dialog).getByRole("button", { name: "Disconnect" }));
  await waitFor(() => expect(fake.callsTo("DELETE /calendar/google")).toHaveLength(1));
  expect(fake.callsTo("DELETE /calendar/google")[0]?.query.get("staff_id")).toBe(fx.IDS.amara);
  expect(await card.findByText(/Amara Okafor can connect their Google Calendar from their own account page/)).toBeInTheDocument();
});

test("a stopped connection on the staff member's page tells the owner that only the member can reconnect", async () => {
  openMember(setup(), fx.IDS.amara);
  const card = await calendarCard();
  const warning = (await card.findByText("Amara Okafor must reconnect their Google Calendar")).closest(".alert") as HTMLElement;
  expect(warning).toHaveTextContent("its access was revoked in the Google account, or it expired");
  expect(warning).toHaveTextContent("Only Amara Okafor can reconnect, from their own account page, because it is their Google account: ask them to.");
  expect(card.queryByRole("button", { name: /Reconnect/ })).toBeNull();
  expect(card.getByRole("button", { name: "Disconnect" })).toBeInTheDocument();
  expect(card.queryByRole("button", { name: "Sync now" })).toBeNull();
});

test("a profile without a login: no one can connect it until one is linked", async () => {
  openMember(setup(), fx.IDS.ben);
  const card = await calendarCard();
  expect(await card.findByText(/No login is linked to this profile, so no one can connect a Google Calendar to it/)).toBeInTheDocument();
  expect(card.getByText("Not connected")).toHaveClass("badge-muted");
});

test("on their own staff page, the owner is sent to their account page to connect", async () => {
  openMember(setup({ "GET /calendar/status": status(notConnected(), benAlone) }), fx.IDS.dana);
  const card = await calendarCard();
  expect(await card.findByRole("link", { name: "Connect your Google Calendar on your account page." })).toHaveAttribute("href", "/account");
});

test("without Google Calendar in the plan, the staff member's page has no such card", async () => {
  const fake = setup({}, { google: false });
  openMember(fake, fx.IDS.amara);
  expect(await screen.findByRole("heading", { name: "Working hours" })).toBeInTheDocument();
  expect(screen.queryByRole("region", { name: "Google Calendar" })).toBeNull();
  expect(fake.callsTo("GET /calendar/status")).toHaveLength(0);
});
