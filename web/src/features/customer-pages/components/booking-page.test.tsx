import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, invalid, type FakeApi } from "../../../testing/fake-api";
import { publicAppointment } from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import type { Booked } from "../api/public";
import { ANNA, BEN, CAMDEN, CUT, profile, slot, slotsAnswer, SOHO } from "../testing/fixtures";
import type { Slot } from "../utils/slots";
import { BookingPage } from "./booking-page";

const zone = vi.hoisted(() => ({ current: "America/New_York" }));
vi.mock("../../../lib/zoned", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/zoned")>()),
  browserTimeZone: () => zone.current,
}));

const NOW = new Date("2027-03-08T15:00:00Z"); // 10:00 in New York, 15:00 in London

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  vi.spyOn(window, "scrollTo").mockImplementation(() => undefined); // the confirmation scrolls to its top
  zone.current = "America/New_York";
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function booked(s: Slot, status: "confirmed" | "pending" = "confirmed"): Booked {
  return {
    appointment: publicAppointment({
      id: "7d1e0f55-2a9b-4c1e-8f6d-3b2a1c0d9e8f",
      status,
      start_at: s.start_at,
      end_at: s.end_at,
      service_id: CUT,
      staff_id: s.staff_id,
      location_id: s.location_id,
      customer_id: "c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b",
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    }),
    manage_token: "82d0be44.tok-en",
    manage_url: "https://app.test/manage-booking?token=82d0be44.tok-en",
  };
}

function page(slots: Slot[], options: Parameters<typeof profile>[0] = {}): FakeApi {
  return fakeApi(
    {
      "GET /public/{slug}": { body: profile(options) },
      "GET /public/{slug}/availability": (req) => ({ body: slotsAnswer(slots, req.query) }),
    },
    { signedIn: false },
  );
}

function open(fake: FakeApi) {
  return renderScreen(<BookingPage />, fake, { path: "/book/demo-salon", route: "/book/:slug" });
}

async function chooseCut(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole("radio", { name: /Cut, wash & blow-dry/ }));
}

const timeButtons = () => within(screen.getByRole("group", { name: /^Free times on/ })).queryAllByRole("button");

test("the page speaks the browser's language, and the customer can switch it", async () => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["de-AT", "de", "en"]);
  const user = userEvent.setup();
  open(page([]));
  expect(await screen.findByRole("heading", { name: "Leistung wählen" })).toBeInTheDocument();
  expect(screen.getByText("Online buchen")).toBeInTheDocument();
  await user.selectOptions(screen.getByRole("combobox", { name: "Language" }), "fr");
  expect(await screen.findByRole("heading", { name: "Choisissez une prestation" })).toBeInTheDocument();
  await user.selectOptions(screen.getByRole("combobox", { name: "Language" }), "de");
  await chooseCut(user);
  expect(await screen.findByText("Beliebig (wer frei ist)")).toBeInTheDocument();
  expect(screen.getByText(/Online stornieren oder die Zeit ändern können Sie bis 1 Tag vor dem Termin\./)).toBeInTheDocument();
});

test("the business's logo, contact, services by category and staff with photos and bios", async () => {
  const user = userEvent.setup();
  const { container } = open(page([]));
  expect(await screen.findByRole("heading", { name: "Demo Salon", level: 1 })).toBeInTheDocument();
  expect(container.querySelector(".book-logo")).toHaveAttribute("src", expect.stringMatching(/^http:\/\/media\.test\/businesses\/.+\/logo\/abc\.png$/));
  expect(screen.getByRole("link", { name: "+44 20 7946 0000" })).toHaveAttribute("href", "tel:+442079460000");
  expect(screen.getByRole("heading", { name: "Hair", level: 3 })).toBeInTheDocument();
  expect(screen.getByRole("heading", { name: "Colour", level: 3 })).toBeInTheDocument();
  expect(screen.getByText("30 min · £45.00")).toBeInTheDocument();
  await chooseCut(user);
  expect(await screen.findByText("Colour specialist, ten years at the chair.")).toBeInTheDocument();
  expect(container.querySelector(`img.staff-photo[src*="anna.jpg"]`)).not.toBeNull();
  expect(screen.getByText("45 min · £50.00")).toBeInTheDocument(); // Ben's own length and price
  expect(screen.getByRole("note", { name: "Before you book" })).toHaveTextContent(/Book at least 1 hour ahead\..*cancel or change the time online until 1 day before the appointment/);
});

