import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { addDays, localDate, todayIn, zonedTimeToInstant } from "../../../lib/zoned";
import { planLimit } from "../../../testing/billing-fixtures";
import { fakeApi, invalid, type FakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { appointment, baseHandlers, customer, IDS, me, slot, staff } from "../test-fixtures";
import { NewAppointment } from "./new-appointment";

// The customer picker is the customers feature's (tested there): here it only hands over a record.
vi.mock("../../customers/components/customer-picker", () => ({
  CustomerPicker: ({ value, onChange }: { value: Schemas["CustomerRecord"] | null; onChange: (c: Schemas["CustomerRecord"] | null) => void }) => (
    <button type="button" onClick={() => onChange(customer)}>
      {value ? `Customer: ${value.name}` : "Pick Oscar"}
    </button>
  ),
}));

const ZONE = "Europe/London";
const day = addDays(todayIn(ZONE), 2);
const at = (minutes: number) => zonedTimeToInstant(day, minutes, ZONE).toISOString();

function slotsFor(slots: Schemas["Slot"][]) {
  return (req: { query: URLSearchParams }) => ({
    body: { service_id: IDS.service, staff_id: req.query.get("staff_id"), location_id: null, tz: ZONE, from: req.query.get("from"), to: req.query.get("to"), slots },
  });
}

function setUp(extra: Parameters<typeof fakeApi>[0] = {}): FakeApi {
  return fakeApi({ ...baseHandlers(), "GET /availability": slotsFor([slot(at(600)), slot(at(660), IDS.sam)]), ...extra });
}

function show(fake: FakeApi, search = "") {
  return renderScreen(<NewAppointment />, fake, { path: `/appointments/new${search}`, route: "/appointments/new" });
}

describe("NewAppointment", () => {
  it("opened from a customer's page, has that customer chosen", async () => {
    const fake = setUp({ [`GET /customers/${IDS.customer}`]: { body: customer } });
    show(fake, `?customer_id=${IDS.customer}`);

    expect(await screen.findByRole("button", { name: `Customer: ${customer.name}` })).toBeInTheDocument();
    expect(fake.callsTo("GET /customers/{customer_id}")).toHaveLength(1);
  });

  it("books the time the calendar was clicked at, for that person, then opens the calendar on its day", async () => {
    const start = at(600);
    const fake = setUp({ "POST /appointments": (req) => ({ status: 201, body: appointment(48, { ...(req.body as object), start_at: start }) }) });
    show(fake, `?staff_id=${IDS.dana}&start=${encodeURIComponent(start)}&service_id=${IDS.service}`);

    expect(await screen.findByText(/Chosen time:/)).toBeInTheDocument();
    expect(screen.getByLabelText("Staff member")).toHaveValue(IDS.dana);
    const times = await screen.findByRole("group", { name: "Free times" });
    expect(within(times).getAllByRole("button")[0]).toHaveAttribute("aria-pressed", "true");
    expect(fake.callsTo("GET /availability")[0]?.query.get("from")).toBe(day);
    await userEvent.click(screen.getByRole("button", { name: "Pick Oscar" }));
    await userEvent.type(screen.getByLabelText(/Customer's notes/), "First visit");
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments")[0]?.body).toEqual({
      service_id: IDS.service,
      customer_id: IDS.customer,
      start_at: start,
      staff_id: IDS.dana,
      location_id: null,
      notes: "First visit",
      internal_notes: null,
    });
    expect(await screen.findByTestId("location")).toHaveTextContent(`/calendar?date=${localDate(start, ZONE)}`);
  });

  it("with anyone available, books the person and place the chosen time was offered with", async () => {
    const fake = setUp({ "POST /appointments": (req) => ({ status: 201, body: appointment(48, req.body as object) }) });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Next day" }));
    await userEvent.click(screen.getByRole("button", { name: "Next day" }));
    const times = await screen.findByRole("group", { name: "Free times" });
    await userEvent.click(within(times).getByRole("button", { name: /Sam Stylist/ }));
    await userEvent.click(screen.getByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments")[0]?.body).toMatchObject({ start_at: at(660), staff_id: IDS.sam, location_id: IDS.soho });
    expect(fake.callsTo("GET /availability").at(-1)?.query.has("staff_id")).toBe(false);
  });

  it("past the month's allowance, says so with the plan that lifts it; a closed business points to billing", async () => {
    const start = at(600);
    const fake = setUp({ "POST /appointments": planLimit("bookings_per_month", 300, 300) });
    show(fake, `?staff_id=${IDS.dana}&start=${encodeURIComponent(start)}&service_id=${IDS.service}`);
    expect(await screen.findByText(/Chosen time:/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));
    expect(await screen.findByText(/The Basic plan includes 300 bookings a month, and 300 are used this month\./)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Compare plans" })).toHaveAttribute("href", "/settings/plans");

    fake.on("POST /appointments", { status: 403, body: { error: { code: "bookings_closed", message: "New bookings are closed.", details: { status: "suspended" } } } });
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));
    expect(await screen.findByText(/Your business is suspended, so it takes no new bookings\./)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to billing" })).toHaveAttribute("href", "/settings/billing");
  });

  it("asks for a time and a customer before sending anything, and clears each once given", async () => {
    const fake = setUp();
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Book appointment" }));

    expect(await screen.findByText("Choose a time.")).toBeInTheDocument();
    expect(screen.getByText("Choose a customer, or add a walk-in.")).toBeInTheDocument();
    expect(fake.callsTo("POST /appointments")).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Pick Oscar" }));
    await waitFor(() => expect(screen.queryByText("Choose a customer, or add a walk-in.")).not.toBeInTheDocument());
  });

  it("puts the API's 422 onto its fields and clears an error once its field is fixed", async () => {
    const fake = setUp({ "POST /appointments": invalid({ notes: "Expected `str` of length <= 2000", start_at: "Expected `str` matching regex" }) });
    show(fake, `?start=${encodeURIComponent(at(600))}`);

    await userEvent.click(await screen.findByRole("button", { name: "Pick Oscar" }));
    const notes = screen.getByLabelText(/Customer's notes/);
    await userEvent.type(notes, "x");
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));

    expect(await screen.findByText("Use at most 2000 characters.")).toBeInTheDocument();
    expect(notes).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("This doesn't look right; check the format.")).toBeInTheDocument();
    await userEvent.clear(notes);
    await waitFor(() => expect(screen.queryByText("Use at most 2000 characters.")).not.toBeInTheDocument());
    await userEvent.click(within(await screen.findByRole("group", { name: "Free times" })).getAllByRole("button")[1] as HTMLElement);
    await waitFor(() => expect(screen.queryByText("This doesn't look right; check the format.")).not.toBeInTheDocument());
  });

  it("explains a time taken meanwhile", async () => {
    const fake = setUp({
      "POST /appointments": { status: 409, body: { error: { code: "slot_taken", message: "This time has just been taken; please choose another.", details: {} } } },
    });
    show(fake, `?start=${encodeURIComponent(at(600))}&service_id=${IDS.service}`);

    await userEvent.click(await screen.findByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));

    expect(await screen.findByText(/That time has just been taken/)).toBeInTheDocument();
    expect(screen.getByText("No time chosen yet.")).toBeInTheDocument();
  });

  it("books a series every two weeks and lists the dates it skipped", async () => {
    const first = appointment(48, { start_at: at(600), series_id: IDS.series });
    const series: Schemas["Series"] = {
      series_id: IDS.series,
      booked: [first, { ...first, id: "3f0c1a2b-0000-4000-8000-000000000003", start_at: zonedTimeToInstant(addDays(day, 28), 600, ZONE).toISOString() }],
      skipped: [{ start_at: zonedTimeToInstant(addDays(day, 14), 600, ZONE).toISOString(), reason: "time_off", message: "The staff member is off at this time." }],
    };
    const fake = setUp({ "POST /appointments/recurring": { status: 201, body: series } });
    show(fake, `?start=${encodeURIComponent(at(600))}&staff_id=${IDS.dana}`);

    await userEvent.click(await screen.findByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByLabelText("Repeat: book a recurring series"));
    const every = screen.getByLabelText("Every how many weeks");
    await userEvent.clear(every);
    await userEvent.type(every, "2");
    const count = screen.getByLabelText(/Number of appointments/);
    await userEvent.clear(count);
    await userEvent.type(count, "3");
    await userEvent.click(screen.getByRole("button", { name: "Book the series" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/recurring")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments/recurring")[0]?.body).toEqual({
      service_id: IDS.service,
      customer_id: IDS.customer,
      start_at: at(600),
      staff_id: IDS.dana,
      location_id: null,
      notes: null,
      internal_notes: null,
      every_weeks: 2,
      count: 3,
    });
    expect(await screen.findByRole("heading", { name: "Series booked" })).toBeInTheDocument();
    expect(screen.getByText("Booked 2 of 3 appointments.")).toBeInTheDocument();
    expect(screen.getByText("1 date was skipped")).toBeInTheDocument();
    expect(screen.getByText(/The staff member is off at this time\./)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open the first appointment" })).toHaveAttribute("href", `/appointments/${IDS.appointment}`);
    await userEvent.click(screen.getByRole("button", { name: "Go to the calendar" }));
    expect(await screen.findByTestId("location")).toHaveTextContent(`/calendar?date=${day}`);
  });

  it("turns an end date into the number of weekly appointments, and goes to the calendar when none was skipped", async () => {
    const first = appointment(48, { start_at: at(600), series_id: IDS.series });
    const fake = setUp({ "POST /appointments/recurring": { status: 201, body: { series_id: IDS.series, booked: [first], skipped: [] } } });
    show(fake, `?start=${encodeURIComponent(at(600))}&service_id=${IDS.service}`);

    await userEvent.click(await screen.findByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByLabelText("Repeat: book a recurring series"));
    await userEvent.selectOptions(screen.getByLabelText("Ends"), "until");
    await userEvent.type(screen.getByLabelText("Last date"), addDays(day, 30));
    await userEvent.click(screen.getByRole("button", { name: "Book the series" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/recurring")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments/recurring")[0]?.body).toMatchObject({ every_weeks: 1, count: 5 });
    expect(await screen.findByTestId("location")).toHaveTextContent(`/calendar?date=${day}`);
  });

  it("refuses an end date that would make more than a series holds", async () => {
    const fake = setUp();
    show(fake, `?start=${encodeURIComponent(at(600))}&service_id=${IDS.service}`);

    await userEvent.click(await screen.findByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByLabelText("Repeat: book a recurring series"));
    await userEvent.selectOptions(screen.getByLabelText("Ends"), "until");
    await userEvent.type(screen.getByLabelText("Last date"), addDays(day, 7 * 60));
    await userEvent.click(screen.getByRole("button", { name: "Book the series" }));

    expect(await screen.findByText(/That makes 61 appointments; a series holds at most 52/)).toBeInTheDocument();
    expect(fake.callsTo("POST /appointments/recurring")).toHaveLength(0);
  });

  it("lets a staff-role member book only into their own calendar", async () => {
    const fake = setUp({
      "GET /auth/me": { body: { ...me, role: "staff" } },
      "GET /staff": { body: { items: staff.map((s) => (s.id === IDS.dana ? { ...s, user_id: IDS.me } : s)), next_cursor: null } },
      "POST /appointments": (req) => ({ status: 201, body: appointment(48, req.body as object) }),
    });
    show(fake, `?start=${encodeURIComponent(at(600))}&staff_id=${IDS.sam}`);

    const person = await screen.findByLabelText("Staff member");
    expect(within(person).getAllByRole("option").map((o) => o.textContent)).toEqual(["Dana Demo"]);
    await userEvent.click(screen.getByRole("button", { name: "Pick Oscar" }));
    await userEvent.click(screen.getByRole("button", { name: "Book appointment" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments")[0]?.body).toMatchObject({ staff_id: IDS.dana }));
  });

  it("leads to the services when there are none yet", async () => {
    show(fakeApi({ ...baseHandlers(), "GET /services": { body: { items: [], next_cursor: null } } }));

    expect(await screen.findByRole("link", { name: "Add a service" })).toHaveAttribute("href", "/services?new=1");
  });
});
