import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, type FakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import type { Managed } from "../api/public";
import { managed, profile, slot, slotsAnswer } from "../testing/fixtures";
import type { Slot } from "../utils/slots";
import { ManagePage } from "./manage-page";

const zone = vi.hoisted(() => ({ current: "Europe/London" }));
vi.mock("../../../lib/zoned", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/zoned")>()),
  browserTimeZone: () => zone.current,
}));

const NOW = new Date("2027-03-08T10:00:00Z");
const TOKEN = "82d0be44.tok-en";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  zone.current = "Europe/London";
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function link(booking: Managed, slots: Slot[] = []): FakeApi {
  return fakeApi(
    {
      "GET /public/bookings/{token}": { body: booking },
      "GET /public/bookings/{token}/availability": (req) => ({ body: slotsAnswer(slots, req.query) }),
      "GET /public/{slug}": { body: profile({ maxAdvanceDays: 60 }) },
    },
    { signedIn: false },
  );
}

function open(fake: FakeApi, path = `/manage-booking?token=${encodeURIComponent(TOKEN)}`) {
  return renderScreen(<ManagePage />, fake, { path, route: "/manage-booking" });
}

test("the booking as it stands, in the customer's zone, with what can still be done online", async () => {
  zone.current = "America/New_York";
  open(link(managed()));
  expect(await screen.findByRole("heading", { name: "Your booking" })).toBeInTheDocument();
  expect(screen.getByText("Cut, wash & blow-dry")).toBeInTheDocument();
  expect(screen.getByText("Saturday, March 20, 2027 at 10:00 AM")).toBeInTheDocument(); // 14:00 UTC, New York on EDT
  expect(screen.getByText("New York time (EDT)")).toBeInTheDocument();
  expect(screen.getByText("£45.00")).toBeInTheDocument();
  expect(screen.getByText("You can cancel online until Friday, March 19, 2027 at 10:00 AM (New York, EDT).")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Change the time" })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Cancel the booking" })).toBeInTheDocument();
});

test("the reschedule picker opens at the booking's own date, and warns before a move that would end online changes", async () => {
  const user = userEvent.setup();
  const tomorrow = slot("2027-03-09T09:00:00Z"); // 23 hours away: inside the 1-day cut-off
  const sameDay = slot("2027-03-20T15:00:00Z");
  const fake = link(managed(), [tomorrow, slot("2027-03-20T14:00:00Z"), sameDay]);
  fake.on("POST /public/bookings/{token}/reschedule", { body: { appointment: { ...managed().appointment, start_at: tomorrow.start_at, end_at: tomorrow.end_at, version: 2 } } });
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Change the time" }));
  const days = await screen.findByRole("group", { name: "Days" });
  await waitFor(() => expect(within(days).getByRole("button", { pressed: true })).toHaveAccessibleName("Saturday, March 20: 2 free times"));
  expect(fake.callsTo("GET /public/bookings/{token}/availability")[0]?.query.get("from")).toBe("2027-03-08");
  await user.click(screen.getByRole("button", { name: "02:00 PM GMT, Your current time" }));
  expect(screen.getByRole("button", { name: "Move my booking" })).toBeDisabled();

  await user.click(screen.getByRole("button", { name: /^03:00 PM GMT/ }));
  expect(screen.getByText(/New time: Saturday, March 20, 2027 at 03:00 PM/)).toBeInTheDocument();
  expect(screen.queryByText("After this move, you can't change it online")).not.toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: /Earlier/ }));
  await user.click(within(days).getByRole("button", { name: "Tuesday, March 9: 1 free time" }));
  await user.click(screen.getByRole("button", { name: /^09:00 AM GMT/ }));
  expect(screen.getByText("After this move, you can't change it online")).toBeInTheDocument();
  expect(screen.getByText(/The new time is less than 1 day away, so the booking could no longer be changed or cancelled online: only Demo Salon \(\+44 20 7946 0000, hello@demo-salon\.test\) could change it then\./)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Move it anyway" }));

  expect(await screen.findByText("Your booking is moved to Tuesday, March 9, 2027 at 09:00 AM (London, GMT).")).toBeInTheDocument();
  expect(fake.callsTo("POST /public/bookings/{token}/reschedule")[0]?.body).toEqual({ start_at: "2027-03-09T09:00:00Z" });
  expect(fake.callsTo("POST /public/bookings/{token}/reschedule")[0]?.path).toBe(`/public/bookings/${TOKEN}/reschedule`);
});