test("times are shown in the customer's zone (detected), labelled, and switchable", async () => {
  const user = userEvent.setup();
  const fake = page([slot("2027-03-10T14:00:00Z")]);
  open(fake);
  await chooseCut(user);
  expect(await screen.findByRole("button", { name: /^09:00 AM EST/ })).toBeInTheDocument();
  expect(screen.getByText("Times are in New York time (EST).")).toBeInTheDocument();
  expect(fake.callsTo("GET /public/{slug}/availability")[0]?.query.get("tz")).toBe("America/New_York");
  await user.selectOptions(screen.getByRole("combobox", { name: "Time zone" }), "Europe/London");
  expect(await screen.findByRole("button", { name: /^02:00 PM GMT/ })).toBeInTheDocument();
  expect(screen.getByText("Times are in London time (GMT).")).toBeInTheDocument();
  expect(fake.calls.at(-1)?.query.get("tz")).toBe("Europe/London");
});

test("anyone available: one button per start time, though several people and places offer it", async () => {
  const user = userEvent.setup();
  const fake = page([
    slot("2027-03-10T14:00:00Z", ANNA, SOHO),
    slot("2027-03-10T14:00:00Z", BEN, SOHO),
    slot("2027-03-10T14:00:00Z", ANNA, CAMDEN),
    slot("2027-03-10T14:30:00Z", BEN, SOHO),
  ]);
  open(fake);
  await chooseCut(user);
  await screen.findByRole("button", { name: /^09:00 AM EST/ });
  expect(timeButtons().map((b) => b.querySelector(".time-chip-time")?.textContent)).toEqual(["09:00 AM", "09:30 AM"]);
  const query = fake.callsTo("GET /public/{slug}/availability")[0]?.query;
  expect(query?.get("staff_id")).toBeNull();
  expect(query?.get("service_id")).toBe(CUT);
});

test("every day of the bookable range is reachable; empty days are marked; it opens at the first free day; next available", async () => {
  const user = userEvent.setup();
  const fake = page([slot("2027-03-10T14:00:00Z"), slot("2027-03-25T15:00:00Z")], { maxAdvanceDays: 20 });
  open(fake);
  await chooseCut(user);
  const days = await screen.findByRole("group", { name: "Days" });
  await waitFor(() => expect(within(days).getByRole("button", { pressed: true })).toHaveAccessibleName("Wednesday, March 10: 1 free time"));
  expect(within(days).getByRole("button", { name: "Tuesday, March 9: no free times" })).toHaveClass("day-chip-empty");

  const seen: string[] = [];
  const earlier = screen.getByRole("button", { name: /Earlier/ });
  const later = screen.getByRole("button", { name: /Later/ });
  expect(earlier).toBeDisabled();
  for (;;) {
    await waitFor(() => expect(within(days).getAllByRole("button")[0]).not.toHaveTextContent("…"));
    seen.push(...within(days).getAllByRole("button").map((b) => b.getAttribute("aria-label") ?? ""));
    if (later.hasAttribute("disabled")) break;
    await user.click(later);
  }
  expect(seen).toHaveLength(21); // 8 March to 28 March (20 days ahead), each once
  expect(seen[0]).toMatch(/^Monday, March 8: no free times/);
  expect(seen[20]).toMatch(/^Sunday, March 28: no free times/);
  expect(seen.filter((s) => !s.includes("no free times"))).toEqual(["Wednesday, March 10: 1 free time", "Thursday, March 25: 1 free time"]);
  expect(fake.callsTo("GET /public/{slug}/availability").map((c) => `${c.query.get("from")}..${c.query.get("to")}`)).toEqual([
    "2027-03-08..2027-03-21",
    "2027-03-22..2027-03-28",
  ]);

  await user.click(earlier);
  await user.click(earlier);
  await user.click(within(days).getByRole("button", { name: /March 10/ }));
  await user.click(screen.getByRole("button", { name: "Next available" }));
  await waitFor(() => expect(within(days).getByRole("button", { pressed: true })).toHaveAccessibleName("Thursday, March 25: 1 free time"));
  expect(screen.getByRole("button", { name: /^11:00 AM EDT/ })).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Pick a date" }));
  const calendar = await screen.findByRole("grid", { name: "March 2027" }, { timeout: 5000 });
  await user.click(within(calendar).getByRole("button", { name: "Wednesday, March 10: 1 free time" }));
  await waitFor(() => expect(within(days).getByRole("button", { pressed: true })).toHaveAccessibleName("Wednesday, March 10: 1 free time"));
});

async function pickTimeAndFill(user: ReturnType<typeof userEvent.setup>, name = /^09:00 AM EST/) {
  await user.click(await screen.findByRole("button", { name }));
  await user.type(screen.getByLabelText("Your name"), "Maria Schmidt");
  await user.type(screen.getByLabelText("E-mail"), "maria@example.test");
  await user.click(screen.getByRole("checkbox", { name: "I accept Demo Salon's booking terms" }));
}

