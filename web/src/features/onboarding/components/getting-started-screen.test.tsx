import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi, type Handler } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { business as aBusiness, location, me, page, schedule, service, staffMember } from "../../../testing/fixtures";
import { GettingStartedScreen } from "./getting-started-screen";

vi.setConfig({ testTimeout: 20_000 });

const NEW_BUSINESS = aBusiness({ version: 1, updated_at: "2026-12-02T13:43:14.786246+00:00" });

function setup({
  business = NEW_BUSINESS,
  role = "owner",
  locations = [],
  services = [],
  staff = [],
  schedules = {},
}: {
  business?: Schemas["Business"];
  role?: Schemas["Me"]["role"];
  locations?: Schemas["Location"][];
  services?: Schemas["Service"][];
  staff?: Schemas["StaffMember"][];
  schedules?: Record<string, boolean>;
} = {}) {
  const scheduleOf: Handler = (_req, params) => ({ body: params.staff_id && schedules[params.staff_id] ? schedule() : schedule({ weekly: [] }) });
  const fake = fakeApi({
    "GET /auth/me": { body: me({ role, business }) },
    "GET /business": { body: business },
    "GET /locations": { body: page(locations) },
    "GET /services": { body: page(services) },
    "GET /staff": { body: page(staff) },
    "GET /staff/{staff_id}/schedule": scheduleOf,
  });
  const view = renderScreen(<GettingStartedScreen />, fake, { path: "/getting-started" });
  return { fake, ...view };
}

const step = (name: RegExp) => screen.getByRole("listitem", { name });

test("a new business has every step open, each leading to the screen that fills it", async () => {
  setup();
  expect(await screen.findByText("steps done")).toBeInTheDocument();
  expect(screen.getByRole("progressbar", { name: "Setup: 0 of 5 steps done" })).toBeInTheDocument();
  const links: [RegExp, string, string][] = [
    [/profile and booking policy/, "Review settings", "/settings"],
    [/location/, "Add a location", "/locations?new=1"],
    [/services/, "Add a service", "/services?new=1"],
    [/team/, "Add a staff member", "/staff?new=1"],
    [/booking link/, "Get the QR code", "/settings#booking-link"],
  ];
  for (const [name, label, href] of links) {
    expect(within(step(name)).getByRole("link", { name: label })).toHaveAttribute("href", href);
    expect(within(step(name)).getByRole("heading")).toHaveTextContent("(to do)");
  }
  const url = `${window.location.origin}/book/demo-salon`;
  expect(within(step(/booking link/)).getByRole("link", { name: new RegExp(url) })).toHaveAttribute("href", url);
});

test("steps are ticked from the business's data", async () => {
  localStorage.setItem("booking.link-shared.82d0be44-4917-4173-9823-5fdd62336d58", "1");
  const { fake } = setup({
    business: aBusiness({ version: 3 }),
    locations: [location()],
    services: [service()],
    staff: [staffMember()],
    schedules: { "12da215c-cb88-4212-83ee-9d14cf195604": true },
  });
  expect(await screen.findByRole("progressbar", { name: "Setup: 5 of 5 steps done" })).toBeInTheDocument();
  expect(screen.getByText("You're all set.")).toBeInTheDocument();
  expect(within(step(/services/)).getByRole("heading")).toHaveTextContent("(done)");
  expect(within(step(/services/)).getByRole("link", { name: /Edit/ })).toHaveAttribute("href", "/services");
  expect(within(step(/location/)).getByRole("link", { name: /Edit/ })).toHaveAttribute("href", "/locations");
  expect(within(step(/team/)).getByRole("link", { name: /Edit/ })).toHaveAttribute("href", "/staff");
  expect(fake.callsTo("GET /staff/{staff_id}/schedule")).toHaveLength(1);
});

