import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import { fakeApi, invalid, type Handler } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { addDays, todayIn } from "../../../lib/zoned";
import { IDS, me, page, service, stylist } from "../../../testing/fixtures";
import { appointment } from "../testing/fixtures";
import { PendingInbox } from "./pending-inbox";

vi.setConfig({ testTimeout: 20_000 });

const request = appointment("2026-12-10T10:00:00Z", "2026-12-10T10:45:00Z", {
  status: "pending",
  version: 2,
  notes: "First visit, curly hair",
  customer: { id: "c9", name: "Lena Vogel", email: "lena@example.com", phone: "+44 7700 900200" },
});

function api(extra: Record<string, Handler> = {}) {
  let pending = [request];
  const fake = fakeApi({
    "GET /auth/me": { body: me() },
    "GET /staff": { body: page([stylist(IDS.amara, "Amara Okafor")]) },
    "GET /services": { body: page([service()]) },
    "GET /appointments": () => ({ body: page(pending) }),
    "POST /appointments/{appointment_id}/confirm": () => {
      pending = [];
      return { body: { ...request, customer: undefined, status: "confirmed", version: 3 } };
    },
    "POST /appointments/{appointment_id}/cancel": () => {
      pending = [];
      return { body: { ...request, customer: undefined, status: "cancelled", version: 3, cancelled: [request.id] } };
    },
    ...extra,
  });
  return fake;
}

test("lists the pending requests from today on, with who, what and when", async () => {
  const fake = api();
  renderScreen(<PendingInbox />, fake);
  const item = (await screen.findByText("Lena Vogel", {}, { timeout: 10_000 })).closest("li")!;
  expect(within(item).getByText("Haircut")).toBeInTheDocument();
  expect(item).toHaveTextContent("with Amara Okafor");
  expect(within(item).getByRole("link", { name: "+44 7700 900200" })).toHaveAttribute("href", "tel:+44 7700 900200");
  expect(item).toHaveTextContent("First visit, curly hair");
  const today = todayIn("Europe/London");
  expect(Object.fromEntries(fake.callsTo("GET /appointments")[0]!.query)).toMatchObject({
    status: "pending",
    from: today,
    to: addDays(today, 365),
    tz: "Europe/London",
  });
  expect(screen.getByText("1 request waiting.")).toBeInTheDocument();
});

test("confirm sends the version it was seen at, and the list updates", async () => {
  const fake = api();
  renderScreen(<PendingInbox />, fake);
  await userEvent.click(await screen.findByRole("button", { name: "Confirm Lena Vogel's booking" }, { timeout: 10_000 }));
  expect(await screen.findByText("No pending requests")).toBeInTheDocument();
  const [call] = fake.callsTo("POST /appointments/{appointment_id}/confirm");
  expect(call!.path).toBe(`/appointments/${request.id}/confirm`);
  expect(call!.body).toEqual({ version: 2 });
  expect(screen.getByText("Confirmed Lena Vogel's booking.")).toBeInTheDocument();
});

test("decline cancels on the business's side with the reason and the version", async () => {
  const fake = api();
  renderScreen(<PendingInbox />, fake);
  await userEvent.click(await screen.findByRole("button", { name: "Decline Lena Vogel's booking" }, { timeout: 10_000 }));
  await userEvent.type(screen.getByLabelText(/Reason/), "Fully booked that morning");
  await userEvent.click(screen.getByRole("button", { name: "Decline request" }));
  expect(await screen.findByText("No pending requests")).toBeInTheDocument();
  expect(fake.callsTo("POST /appointments/{appointment_id}/cancel")[0]!.body).toEqual({
    reason: "Fully booked that morning",
    scope: "this",
    version: 2,
  });
});

test("decline without a reason sends none; a 422 on the reason shows on the field and clears when fixed", async () => {
  const fake = api({ "POST /appointments/{appointment_id}/cancel": invalid({ reason: "Expected `str` of length <= 500" }) });
  renderScreen(<PendingInbox />, fake);
  await userEvent.click(await screen.findByRole("button", { name: "Decline Lena Vogel's booking" }, { timeout: 10_000 }));
  await userEvent.click(screen.getByRole("button", { name: "Decline request" }));
  expect(fake.callsTo("POST /appointments/{appointment_id}/cancel")[0]!.body).toEqual({ reason: null, scope: "this", version: 2 });
  const field = screen.getByLabelText(/Reason/);
  await waitFor(() => expect(field).toHaveAttribute("aria-invalid", "true"));
  expect(screen.getByText("Use at most 500 characters.")).toBeInTheDocument();
  await userEvent.type(field, "x");
  await waitFor(() => expect(field).not.toHaveAttribute("aria-invalid"));
});

test("a refused confirm (someone changed it) says why and keeps the request", async () => {
  const fake = api({
    "POST /appointments/{appointment_id}/confirm": {
      status: 409,
      body: { error: { code: "stale_version", message: "This appointment was changed by someone else; reload it and try again.", details: {} } },
    },
  });
  renderScreen(<PendingInbox />, fake);
  await userEvent.click(await screen.findByRole("button", { name: "Confirm Lena Vogel's booking" }, { timeout: 10_000 }));
  expect(await screen.findByRole("alert")).toHaveTextContent("This appointment was changed by someone else");
  expect(screen.getByText("Lena Vogel")).toBeInTheDocument();
});

test("no requests: an empty state says what arrives here", async () => {
  renderScreen(<PendingInbox />, api({ "GET /appointments": { body: page([]) } }));
  expect(await screen.findByText("No pending requests", {}, { timeout: 10_000 })).toBeInTheDocument();
});
