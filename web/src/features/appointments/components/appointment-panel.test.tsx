import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi, invalid, type FakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { appointment, baseHandlers, changed, IDS, slot } from "../test-fixtures";

const COLLEAGUE = "7d1c4b1e-5a2f-4c3b-9e8d-1f2a3b4c5d6e";
import { AppointmentPanel } from "./appointment-panel";

/** The fake's stored appointment: reads answer it, and a change that succeeds (`saved`) replaces it. */
let stored: Schemas["NamedAppointment"];

function setUp(a: Schemas["NamedAppointment"], extra: Parameters<typeof fakeApi>[0] = {}): FakeApi {
  stored = a;
  return fakeApi({ ...baseHandlers(), "GET /appointments/{appointment_id}": () => ({ body: stored }), ...extra });
}

function saved(changes: Partial<Schemas["Appointment"]>): Schemas["Appointment"] {
  const answer = changed(stored, changes);
  stored = { ...stored, ...answer };
  return answer;
}

function show(fake: FakeApi) {
  return renderScreen(<AppointmentPanel appointmentId={IDS.appointment} />, fake, {
    path: `/appointments/${IDS.appointment}`,
    route: "/appointments/:appointmentId",
  });
}

describe("AppointmentPanel", () => {
  it("shows what, when and who, with tappable contact links and the zone named", async () => {
    const a = appointment(48, { notes: "Bring photos", internal_notes: "Prefers Sam" });
    show(setUp(a));

    expect(await screen.findByRole("heading", { name: "Haircut" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "+44 7700 900148" })).toHaveAttribute("href", "tel:+447700900148");
    expect(screen.getByRole("link", { name: "oscar.smith@example.com" })).toHaveAttribute("href", "mailto:oscar.smith@example.com");
    expect(screen.getByText("Oscar Smith")).toBeInTheDocument();
    expect(screen.getByText("Dana Demo")).toBeInTheDocument();
    expect(screen.getByText("Soho")).toBeInTheDocument();
    expect(screen.getByText("£45.00")).toBeInTheDocument();
    expect(screen.getByText("Confirmed")).toHaveClass("status-confirmed");
    expect(screen.getByText(/London time/)).toBeInTheDocument();
    expect(screen.getByText("Bring photos")).toBeInTheDocument();
    expect(screen.getByText("Prefers Sam")).toBeInTheDocument();
  });

  it("confirms a pending booking with the version it shows", async () => {
    const a = appointment(48, { status: "pending" });
    const fake = setUp(a, { "POST /appointments/{appointment_id}/confirm": { body: changed(a, { status: "confirmed" }) } });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Confirm" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/{appointment_id}/confirm")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments/{appointment_id}/confirm")[0]?.body).toEqual({ version: 3 });
    expect(screen.queryByRole("button", { name: "Mark completed" })).not.toBeInTheDocument();
  });

  it("asks before marking a started appointment completed, then sends the version", async () => {
    const a = appointment(-1);
    const fake = setUp(a, { "POST /appointments/{appointment_id}/complete": () => ({ body: saved({ status: "completed" }) }) });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Mark completed" }));
    const dialog = screen.getByRole("dialog", { name: "Mark as completed?" });
    expect(fake.callsTo("POST /appointments/{appointment_id}/complete")).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole("button", { name: "Mark completed" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/{appointment_id}/complete")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments/{appointment_id}/complete")[0]?.body).toEqual({ version: 3 });
    expect(await screen.findByText("Completed")).toHaveClass("status-completed");
  });

  it("asks before a no-show and sends nothing when the question is dismissed", async () => {
    const fake = setUp(appointment(-1));
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Mark no-show" }));
    await userEvent.click(within(screen.getByRole("dialog", { name: "Mark as a no-show?" })).getByRole("button", { name: "Cancel" }));

    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(fake.callsTo("POST /appointments/{appointment_id}/no-show")).toHaveLength(0);
  });

  it("refuses completed and no-show before the start, saying when it starts", async () => {
    const fake = setUp(appointment(3));
    show(fake);

    const complete = await screen.findByRole("button", { name: "Mark completed" });
    const noShow = screen.getByRole("button", { name: "Mark no-show" });
    expect(complete).toBeDisabled();
    expect(noShow).toBeDisabled();
    expect(complete).toHaveAccessibleDescription(/can be marked once it has started/);
    await userEvent.click(complete);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(fake.calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("shows the API's not_started refusal as it is", async () => {
    const a = appointment(-1);
    const fake = setUp(a, {
      "POST /appointments/{appointment_id}/no-show": {
        status: 409,
        body: { error: { code: "not_started", message: "This appointment starts on 2026-12-09 at 10:00 (Europe/London); it can be marked a no-show once it has started.", details: {} } },
      },
    });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Mark no-show" }));
    await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Mark no-show" }));

    expect(await screen.findByText(/it can be marked a no-show once it has started/)).toBeInTheDocument();
  });

  it("reschedules to a free time, asking for times with its own time left out", async () => {
    const a = appointment(48);
    const target = new Date(new Date(a.start_at).getTime() + 15 * 60_000).toISOString();
    const fake = setUp(a, {
      "GET /availability": (req) => ({
        body: { service_id: IDS.service, staff_id: IDS.dana, location_id: null, tz: "Europe/London", from: req.query.get("from"), to: req.query.get("to"), slots: [slot(target)] },
      }),
      "POST /appointments/{appointment_id}/reschedule": { body: changed(a, { start_at: target }) },
    });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Reschedule…" }));
    const times = await screen.findByRole("group", { name: "Free times" });
    const query = fake.callsTo("GET /availability")[0]?.query;
    expect(query?.get("exclude_appointment_id")).toBe(IDS.appointment);
    expect(query?.get("service_id")).toBe(IDS.service);
    expect(query?.get("staff_id")).toBe(IDS.dana);
    await userEvent.click(within(times).getAllByRole("button")[0] as HTMLElement);
    await userEvent.click(screen.getByRole("button", { name: "Move here" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/{appointment_id}/reschedule")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments/{appointment_id}/reschedule")[0]?.body).toEqual({
      start_at: target,
      staff_id: IDS.dana,
      location_id: IDS.soho,
      version: 3,
    });
  });

  it("explains a time taken meanwhile and reads the free times again", async () => {
    const a = appointment(48);
    const target = new Date(new Date(a.start_at).getTime() + 60 * 60_000).toISOString();
    const fake = setUp(a, {
      "GET /availability": { body: { service_id: IDS.service, staff_id: IDS.dana, location_id: null, tz: "Europe/London", from: "2026-12-04", to: "2026-12-04", slots: [slot(target)] } },
      "POST /appointments/{appointment_id}/reschedule": {
        status: 409,
        body: { error: { code: "slot_taken", message: "This time has just been taken; please choose another.", details: {} } },
      },
    });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Reschedule…" }));
    await userEvent.click(within(await screen.findByRole("group", { name: "Free times" })).getAllByRole("button")[0] as HTMLElement);
    await userEvent.click(screen.getByRole("button", { name: "Move here" }));

    expect(await screen.findByText(/That time has just been taken/)).toBeInTheDocument();
    await waitFor(() => expect(fake.callsTo("GET /availability").length).toBeGreaterThan(1));
    expect(screen.getByRole("button", { name: "Move here" })).toBeDisabled();
  });

  it("edits the notes with the version, and says to reload when someone changed it meanwhile", async () => {
    const a = appointment(48, { notes: "Old" });
    let saves = 0;
    const fake = setUp(a, {
      "PATCH /appointments/{appointment_id}": () => {
        saves += 1;
        return saves === 1
          ? { body: saved({ notes: "Bring photos", internal_notes: "VIP" }) }
          : { status: 409, body: { error: { code: "stale_version", message: "The appointment was changed by someone else; reload and try again.", details: { version: 5 } } } };
      },
    });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Edit notes" }));
    const notes = screen.getByLabelText(/Customer's notes/);
    await userEvent.clear(notes);
    await userEvent.type(notes, "Bring photos");
    await userEvent.type(screen.getByLabelText(/Internal notes/), "VIP");
    await userEvent.click(screen.getByRole("button", { name: "Save notes" }));

    await waitFor(() => expect(fake.callsTo("PATCH /appointments/{appointment_id}")).toHaveLength(1));
    expect(fake.callsTo("PATCH /appointments/{appointment_id}")[0]?.body).toEqual({ notes: "Bring photos", internal_notes: "VIP", version: 3 });
    expect(await screen.findByText("VIP")).toBeInTheDocument();

    const readsBefore = fake.callsTo("GET /appointments/{appointment_id}").length;
    await userEvent.click(screen.getByRole("button", { name: "Edit notes" }));
    await userEvent.type(screen.getByLabelText(/Internal notes/), " again");
    await userEvent.click(screen.getByRole("button", { name: "Save notes" }));

    expect(await screen.findByText(/Someone else changed this appointment a moment ago/)).toBeInTheDocument();
    await waitFor(() => expect(fake.callsTo("GET /appointments/{appointment_id}").length).toBeGreaterThan(readsBefore));
  });

  it("puts a 422 on the notes field and clears it once fixed", async () => {
    const a = appointment(48);
    const fake = setUp(a, { "PATCH /appointments/{appointment_id}": invalid({ internal_notes: "Expected `str` of length <= 2000" }) });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Edit notes" }));
    const internal = screen.getByLabelText(/Internal notes/);
    await userEvent.type(internal, "x");
    await userEvent.click(screen.getByRole("button", { name: "Save notes" }));

    expect(await screen.findByText("Use at most 2000 characters.")).toBeInTheDocument();
    expect(internal).toHaveAttribute("aria-invalid", "true");
    await userEvent.type(internal, "y");
    await waitFor(() => expect(screen.queryByText("Use at most 2000 characters.")).not.toBeInTheDocument());
  });

  it("cancels this and the following appointments of a series, with the reason", async () => {
    const a = appointment(48, { series_id: IDS.series });
    const fake = setUp(a, {
      "POST /appointments/{appointment_id}/cancel": {
        body: { ...changed(a, { status: "cancelled", cancel_reason: "Moving away", cancelled_by: "business" }), cancelled: [IDS.appointment, "1b2c3d4e-0000-4000-8000-000000000001", "1b2c3d4e-0000-4000-8000-000000000002"] },
      },
    });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Cancel…" }));
    await userEvent.type(screen.getByLabelText(/Reason/), "Moving away");
    await userEvent.click(screen.getByLabelText("This one and the later ones of the series"));
    await userEvent.click(screen.getByRole("button", { name: "Cancel appointment" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/{appointment_id}/cancel")).toHaveLength(1));
    expect(fake.callsTo("POST /appointments/{appointment_id}/cancel")[0]?.body).toEqual({ reason: "Moving away", scope: "following", version: 3 });
    expect(await screen.findByText("Cancelled, with 2 later appointments of the series.")).toBeInTheDocument();
  });

  it("cancels only this one when it is not part of a series (no choice offered)", async () => {
    const a = appointment(48);
    const fake = setUp(a, { "POST /appointments/{appointment_id}/cancel": { body: { ...changed(a, { status: "cancelled" }), cancelled: [IDS.appointment] } } });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Cancel…" }));
    expect(screen.queryByLabelText("This one and the later ones of the series")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Cancel appointment" }));

    await waitFor(() => expect(fake.callsTo("POST /appointments/{appointment_id}/cancel")[0]?.body).toEqual({ reason: null, scope: "this", version: 3 }));
  });

  it("explains a status changed meanwhile and reloads", async () => {
    const a = appointment(48, { status: "pending" });
    const fake = setUp(a, {
      "POST /appointments/{appointment_id}/confirm": {
        status: 409,
        body: { error: { code: "invalid_transition", message: "The appointment's status does not allow this.", details: { status: "cancelled", action: "confirm" } } },
      },
    });
    show(fake);

    await userEvent.click(await screen.findByRole("button", { name: "Confirm" }));

    expect(await screen.findByText(/status has changed in the meantime/)).toBeInTheDocument();
    await waitFor(() => expect(fake.callsTo("GET /appointments/{appointment_id}").length).toBeGreaterThan(1));
  });

  it("offers no status change on a closed appointment", async () => {
    show(setUp(appointment(-30, { status: "cancelled", cancel_reason: "Ill", cancelled_by: "customer", cancelled_at: "2026-11-30T10:00:00+00:00" })));

    expect(await screen.findByText(/This appointment is closed/)).toBeInTheDocument();
    expect(screen.getByText("“Ill”")).toBeInTheDocument();
    expect(screen.getByText(/By the customer/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Cancel…" })).not.toBeInTheDocument();
  });

  it("reads the history when it is opened, naming the team members who made each change", async () => {
    const a = appointment(48);
    const fake = setUp(a, {
      "GET /appointments/{appointment_id}/history": {
        body: {
          items: [
            { action: "created", actor: { type: "user", id: IDS.me }, at: "2026-11-22T01:35:00+00:00", before: null, after: { status: "confirmed", start_at: a.start_at, staff_id: IDS.dana } },
            { action: "edited", actor: { type: "customer", id: IDS.customer }, at: "2026-11-23T09:00:00+00:00", before: { notes: null }, after: { notes: "Bring photos" } },
            { action: "confirmed", actor: { type: "user", id: COLLEAGUE }, at: "2026-11-24T09:00:00+00:00", before: { status: "pending" }, after: { status: "confirmed" } },
          ],
        },
      },
      "GET /business/users": { body: fx.team([fx.member({ user_id: COLLEAGUE, name: "Priya Shah", role: "staff" })]) },
    });
    show(fake);

    await screen.findByRole("heading", { name: "Haircut" });
    expect(fake.callsTo("GET /appointments/{appointment_id}/history")).toHaveLength(0);
    await userEvent.click(screen.getByText("History"));

    const changes = await screen.findByRole("list", { name: "Changes" });
    expect(within(changes).getByText("Booked")).toBeInTheDocument();
    expect(within(changes).getByText(/You ·/)).toBeInTheDocument();
    expect(within(changes).getByText(/The customer ·/)).toBeInTheDocument();
    expect(await within(changes).findByText(/Priya Shah ·/)).toBeInTheDocument();
    expect(within(changes).getByText("Bring photos")).toBeInTheDocument();
  });

  it("says so when the appointment is not found", async () => {
    show(fakeApi(baseHandlers()));

    expect(await screen.findByText("This appointment was not found.")).toBeInTheDocument();
  });
});