test("half-done steps say what is missing and lead to that record", async () => {
  const { fake } = setup({
    business: aBusiness({ version: 1, updated_at: "2026-12-03T09:00:00+00:00" }),
    locations: [location({ opening_hours: null }), location({ id: "0b8f5a9e-2f4c-4a57-9d07-8f6c1e0e9a11", name: "Old shop", archived: true })],
    services: [service()],
    staff: [
      staffMember(),
      staffMember({ id: "098f0c24-eb84-47e2-95cd-9e765eeeba0a", name: "Sam Stylist" }),
      staffMember({ id: "e06f8e58-8064-4325-aae4-51a0b483e219", name: "Not Bookable", bookable: false }),
    ],
  });
  expect(await screen.findByRole("progressbar", { name: "Setup: 2 of 5 steps done" })).toBeInTheDocument();
  // Saved after sign-up (a logo, a policy): the profile counts as reviewed.
  expect(within(step(/profile/)).getByRole("heading")).toHaveTextContent("(done)");
  expect(within(step(/location/)).getByText("Soho has no opening hours yet.")).toBeInTheDocument();
  expect(within(step(/location/)).getByRole("link", { name: "Set opening hours" })).toHaveAttribute("href", "/locations/dc0e2344-a94d-46e1-8eb4-78f1092181ea");
  expect(within(step(/team/)).getByText("None of your 2 staff members has working hours yet.")).toBeInTheDocument();
  expect(within(step(/team/)).getByRole("link", { name: "Set working hours" })).toHaveAttribute("href", "/staff/12da215c-cb88-4212-83ee-9d14cf195604");
  // Only bookable staff are asked about.
  expect(fake.callsTo("GET /staff/{staff_id}/schedule").map((c) => c.path)).toEqual([
    "/staff/12da215c-cb88-4212-83ee-9d14cf195604/schedule",
    "/staff/098f0c24-eb84-47e2-95cd-9e765eeeba0a/schedule",
  ]);
});

test("one staff member with hours is enough, and the rest are not asked", async () => {
  const { fake } = setup({
    staff: [staffMember(), staffMember({ id: "098f0c24-eb84-47e2-95cd-9e765eeeba0a", name: "Sam" }), staffMember({ id: "e06f8e58-8064-4325-aae4-51a0b483e219", name: "Kim" })],
    schedules: { "098f0c24-eb84-47e2-95cd-9e765eeeba0a": true },
  });
  expect(await screen.findByRole("progressbar", { name: "Setup: 1 of 5 steps done" })).toBeInTheDocument();
  expect(within(step(/team/)).getByRole("heading")).toHaveTextContent("(done)");
  expect(fake.callsTo("GET /staff/{staff_id}/schedule")).toHaveLength(2);
});

test("keeping the default settings ticks the first step", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  fake.on("PATCH /business", { body: aBusiness({ version: 2 }) });
  await user.click(await screen.findByRole("button", { name: "They look right" }));
  await waitFor(() => expect(within(step(/profile/)).getByRole("heading")).toHaveTextContent("(done)"));
  expect(fake.callsTo("PATCH /business")[0]?.body).toEqual({ version: 1 });
  expect(screen.getByRole("progressbar", { name: "Setup: 1 of 5 steps done" })).toBeInTheDocument();
});

test("copying the booking link ticks the last step", async () => {
  const user = userEvent.setup({ delay: null });
  const writeText = vi.fn().mockResolvedValue(undefined);
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
  setup();
  await user.click(await screen.findByRole("button", { name: "Copy link" }));
  expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/book/demo-salon`);
  await waitFor(() => expect(within(step(/booking link/)).getByRole("heading")).toHaveTextContent("(done)"));
});

test("a step's link goes to its screen", async () => {
  const user = userEvent.setup({ delay: null });
  setup();
  await user.click(await screen.findByRole("link", { name: "Add a service" }));
  expect(await screen.findByTestId("location")).toHaveTextContent("/services?new=1");
});

test("staff are told who sets the business up", async () => {
  setup({ role: "staff" });
  expect(await screen.findByText(/Setting up the business is done by its owners and admins/)).toBeInTheDocument();
  expect(screen.queryByRole("list")).not.toBeInTheDocument();
});
