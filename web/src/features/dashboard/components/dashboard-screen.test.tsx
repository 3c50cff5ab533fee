import { screen, within } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { formatDay, formatTime, formatTimeRange } from "../../../lib/zoned";
import { business as aBusiness, IDS, location, me as aMe, namedAppointment, page, schedule, service, staffMember } from "../../../testing/fixtures";
import { DashboardScreen } from "./dashboard-screen";

vi.setConfig({ testTimeout: 20_000 });

// Wednesday 2 December 2026, 10:00 in London: the week runs Monday 30 November to Sunday 6 December.
const NOW = new Date("2026-12-02T10:00:00Z");
const locale = navigator.language;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
});
afterEach(() => vi.useRealTimers());

// Leila's online bookings with Dana.
const LEILA = { id: "1b49d1c7-2bc2-46c8-a236-5bdf30402850", name: "Leila Murphy", email: "leila.murphy@example.com", phone: "+44 7700 900125" };
const anAppointment = (o: Partial<Schemas["NamedAppointment"]>) =>
  namedAppointment({ staff_id: IDS.dana, customer_id: LEILA.id, customer: LEILA, source: "online", ...o });

const WEEK = [
  anAppointment({ id: "a-monday", start_at: "2026-11-30T11:00:00+00:00", end_at: "2026-11-30T11:45:00+00:00" }),
  anAppointment({ id: "a-today-1", start_at: "2026-12-02T09:00:00+00:00", end_at: "2026-12-02T09:45:00+00:00" }),
  anAppointment({
    id: "a-today-2",
    status: "pending",
    start_at: "2026-12-02T14:30:00+00:00",
    end_at: "2026-12-02T15:15:00+00:00",
    customer: { id: "c2", name: "Omar Haddad", email: null, phone: null },
  }),
  anAppointment({ id: "a-today-cancelled", status: "cancelled", start_at: "2026-12-02T12:00:00+00:00", end_at: "2026-12-02T12:45:00+00:00" }),
  anAppointment({ id: "a-sunday", start_at: "2026-12-06T10:00:00+00:00", end_at: "2026-12-06T10:45:00+00:00" }),
];

const PENDING = [
  WEEK[2] as Schemas["NamedAppointment"],
  ...["2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12", "2026-12-14"].map((day, i) =>
    anAppointment({ id: `p-${i}`, status: "pending", start_at: `${day}T16:00:00+00:00`, end_at: `${day}T16:45:00+00:00`, customer: { id: `c-${i}`, name: `Requester ${i}`, email: null, phone: null } }),
  ),
];

function setup({ week = WEEK, pending = PENDING, role = "owner", setUp = true, user }: {
  week?: Schemas["NamedAppointment"][];
  pending?: Schemas["NamedAppointment"][];
  role?: Schemas["Me"]["role"];
  setUp?: boolean;
  user?: Partial<Schemas["User"]>;
} = {}) {
  const business = setUp ? aBusiness({ version: 4 }) : aBusiness({ version: 1, updated_at: "2026-12-02T13:43:14.786246+00:00" });
  const me = aMe({ role, business });
  if (setUp) localStorage.setItem(`booking.link-shared.${business.id}`, "1");
  const fake = fakeApi({
    "GET /auth/me": { body: { ...me, user: { ...me.user, ...user } } },
    "GET /business": { body: business },
    "GET /appointments": (req) => ({ body: page(req.query.get("status") === "pending" ? pending : week) }),
    "GET /services": { body: page(setUp ? [service()] : []) },
    "GET /staff": { body: page([staffMember()]) },
    "GET /locations": { body: page(setUp ? [location()] : []) },
    "GET /staff/{staff_id}/schedule": { body: setUp ? schedule() : schedule({ weekly: [] }) },
  });
  const view = renderScreen(<DashboardScreen />, fake, { path: "/" });
  return { fake, ...view };
}

test("today's appointments, in the business's zone, each linking to it", async () => {
  setup();
  const today = await screen.findByRole("region", { name: "Today's appointments" });
  const items = await within(today).findAllByRole("link");
  expect(items.map((a) => a.getAttribute("href"))).toEqual(["/appointments/a-today-1", "/appointments/a-today-2"]);
  expect(items[0]?.textContent).toContain(formatTimeRange("2026-12-02T09:00:00Z", "2026-12-02T09:45:00Z", "Europe/London", locale));
  expect(items[0]).toHaveTextContent("Leila Murphy");
  expect(items[0]).toHaveTextContent("Haircut with Dana Demo");
  expect(items[1]).toHaveTextContent("Omar Haddad");
  expect(within(items[1] as HTMLElement).getByText("Request")).toBeInTheDocument();
  expect(within(today).getByText("Times are London time.")).toBeInTheDocument();
});