test("booking sends the chosen time with an Idempotency-Key; the confirmation links to the calendars", async () => {
  const user = userEvent.setup();
  const chosen = slot("2027-03-10T14:00:00Z", BEN, CAMDEN);
  const fake = page([chosen, slot("2027-03-10T14:00:00Z", ANNA, SOHO)]);
  fake.on("POST /public/{slug}/bookings", { status: 201, body: booked(chosen) });
  open(fake);
  await chooseCut(user);
  await pickTimeAndFill(user);
  await user.click(screen.getByRole("checkbox", { name: /Send me news and offers from Demo Salon/ }));
  await user.type(screen.getByLabelText(/Anything the business should know/), "First visit");
  await user.click(screen.getByRole("button", { name: "Book now" }));

  expect(await screen.findByRole("heading", { name: "You're booked" })).toBeInTheDocument();
  const post = fake.callsTo("POST /public/{slug}/bookings")[0];
  expect(post?.path).toBe("/public/demo-salon/bookings");
  expect(post?.body).toEqual({
    service_id: CUT,
    start_at: "2027-03-10T14:00:00Z",
    staff_id: null,
    location_id: CAMDEN,
    customer: { name: "Maria Schmidt", email: "maria@example.test", phone: null },
    consent: { terms: true, marketing: true },
    notes: "First visit",
  });
  expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(post?.headers.get("Authorization")).toBeNull();

  expect(screen.getByText("Wednesday, March 10, 2027 at 09:00 AM (New York, EST)")).toBeInTheDocument();
  expect(screen.getByText("Ben")).toBeInTheDocument();
  expect(screen.getByText("Camden")).toBeInTheDocument();
  expect(screen.getByText("Confirmed")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Manage this booking" })).toHaveAttribute("href", "/manage-booking?token=82d0be44.tok-en");
  expect(screen.getByLabelText("Your link to change or cancel this booking")).toHaveValue("http://localhost:3000/manage-booking?token=82d0be44.tok-en");

  const google = new URL(screen.getByRole("link", { name: "Google Calendar" }).getAttribute("href") ?? "");
  expect(google.host + google.pathname).toBe("calendar.google.com/calendar/render");
  expect(google.searchParams.get("action")).toBe("TEMPLATE");
  expect(google.searchParams.get("dates")).toBe("20270310T140000Z/20270310T143000Z");
  expect(google.searchParams.get("text")).toBe("Cut, wash & blow-dry at Demo Salon");
  expect(google.searchParams.get("location")).toBe("Camden, 2 Market Road, London");
  const outlook = new URL(screen.getByRole("link", { name: "Outlook" }).getAttribute("href") ?? "");
  expect(outlook.host + outlook.pathname).toBe("outlook.live.com/calendar/0/deeplink/compose");
  expect(outlook.searchParams.get("startdt")).toBe("2027-03-10T14:00:00Z");
  expect(outlook.searchParams.get("enddt")).toBe("2027-03-10T14:30:00Z");

  let file: Blob | null = null;
  const created = vi.fn((blob: Blob) => {
    file = blob;
    return "blob:ics";
  });
  Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() });
  const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    expect(this.download).toBe("booking.ics");
    expect(this.href).toBe("blob:ics");
  });
  await user.click(screen.getByRole("button", { name: "Apple Calendar (.ics)" }));
  expect(clicked).toHaveBeenCalledTimes(1);
  expect(file).not.toBeNull();
  const ics = await (file as unknown as Blob).text();
  expect((file as unknown as Blob).type).toBe("text/calendar;charset=utf-8");
  expect(ics).toContain("\r\nDTSTART:20270310T140000Z\r\n");
  expect(ics).toContain("\r\nDTEND:20270310T143000Z\r\n");
  expect(ics).toContain("\r\nSUMMARY:Cut\\, wash & blow-dry at Demo Salon\r\n");
  expect(ics).toContain("\r\nUID:7d1e0f55-2a9b-4c1e-8f6d-3b2a1c0d9e8f@booking\r\n");
  expect(ics.replace(/\r\n /g, "")).toContain("DESCRIPTION:With Ben.\\nChange or cancel: http://localhost:3000/manage-booking?token=82d0be44.tok-en\r\n");
});

test("a service the business confirms: 'request' wording, and the answer waits for confirmation", async () => {
  const user = userEvent.setup();
  const chosen = slot("2027-03-10T14:00:00Z");
  const fake = page([chosen], { requiresConfirmation: true });
  fake.on("POST /public/{slug}/bookings", { status: 201, body: booked(chosen, "pending") });
  open(fake);
  await chooseCut(user);
  expect(await screen.findByText(/The business confirms each booking/)).toBeInTheDocument();
  await pickTimeAndFill(user);
  await user.click(screen.getByRole("button", { name: "Request this booking" }));
  expect(await screen.findByRole("heading", { name: "Booking requested" })).toBeInTheDocument();
  expect(screen.getByText("Demo Salon will confirm your appointment soon. Until then, the time is held for you.")).toBeInTheDocument();
  expect(screen.getByText("Waiting for confirmation")).toBeInTheDocument();
});

