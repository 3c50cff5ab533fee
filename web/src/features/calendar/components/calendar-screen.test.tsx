import { act, cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ComponentType } from "react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { fakeApi, type Handler } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import type { CalendarEvent } from "./calendar-grid";
import { IDS, location, me, page, schedule, service, stylist, timeOff } from "../../../testing/fixtures";
import { appointment } from "../testing/fixtures";
import { formatDay, formatTimeRange } from "../../../lib/zoned";
import { busy } from "../../calendar-sync/testing/fixtures";
import { dashboardLocale } from "../../../lib/format";
import { CalendarScreen } from "./calendar-screen";

// The drag-and-drop addon's props, to drop an event as react-big-calendar would after a drag.
const dnd = vi.hoisted(() => ({ props: null as null | { onEventDrop: (args: { event: CalendarEvent; start: Date; end: Date; resourceId?: string }) => void; events: CalendarEvent[] } }));
vi.mock("react-big-calendar/lib/addons/dragAndDrop", async (importOriginal) => {
  const real = await importOriginal<{ default: (c: ComponentType) => ComponentType<Record<string, unknown>> }>();
  return {
    default: (calendar: ComponentType) => {
      const Wrapped = real.default(calendar);
      return function Recorded(props: Record<string, unknown>) {
        dnd.props = props as unknown as typeof dnd.props;
        return <Wrapped {...props} />;
      };
    },
  };
});
vi.mock("../../appointments/components/appointment-panel", () => ({
  AppointmentPanel: ({ appointmentId }: { appointmentId: string }) => <p>Panel for {appointmentId}</p>,
}));

const cut = appointment("2026-12-07T10:00:00Z", "2026-12-07T10:45:00Z", { staff_id: IDS.amara, service_id: IDS.haircut });
const colour = appointment("2026-12-07T14:30:00Z", "2026-12-07T16:00:00Z", {
  staff_id: IDS.dana,
  service_id: IDS.colour,
  status: "pending",
  customer: { id: "c2", name: "Priya Shah", email: null, phone: null },
});

function api(extra: Record<string, Handler> = {}) {
  return fakeApi({
    "GET /auth/me": { body: me() },
    "GET /staff": { body: page([stylist(IDS.amara, "Amara Okafor"), stylist(IDS.dana, "Dana Demo")]) },
    "GET /services": { body: page([service(), service({ id: IDS.colour, name: "Colour", color: "#db2777" })]) },
    "GET /locations": { body: page([location()]) },
    "GET /appointments": { body: page([cut, colour]) },
    "GET /staff/{staff_id}/schedule": { body: schedule() },
    "GET /staff/{staff_id}/time-off": (_req, { staff_id }) => ({
      body: page(staff_id === IDS.dana ? [timeOff({ starts_at: "2026-12-07T09:00:00Z", ends_at: "2026-12-07T11:00:00Z", staff_id: IDS.dana })] : []),
    }),
    "GET /calendar/busy": { body: { items: [] } },
    ...extra,
  });
}