test("cancelling asks first, sends the reason, and shows the booking cancelled", async () => {
  const user = userEvent.setup();
  const fake = link(managed());
  fake.on("POST /public/bookings/{token}/cancel", () => {
    fake.on("GET /public/bookings/{token}", { body: managed({ status: "cancelled", can_cancel: false, can_reschedule: false }) });
    return { body: { appointment: managed({ status: "cancelled" }).appointment } };
  });
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Cancel the booking" }));
  expect(screen.getByRole("heading", { name: "Cancel this booking?" })).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Keep my booking" }));
  expect(fake.callsTo("POST /public/bookings/{token}/cancel")).toHaveLength(0);

  await user.click(screen.getByRole("button", { name: "Cancel the booking" }));
  await user.type(screen.getByLabelText(/Reason/), "Ill, sorry");
  await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
  expect(await screen.findByText("Your booking is cancelled.")).toBeInTheDocument();
  expect(fake.callsTo("POST /public/bookings/{token}/cancel")[0]?.body).toEqual({ reason: "Ill, sorry" });
  expect(await screen.findByText("This booking is cancelled.")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Book again" })).toHaveAttribute("href", "/book/demo-salon");
  expect(screen.queryByRole("button", { name: "Cancel the booking" })).not.toBeInTheDocument();
});

test("a refusal because the cut-off passed meanwhile reloads the booking and says why", async () => {
  const user = userEvent.setup();
  const fake = link(managed());
  fake.on("POST /public/bookings/{token}/cancel", () => {
    fake.on("GET /public/bookings/{token}", { body: managed({ can_cancel: false, can_reschedule: false }) });
    return { status: 409, body: { error: { code: "cutoff_passed", message: "It is too late to change this booking online.", details: { cutoff_min: 1440 } } } };
  });
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Cancel the booking" }));
  await user.click(screen.getByRole("button", { name: "Yes, cancel it" }));
  expect(await screen.findByText("It's now too late to cancel this booking online. Please contact the business.")).toBeInTheDocument();
  expect(await screen.findByText(/^Online changes and cancellation closed on Friday, March 19, 2027 at 02:00 PM \(London, GMT\)/)).toBeInTheDocument();
});

test("cut-off passed, past and cancelled bookings offer no online change", async () => {
  const fake = link(managed({ can_cancel: false, can_reschedule: false }));
  const { unmount } = open(fake);
  expect(await screen.findByText(/Online changes and cancellation closed on .* please contact Demo Salon \(\+44 20 7946 0000, hello@demo-salon\.test\)\./)).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Change the time" })).not.toBeInTheDocument();
  unmount();

  const past = link(managed({ start: "2027-03-01T14:00:00Z", status: "completed", can_cancel: false, can_reschedule: false }));
  const second = open(past);
  expect(await screen.findByText("This appointment has passed.")).toBeInTheDocument();
  expect(screen.queryByText(/closed on/)).not.toBeInTheDocument();
  second.unmount();

  open(link(managed({ can_cancel: true, can_reschedule: false, reschedule_until: "2027-03-08T09:00:00Z" })));
  expect(await screen.findByText(/^Online changes closed on Monday, March 8, 2027 at 09:00 AM/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Cancel the booking" })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Change the time" })).not.toBeInTheDocument();
});

test("a link without its code, or an unknown one, says so", async () => {
  open(link(managed()), "/manage-booking");
  expect(await screen.findByRole("heading", { name: "This link is incomplete" })).toBeInTheDocument();
});

test("an unknown link says so, in the browser's language", async () => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["es-ES", "es"]);
  const fake = fakeApi({ "GET /public/bookings/{token}": { status: 404, body: { error: { code: "not_found", message: "booking not found", details: {} } } } }, { signedIn: false });
  open(fake);
  expect(await screen.findByRole("heading", { name: "Este enlace no funciona" })).toBeInTheDocument();
});