test("asks for this week (Monday to Sunday) and the pending requests from today, in the business's zone", async () => {
  const { fake } = setup();
  await screen.findAllByText("Leila Murphy");
  const asked = fake.callsTo("GET /appointments").map((c) => Object.fromEntries(c.query));
  expect(asked).toContainEqual(expect.objectContaining({ from: "2026-11-30", to: "2026-12-06", tz: "Europe/London" }));
  expect(asked).toContainEqual(expect.objectContaining({ from: "2026-12-02", to: "2027-12-02", tz: "Europe/London", status: "pending" }));
});

test("the figures: today, requests waiting and this week (cancelled ones left out)", async () => {
  setup();
  expect(await screen.findByRole("link", { name: /Today\s*2 appointments/ })).toHaveAttribute("href", "/calendar");
  expect(screen.getByRole("link", { name: /Requests waiting\s*7 requests/ })).toHaveAttribute("href", "/appointments/pending");
  expect(screen.getByRole("link", { name: /This week\s*4 appointments/ })).toBeInTheDocument();
});

test("the first few requests, with the way to all of them", async () => {
  setup();
  const requests = await screen.findByRole("region", { name: /Requests waiting/ });
  const links = await within(requests).findAllByRole("link");
  expect(links).toHaveLength(6);
  const day = formatDay("2026-12-08", locale, { weekday: "short", day: "numeric", month: "short" });
  expect(links[1]?.textContent).toContain(`${day}, ${formatTime("2026-12-08T16:00:00Z", "Europe/London", locale)}`);
  expect(links[1]).toHaveAttribute("href", "/appointments/p-0");
  expect(within(requests).getByRole("link", { name: "See all 7 requests" })).toHaveAttribute("href", "/appointments/pending");
});

test("an empty day and no requests", async () => {
  setup({ week: [], pending: [] });
  expect(await screen.findByText("No appointments today")).toBeInTheDocument();
  expect(screen.getByText("No requests waiting. Online bookings are confirmed automatically.")).toBeInTheDocument();
  expect(await screen.findByRole("link", { name: "Book an appointment" })).toHaveAttribute("href", "/appointments/new");
  expect(screen.queryByText("Finish setting up your business")).not.toBeInTheDocument();
});

test("while setup is unfinished, a card and the empty day lead to the checklist", async () => {
  setup({ week: [], pending: [], setUp: false });
  const card = await screen.findByRole("region", { name: "Finish setting up your business" });
  expect(within(card).getByRole("link", { name: "Continue setting up" })).toHaveAttribute("href", "/getting-started");
  expect(within(card).getByRole("progressbar", { name: "Setup: 0 of 5 steps done" })).toBeInTheDocument();
  expect(within(card).getByText("Next: check your profile and booking policy.")).toBeInTheDocument();
  expect(await screen.findByRole("link", { name: "Finish setting up" })).toHaveAttribute("href", "/getting-started");
});

test("staff see their day without the setup card", async () => {
  const { fake } = setup({ role: "staff", setUp: false });
  await screen.findAllByText("Leila Murphy");
  expect(screen.queryByText("Finish setting up your business")).not.toBeInTheDocument();
  expect(fake.callsTo("GET /locations")).toHaveLength(0);
});

test("an unconfirmed e-mail address is pointed out", async () => {
  setup({ user: { email_verified: false } });
  expect(await screen.findByText("Confirm your e-mail address.")).toBeInTheDocument();
});

test("it mentions no feature the product does not have", async () => {
  setup();
  await screen.findAllByText("Leila Murphy");
  expect(document.body).not.toHaveTextContent(/WhatsApp|Google Calendar|campaign|intake form|analytics|revenue|template/i);
});

test("a failed read is said in its card", async () => {
  const fake = fakeApi({
    "GET /auth/me": { body: aMe() },
    "GET /appointments": { status: 503, body: { error: { code: "unavailable", message: "Temporarily unavailable; please retry.", details: {} } } },
    "GET /services": { body: page([]) },
    "GET /staff": { body: page([]) },
  });
  renderScreen(<DashboardScreen />, fake, { path: "/" });
  expect((await screen.findAllByText("Temporarily unavailable; please retry.")).length).toBeGreaterThan(0);
});