beforeEach(() => {
  dnd.props = null;
  // react-big-calendar's click-and-drag selection asks what is under the pointer; jsdom has no layout.
  document.elementFromPoint = () => null;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

// A day of 96 quarter-hour slots per column renders slowly under jsdom on shared cores.
vi.setConfig({ testTimeout: 30_000 });
const SLOW = { timeout: 10_000 };
const DAY = { path: "/calendar?view=day&date=2026-12-07", route: "/calendar" };

/** The day view's columns, in resource order. */
const columns = (container: HTMLElement) => [...container.querySelectorAll<HTMLElement>(".rbc-time-content .rbc-day-slot")];
/** The quarter-hour slot at `minutes` past midnight in a column. */
const slotAt = (column: HTMLElement, minutes: number) => column.querySelectorAll<HTMLElement>(".rbc-time-slot")[minutes / 15];
const eventIn = (column: HTMLElement, text: string) =>
  [...column.querySelectorAll<HTMLElement>(".rbc-event")].find((e) => e.textContent?.includes(text));
/** Top of an event as a share of the day, in minutes from midnight. */
const minutesFromTop = (event: HTMLElement) => Math.round((parseFloat(event.style.top) / 100) * 24 * 60);

async function dayView(fake = api()) {
  const view = renderScreen(<CalendarScreen />, fake, DAY);
  await screen.findByText("Priya Shah", {}, SLOW);
  return view;
}

test("appointments sit in their staff member's column at London's time, coloured by service, with their status", async () => {
  const { container } = await dayView();
  const [amara, dana] = columns(container);
  expect(screen.getAllByText("Amara Okafor").length).toBeGreaterThan(0);
  const haircut = eventIn(amara!, "Oscar Smith")!;
  expect(haircut).toHaveTextContent("Haircut");
  expect(minutesFromTop(haircut)).toBe(10 * 60);
  expect(haircut.style.getPropertyValue("--service-color")).toBe("#4f46e5");
  const pending = eventIn(dana!, "Priya Shah")!;
  expect(pending).toHaveTextContent("Colour");
  expect(within(pending).getByText("Pending")).toBeInTheDocument();
  expect(pending).toHaveClass("cal-appt-pending");
  expect(minutesFromTop(pending)).toBe(14 * 60 + 30);
  expect(eventIn(amara!, "Priya Shah")).toBeUndefined();
  expect(screen.getByTestId("appointment-count")).toHaveTextContent("2 appointments");
});

test("after the clocks go forward, 08:00 UTC shows at 09:00 London", async () => {
  const summer = appointment("2027-03-29T08:00:00Z", "2027-03-29T08:45:00Z", { staff_id: IDS.amara });
  const server = api({ "GET /appointments": { body: page([summer]) } });
  const { container } = renderScreen(<CalendarScreen />, server, { path: "/calendar?view=day&date=2027-03-29", route: "/calendar" });
  await screen.findByText("Oscar Smith", {}, SLOW);
  expect(minutesFromTop(eventIn(columns(container)[0]!, "Oscar Smith")!)).toBe(9 * 60);
  const query = server.callsTo("GET /appointments")[0]!.query;
  expect(Object.fromEntries(query)).toMatchObject({ from: "2027-03-29", to: "2027-03-29", tz: "Europe/London" });
});

test("a day when the clocks change says how long it is", async () => {
  const server = api({ "GET /appointments": { body: page([appointment("2027-03-28T08:00:00Z", "2027-03-28T08:45:00Z")]) } });
  const { container } = renderScreen(<CalendarScreen />, server, { path: "/calendar?view=day&date=2027-03-28", route: "/calendar" });
  expect(await screen.findByText("This day has 23 hours: the clocks go forward in London.", {}, SLOW)).toBeInTheDocument();
  await screen.findByText("Oscar Smith", {}, SLOW);
  expect(minutesFromTop(eventIn(columns(container)[0]!, "Oscar Smith")!)).toBe(9 * 60);
});

test("every page of appointments is read (next_cursor followed)", async () => {
  const server = api({
    "GET /appointments": (req) => ({ body: req.query.get("cursor") === "p2" ? page([colour]) : page([cut], "p2") }),
  });
  renderScreen(<CalendarScreen />, server, DAY);
  await screen.findByText("Priya Shah", {}, SLOW);
  expect(server.callsTo("GET /appointments").map((c) => c.query.get("cursor"))).toEqual([null, "p2"]);
});

test("working hours, breaks and time off are shaded per staff column", async () => {
  const { container } = await dayView();
  await waitFor(() => expect(slotAt(columns(container)[0]!, 8 * 60 + 45)).toHaveClass("cal-slot-off"));
  const [amara, dana] = columns(container);
  expect(slotAt(amara!, 9 * 60)).not.toHaveAttribute("data-shade");
  expect(slotAt(amara!, 12 * 60 + 30)).toHaveClass("cal-slot-break");
  expect(slotAt(amara!, 12 * 60 + 30)).toHaveAttribute("title", "Break");
  expect(slotAt(amara!, 13 * 60)).not.toHaveAttribute("data-shade");
  expect(slotAt(amara!, 17 * 60)).toHaveClass("cal-slot-off");
  expect(slotAt(dana!, 9 * 60)).toHaveClass("cal-slot-time-off");
  expect(slotAt(dana!, 10 * 60 + 45)).toHaveClass("cal-slot-time-off");
  expect(slotAt(dana!, 11 * 60)).not.toHaveAttribute("data-shade");
});

test("clicking an empty time books it for that person at that London time", async () => {
  await dayView();
  act(() => {
    const props = dnd.props as unknown as { onSelectSlot: (slot: { start: Date; end: Date; resourceId: string; slots: Date[]; action: string }) => void };
    props.onSelectSlot({ start: new Date(2026, 11, 7, 11, 0), end: new Date(2026, 11, 7, 11, 15), resourceId: IDS.dana, slots: [], action: "click" });
  });
  const where = await screen.findByTestId("location");
  const url = new URL(where.textContent!, "http://app.test");
  expect(url.pathname).toBe("/appointments/new");
  expect(Object.fromEntries(url.searchParams)).toEqual({ staff_id: IDS.dana, start: "2026-12-07T11:00:00.000Z", location_id: IDS.soho });
});

test("clicking an appointment opens its panel", async () => {
  await dayView();
  await userEvent.click(screen.getByText("Oscar Smith"));
  expect(await screen.findByText(`Panel for ${cut.id}`)).toBeInTheDocument();
});

function drop(id: string, start: Date, resourceId?: string) {
  const props = dnd.props!;
  const event = props.events.find((e) => e.id === id)!;
  act(() => props.onEventDrop({ event, start, end: new Date(start.getTime() + 45 * 60_000), ...(resourceId ? { resourceId } : {}) }));
}

test("dragging to another person and time sends the move with the version, and shows it there at once", async () => {
  let release: () => void = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  let moved = false;
  const server = api({
    "GET /appointments": () => ({
      body: page(moved ? [{ ...cut, staff_id: IDS.dana, start_at: "2026-12-07T15:00:00Z", end_at: "2026-12-07T15:45:00Z", version: 4 }, colour] : [cut, colour]),
    }),
    "POST /appointments/{appointment_id}/reschedule": async () => {
      await answered;
      moved = true;
      return { body: { ...cut, customer: undefined, staff_id: IDS.dana, start_at: "2026-12-07T15:00:00+00:00", end_at: "2026-12-07T15:45:00+00:00", version: 4 } };
    },
  });
  const { container } = await dayView(server);
  drop(cut.id, new Date(2026, 11, 7, 15, 0), IDS.dana);
  await waitFor(() => expect(eventIn(columns(container)[1]!, "Oscar Smith")).toBeDefined());
  expect(minutesFromTop(eventIn(columns(container)[1]!, "Oscar Smith")!)).toBe(15 * 60);
  expect(eventIn(columns(container)[0]!, "Oscar Smith")).toBeUndefined();
  const [call] = server.callsTo("POST /appointments/{appointment_id}/reschedule");
  expect(call!.path).toBe(`/appointments/${cut.id}/reschedule`);
  expect(call!.body).toEqual({ start_at: "2026-12-07T15:00:00.000Z", staff_id: IDS.dana, version: 3 });
  release();
  expect(await screen.findByText(/Moved to .* with Dana Demo\./)).toBeInTheDocument();
  expect(eventIn(columns(container)[1]!, "Oscar Smith")).toBeDefined();
});

test("a refused drop puts the appointment back and says why", async () => {
  const server = api({
    "POST /appointments/{appointment_id}/reschedule": {
      status: 409,
      body: { error: { code: "slot_unavailable", message: "This time is outside working hours.", details: { reason: "outside_hours" } } },
    },
  });
  const { container } = await dayView(server);
  drop(cut.id, new Date(2026, 11, 7, 18, 0));
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("The appointment was not moved.");
  expect(alert).toHaveTextContent("This time is outside working hours.");
  expect(server.callsTo("POST /appointments/{appointment_id}/reschedule")[0]!.body).toEqual({
    start_at: "2026-12-07T18:00:00.000Z",
    staff_id: IDS.amara,
    version: 3,
  });
  const back = eventIn(columns(container)[0]!, "Oscar Smith")!;
  expect(minutesFromTop(back)).toBe(10 * 60);
});

test("a 422 refusal shows the field's reason too", async () => {
  const server = api({
    "POST /appointments/{appointment_id}/reschedule": {
      status: 422,
      body: { error: { code: "validation_failed", message: "Some fields are not valid.", details: { fields: { staff_id: "does not perform this service" } } } },
    },
  });
  await dayView(server);
  drop(cut.id, new Date(2026, 11, 7, 10, 0), IDS.dana);
  expect(await screen.findByRole("alert")).toHaveTextContent("does not perform this service");
});

test("dropping an appointment where it already is sends nothing", async () => {
  const server = api();
  await dayView(server);
  drop(cut.id, new Date(2026, 11, 7, 10, 0), IDS.amara);
  drop(cut.id, new Date(2026, 11, 7, 10, 0));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(server.callsTo("POST /appointments/{appointment_id}/reschedule")).toHaveLength(0);
});

test("the week view says which days have no appointments; the URL keeps the view and the person", async () => {
  const server = api({ "GET /appointments": { body: page([cut]) } });
  const { container, router } = renderScreen(<CalendarScreen />, server, { path: "/calendar?view=week&date=2026-12-09", route: "/calendar" });
  await screen.findByText("Oscar Smith", {}, SLOW);
  expect(Object.fromEntries(server.callsTo("GET /appointments")[0]!.query)).toMatchObject({ from: "2026-12-07", to: "2026-12-13" });
  const heads = [...container.querySelectorAll(".cal-day-head")].map((h) => h.textContent);
  expect(heads).toHaveLength(7);
  expect(heads[0]).toContain("1 appointment");
  expect(heads.slice(1).every((h) => h?.includes("No appointments"))).toBe(true);
  await userEvent.selectOptions(screen.getByLabelText("Staff"), IDS.amara);
  expect(router.state.location.search).toContain(`staff=${IDS.amara}`);
  await userEvent.click(screen.getByRole("button", { name: "Month" }));
  expect(router.state.location.search).toContain("view=month");
  await userEvent.click(screen.getByRole("button", { name: "Next month" }));
  expect(router.state.location.search).toContain("date=2027-01-01");
});

test("a week for one person is shaded with their hours, day by day", async () => {
  const server = api({ "GET /appointments": { body: page([cut]) } });
  const { container } = renderScreen(<CalendarScreen />, server, { path: `/calendar?view=week&date=2026-12-07&staff=${IDS.amara}`, route: "/calendar" });
  await screen.findByText("Oscar Smith", {}, SLOW);
  expect(Object.fromEntries(server.callsTo("GET /appointments")[0]!.query)).toMatchObject({ staff_id: IDS.amara });
  expect(server.callsTo("GET /staff/{staff_id}/schedule").map((c) => c.path)).toEqual([`/staff/${IDS.amara}/schedule`]);
  await waitFor(() => expect(slotAt(columns(container)[0]!, 12 * 60 + 30)).toHaveClass("cal-slot-break"));
  const days = columns(container);
  expect(days).toHaveLength(7);
  expect(slotAt(days[0]!, 10 * 60)).not.toHaveAttribute("data-shade");
  expect(slotAt(days[5]!, 10 * 60)).toHaveClass("cal-slot-off");
});

test("no staff yet: the calendar leads to adding one", async () => {
  renderScreen(<CalendarScreen />, api({ "GET /staff": { body: page([]) } }), DAY);
  expect(await screen.findByText("No staff members yet", {}, SLOW)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Add a staff member" })).toHaveAttribute("href", "/staff?new=1");
});

test("on a phone: one person's agenda, a week strip that shows empty days, and a staff choice", async () => {
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: query === "(max-width: 699px)",
    media: query,
    addEventListener: () => {},
    removeEventListener: () => {},
  }));
  const { router } = renderScreen(<CalendarScreen />, api(), DAY);
  const list = await screen.findByRole("list", { name: /Appointments on/ }, SLOW);
  expect(within(list).getByText("Oscar Smith")).toBeInTheDocument();
  expect(within(list).queryByText("Priya Shah")).toBeNull();
  expect(within(list).getByText("Haircut")).toBeInTheDocument();
  const day = (date: string) => formatDay(date, dashboardLocale());
  expect(screen.getByRole("button", { name: `${day("2026-12-07")}, 1 appointment` })).toHaveAttribute("aria-pressed", "true");
  const sunday = screen.getByRole("button", { name: `${day("2026-12-13")}, No appointments` });
  expect(sunday).toHaveClass("is-empty");
  expect(sunday).toHaveTextContent("–");
  await userEvent.selectOptions(screen.getByLabelText("Whose calendar"), IDS.dana);
  expect(router.state.location.search).toContain(`staff=${IDS.dana}`);
  expect(await screen.findByText("Priya Shah")).toBeInTheDocument();
  await userEvent.click(sunday);
  expect(router.state.location.search).toContain("date=2026-12-13");
  expect(await screen.findByText("No appointments on this day.")).toBeInTheDocument();
});