test("the API's 422 goes onto its field, in the page's language, and clears once the field is fixed", async () => {
  const user = userEvent.setup();
  const fake = page([slot("2027-03-10T14:00:00Z")]);
  fake.on("POST /public/{slug}/bookings", invalid({ "customer.phone": "Expected `str` matching regex '^\\+?…'" }));
  open(fake);
  await chooseCut(user);
  await pickTimeAndFill(user);
  await user.type(screen.getByLabelText("Phone"), "12");
  await user.click(screen.getByRole("button", { name: "Book now" }));
  expect(await screen.findByText("This phone number doesn't look right.")).toBeInTheDocument();
  expect(screen.getByLabelText("Phone")).toHaveAttribute("aria-invalid", "true");
  expect(screen.getByText("Please correct the highlighted fields.")).toBeInTheDocument();
  await user.type(screen.getByLabelText("Phone"), "3456789");
  await waitFor(() => expect(screen.queryByText("This phone number doesn't look right.")).not.toBeInTheDocument());
  expect(screen.getByLabelText("Phone")).not.toHaveAttribute("aria-invalid");
});

test("the form's own checks: a way to reach the customer and the terms, cleared as they are given", async () => {
  const user = userEvent.setup();
  const fake = page([slot("2027-03-10T14:00:00Z")]);
  open(fake);
  await chooseCut(user);
  await user.click(await screen.findByRole("button", { name: /^09:00 AM EST/ }));
  await user.type(screen.getByLabelText("Your name"), "Maria");
  await user.click(screen.getByRole("button", { name: "Book now" }));
  expect(await screen.findByText("Enter an e-mail address or a phone number.")).toBeInTheDocument();
  expect(screen.getByText("Please accept the booking terms to book.")).toBeInTheDocument();
  await user.type(screen.getByLabelText("Phone"), "+44 7700 900123");
  await waitFor(() => expect(screen.queryByText("Enter an e-mail address or a phone number.")).not.toBeInTheDocument());
  await user.click(screen.getByRole("checkbox", { name: "I accept Demo Salon's booking terms" }));
  await waitFor(() => expect(screen.queryByText("Please accept the booking terms to book.")).not.toBeInTheDocument());
  expect(fake.callsTo("POST /public/{slug}/bookings")).toHaveLength(0);
});

test("a time taken meanwhile: the customer is told at the times, which are read again", async () => {
  const user = userEvent.setup();
  const fake = page([slot("2027-03-10T14:00:00Z"), slot("2027-03-10T15:00:00Z")]);
  fake.on("POST /public/{slug}/bookings", { status: 409, body: { error: { code: "slot_taken", message: "This time has just been taken; please choose another.", details: {} } } });
  open(fake);
  await chooseCut(user);
  await pickTimeAndFill(user);
  const reads = fake.callsTo("GET /public/{slug}/availability").length;
  await user.click(screen.getByRole("button", { name: "Book now" }));
  expect(await screen.findByText(/That time has just been taken/)).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Book now" })).not.toBeInTheDocument();
  await waitFor(() => expect(fake.callsTo("GET /public/{slug}/availability").length).toBeGreaterThan(reads));
});

test("the business's online budget spent (429) is not blamed on the customer; a retry keeps the key", async () => {
  const user = userEvent.setup();
  const fake = page([slot("2027-03-10T14:00:00Z")]);
  fake.on("POST /public/{slug}/bookings", {
    status: 429,
    headers: { "Retry-After": "0" },
    body: { error: { code: "rate_limited", message: "This business takes no more online bookings for now.", details: { retry_after: 1, limit: "online_bookings_per_business" } } },
  });
  open(fake);
  await chooseCut(user);
  await pickTimeAndFill(user);
  await user.click(screen.getByRole("button", { name: "Book now" }));
  expect(await screen.findByText("Demo Salon isn't taking more online bookings right now. Try again in 1 second.")).toBeInTheDocument();
  vi.setSystemTime(new Date(NOW.getTime() + 2000));
  await user.click(screen.getByRole("button", { name: "Book now" }));
  await waitFor(() => expect(fake.callsTo("POST /public/{slug}/bookings")).toHaveLength(2));
  const [first, second] = fake.callsTo("POST /public/{slug}/bookings");
  expect(second?.headers.get("Idempotency-Key")).toBe(first?.headers.get("Idempotency-Key"));
});

test("an unknown page says so", async () => {
  const fake = fakeApi({ "GET /public/{slug}": { status: 404, body: { error: { code: "not_found", message: "business not found", details: {} } } } }, { signedIn: false });
  open(fake);
  expect(await screen.findByRole("heading", { name: "This booking page doesn't exist" })).toBeInTheDocument();
});