test("cancelled appointments are hidden until asked for, then drawn as cancelled and not counted", async () => {
  const gone = appointment("2026-12-07T12:00:00Z", "2026-12-07T12:45:00Z", {
    staff_id: IDS.amara,
    service_id: IDS.haircut,
    status: "cancelled",
    customer: { id: "c3", name: "Cara Gone", email: null, phone: null },
  });
  const { container } = await dayView(api({ "GET /appointments": { body: page([cut, colour, gone]) } }));
  const [amara] = columns(container);
  expect(eventIn(amara!, "Cara Gone")).toBeUndefined();

  await userEvent.click(screen.getByRole("checkbox", { name: "Show cancelled" }));
  const drawn = await waitFor(() => {
    const found = eventIn(columns(container)[0]!, "Cara Gone");
    expect(found).toBeDefined();
    return found!;
  });
  expect(drawn).toHaveClass("cal-appt-cancelled");
  expect(screen.getByTestId("appointment-count")).toHaveTextContent("2 appointments");
});

describe("Google busy times", () => {
  const LONDON = "Europe/London";
  const range = (from: string, to: string) => formatTimeRange(from, to, LONDON, dashboardLocale());
  /** The busy blocks drawn in a column. */
  const blocksIn = (column: HTMLElement) => within(column).queryAllByRole("img", { name: /^Busy \(Google\)/ });
  const heightInMinutes = (block: HTMLElement) => Math.round((parseFloat(block.style.height) / 100) * 24 * 60);

  test("grey blocks in their person's column, under the appointments, named with their times, never opened nor moved", async () => {
    const server = api({
      "GET /calendar/busy": {
        body: {
          items: [
            busy(IDS.amara, "2026-12-07T12:00:00Z", "2026-12-07T13:30:00Z"),
            busy(IDS.amara, "2026-12-07T13:00:00Z", "2026-12-07T14:00:00Z"),
            busy(IDS.dana, "2026-12-07T15:00:00Z", "2026-12-07T15:30:00Z"),
          ],
        },
      },
    });
    const { container } = await dayView(server);
    const [amara, dana] = columns(container);
    const block = await within(amara!).findByRole("img", { name: `Busy (Google), ${range("2026-12-07T12:00:00Z", "2026-12-07T14:00:00Z")}, Amara Okafor` }, SLOW);
    expect(blocksIn(amara!)).toHaveLength(1);
    expect(block).toHaveTextContent("Busy (Google)");
    expect(minutesFromTop(block)).toBe(12 * 60);
    expect(heightInMinutes(block)).toBe(2 * 60);
    expect(blocksIn(dana!).map((b) => b.getAttribute("aria-label"))).toEqual([`Busy (Google), ${range("2026-12-07T15:00:00Z", "2026-12-07T15:30:00Z")}, Dana Demo`]);
    // Under the appointments: drawn before them in the column, and neither focusable nor a button.
    const appointments = amara!.querySelector(".rbc-events-container")!;
    expect(block.compareDocumentPosition(appointments) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(block).not.toHaveAttribute("tabindex");
    expect(within(amara!).queryByRole("button", { name: /Busy/ })).toBeNull();
    expect(dnd.props!.events.map((e) => e.id)).toEqual([cut.id, colour.id]);
    expect(within(screen.getByRole("list", { name: "Shading" })).getByText("Busy (Google)")).toBeInTheDocument();
    expect(Object.fromEntries(server.callsTo("GET /calendar/busy")[0]!.query)).toEqual({ from: "2026-12-07", to: "2026-12-07", tz: LONDON });
    // The grid still works as before: the appointment over its own time opens.
    await userEvent.click(screen.getByText("Oscar Smith"));
    expect(await screen.findByText(`Panel for ${cut.id}`)).toBeInTheDocument();
  });

  test("a week for one person: their busy times day by day, cut at midnight", async () => {
    const server = api({
      "GET /appointments": { body: page([cut]) },
      "GET /calendar/busy": { body: { items: [busy(IDS.amara, "2026-12-08T22:00:00Z", "2026-12-09T02:00:00Z")] } },
    });
    const { container } = renderScreen(<CalendarScreen />, server, { path: `/calendar?view=week&date=2026-12-07&staff=${IDS.amara}`, route: "/calendar" });
    const days = await waitFor(() => {
      const found = columns(container);
      expect(blocksIn(found[1]!)).toHaveLength(1);
      return found;
    }, SLOW);
    const [tuesday] = blocksIn(days[1]!);
    expect(minutesFromTop(tuesday!)).toBe(22 * 60);
    // To the bottom of the day (the grid's day ends a minute short of midnight).
    expect(minutesFromTop(tuesday!) + heightInMinutes(tuesday!)).toBeGreaterThanOrEqual(24 * 60 - 1);
    const [wednesday] = blocksIn(days[2]!);
    expect(wednesday).toHaveAccessibleName(`Busy (Google), ${range("2026-12-09T00:00:00Z", "2026-12-09T02:00:00Z")}, Amara Okafor`);
    expect(minutesFromTop(wednesday!)).toBe(0);
    expect(days.filter((d) => blocksIn(d).length > 0)).toHaveLength(2);
    expect(Object.fromEntries(server.callsTo("GET /calendar/busy")[0]!.query)).toMatchObject({ from: "2026-12-07", to: "2026-12-13", staff_id: IDS.amara });
  });

  test("not asked for in a week of everyone, nor in a month, nor without Google Calendar in the plan", async () => {
    const everyone = api({ "GET /appointments": { body: page([cut]) } });
    renderScreen(<CalendarScreen />, everyone, { path: "/calendar?view=week&date=2026-12-07", route: "/calendar" });
    await screen.findByText("Oscar Smith", {}, SLOW);
    expect(everyone.callsTo("GET /calendar/busy")).toHaveLength(0);
    cleanup();

    const month = api({ "GET /appointments": { body: page([cut]) } });
    renderScreen(<CalendarScreen />, month, { path: `/calendar?view=month&date=2026-12-07&staff=${IDS.amara}`, route: "/calendar" });
    await screen.findByText(/Haircut/, {}, SLOW);
    expect(month.callsTo("GET /calendar/busy")).toHaveLength(0);
    cleanup();

    const base = me();
    const withoutPlan = api({ "GET /auth/me": { body: { ...base, features: { ...base.features, google_calendar: false } } } });
    await dayView(withoutPlan);
    expect(withoutPlan.callsTo("GET /calendar/busy")).toHaveLength(0);
  });

  test("busy times that cannot be loaded are said, and the appointments still show", async () => {
    const { container } = await dayView(api({ "GET /calendar/busy": { status: 500, body: {} } }));
    expect(await screen.findByText(/Busy times from Google Calendar could not be loaded/, {}, SLOW)).toBeInTheDocument();
    expect(eventIn(columns(container)[0]!, "Oscar Smith")).toBeDefined();
  });
});
