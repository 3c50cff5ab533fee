import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { planLimit } from "../../../testing/billing-fixtures";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import * as fx from "../../../testing/fixtures";
import { StaffMemberScreen } from "./staff-member";

const SHOREDITCH = "5b7a1c52-0d7e-4c55-9a0e-1f3f8f0b6a21";

const SCHEDULE: Schemas["Schedule"] = {
  weekly: [{ location_id: fx.IDS.soho, weekday: 3, start: "09:00", end: "13:00", breaks: [] }],
  overrides: [{ date: "2027-12-11", location_id: null, intervals: [] }],
};

function setup(extra: Parameters<typeof fakeApi>[0] = {}, role: Schemas["Me"]["role"] = "owner") {
  return fakeApi({
    "GET /auth/me": { body: fx.me({ role }) },
    "GET /locations": { body: fx.page([fx.location(), fx.location({ id: SHOREDITCH, name: "Shoreditch" })]) },
    "GET /business/users": { body: fx.team([fx.member(), fx.member({ user_id: "7e1d2c3b-0000-4000-8000-000000000002", name: "Amara Okafor", email: "amara@demo-salon.test", role: "staff" })]) },
    "GET /staff/{staff_id}": { body: fx.staffMember() },
    "GET /staff/{staff_id}/schedule": { body: SCHEDULE },
    "GET /staff/{staff_id}/time-off": { body: fx.page([]) },
    "GET /calendar/status": { body: { items: [] } },
    ...extra,
  });
}

const open = (fake: ReturnType<typeof setup>) => renderScreen(<StaffMemberScreen />, fake, { path: `/staff/${fx.IDS.dana}`, route: "/staff/:staffId" });
const profile = async () => within(await screen.findByRole("form", { name: "Staff profile" }));
const hours = async () => within(await screen.findByRole("form", { name: "Working hours" }));

// Many typed keystrokes per test, on a machine shared with other test runs.
vi.setConfig({ testTimeout: 30_000 });

afterEach(() => vi.unstubAllGlobals());

describe("profile", () => {
  test("shows every field and PATCHes them all with the version read", async () => {
    const fake = setup({ "PATCH /staff/{staff_id}": (req) => ({ body: fx.staffMember({ ...(req.body as object), version: 4 }) }) });
    const user = userEvent.setup();
    open(fake);
    const form = await profile();
    expect(form.getByLabelText("Name")).toHaveValue("Dana Demo");
    expect(form.getByLabelText(/E-mail/)).toHaveValue("owner@demo-salon.test");
    expect(form.getByLabelText(/Bio/)).toHaveValue("Owner. Consultations, cuts and the odd blow-dry.");
    expect(form.getByRole("checkbox", { name: "Soho" })).toBeChecked();
    expect(form.getByRole("checkbox", { name: "Shoreditch" })).not.toBeChecked();
    expect(form.getByLabelText(/Team login/)).toHaveValue(fx.IDS.owner);
    await user.clear(form.getByLabelText("Name"));
    await user.type(form.getByLabelText("Name"), "Dana D.");
    await user.selectOptions(form.getByLabelText("Time zone"), "America/New_York");
    await user.click(form.getByRole("checkbox", { name: "Shoreditch" }));
    await user.click(form.getByRole("checkbox", { name: /book them online/ }));
    await user.selectOptions(form.getByLabelText(/Team login/), "");
    await user.click(form.getByRole("button", { name: "Save profile" }));
    await waitFor(() => expect(fake.callsTo("PATCH /staff/{staff_id}")).toHaveLength(1));
    expect(fake.callsTo("PATCH /staff/{staff_id}")[0]?.body).toEqual({
      name: "Dana D.",
      email: "owner@demo-salon.test",
      phone: "+44 7700 900001",
      bio: "Owner. Consultations, cuts and the odd blow-dry.",
      time_zone: "America/New_York",
      location_ids: [fx.IDS.soho, SHOREDITCH],
      bookable: false,
      user_id: null,
      version: 3,
    });
  });

  test("a 422 goes onto its field and clears once fixed; a login linked elsewhere goes onto the login", async () => {
    let attempt = 0;
    const fake = setup({
      "PATCH /staff/{staff_id}": () => {
        attempt += 1;
        if (attempt === 1) return invalid({ email: "Expected `str` of length <= 254" });
        return { status: 409, body: { error: { code: "staff_user_taken", message: "This login is already linked to another staff profile.", details: {} } } };
      },
    });
    const user = userEvent.setup();
    open(fake);
    const form = await profile();
    await user.click(form.getByRole("button", { name: "Save profile" }));
    const email = form.getByLabelText(/E-mail/);
    expect(await form.findByText("Use at most 254 characters.")).toBeInTheDocument();
    expect(email).toHaveAttribute("aria-invalid", "true");
    await user.type(email, "x");
    await waitFor(() => expect(form.queryByText("Use at most 254 characters.")).not.toBeInTheDocument());
    await user.click(form.getByRole("button", { name: "Save profile" }));
    expect(await form.findByText("This login is already linked to another staff profile.")).toBeInTheDocument();
    expect(form.getByLabelText(/Team login/)).toHaveAttribute("aria-invalid", "true");
  });

  test("a stale version is explained with a reload", async () => {
    const fake = setup({ "PATCH /staff/{staff_id}": fx.refusal(409, "stale_version", "The staff member was changed by someone else; reload and try again.") });
    const user = userEvent.setup();
    open(fake);
    const form = await profile();
    await user.click(form.getByRole("button", { name: "Save profile" }));
    expect(await form.findByText(/changed by someone else/)).toBeInTheDocument();
    expect(form.getByRole("button", { name: "Reload" })).toBeInTheDocument();
  });

  test("deactivating asks first, then DELETEs and goes back to the list", async () => {
    const fake = setup({ "DELETE /staff/{staff_id}": { status: 204 } });
    const user = userEvent.setup();
    open(fake);
    await user.click(await screen.findByRole("button", { name: "Deactivate" }));
    const dialog = screen.getByRole("dialog", { name: "Deactivate Dana Demo?" });
    expect(fake.callsTo("DELETE /staff/{staff_id}")).toHaveLength(0);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Deactivate" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Deactivate" }));
    expect(await screen.findByTestId("location")).toHaveTextContent("/staff");
    expect(fake.callsTo("DELETE /staff/{staff_id}")[0]?.path).toBe(`/staff/${fx.IDS.dana}`);
  });

  test("an inactive member can be reactivated", async () => {
    const fake = setup({
      "GET /staff/{staff_id}": { body: fx.staffMember({ active: false }) },
      "PATCH /staff/{staff_id}": { body: fx.staffMember({ version: 4 }) },
    });
    const user = userEvent.setup();
    open(fake);
    await user.click(await screen.findByRole("button", { name: "Reactivate" }));
    await waitFor(() => expect(fake.callsTo("PATCH /staff/{staff_id}")[0]?.body).toEqual({ active: true, version: 3 }));
  });

  test("/staff/new creates a profile and opens it", async () => {
    const fake = setup({ "POST /staff": { status: 201, body: fx.staffMember({ id: fx.IDS.amara, name: "Amara Okafor" }) } });
    const user = userEvent.setup();
    const { router } = renderScreen(<StaffMemberScreen />, fake, { path: "/staff/new", route: "/staff/:staffId" });
    const form = within(await screen.findByRole("form", { name: "New staff member" }));
    await user.type(await form.findByLabelText("Name"), "Amara Okafor");
    await user.click(form.getByRole("button", { name: "Add staff member" }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/staff/${fx.IDS.amara}`));
    expect(fake.callsTo("POST /staff")[0]?.body).toMatchObject({ name: "Amara Okafor", location_ids: [], user_id: null });
  });

  test("the plan's staff limit is explained with the plan that lifts it", async () => {
    const fake = setup({ "POST /staff": planLimit("staff", 2, 2) });
    const user = userEvent.setup();
    renderScreen(<StaffMemberScreen />, fake, { path: "/staff/new", route: "/staff/:staffId" });
    const form = within(await screen.findByRole("form", { name: "New staff member" }));
    await user.type(await form.findByLabelText("Name"), "Amara Okafor");
    await user.click(form.getByRole("button", { name: "Add staff member" }));
    expect(await form.findByText("The Basic plan includes 2 staff members, and you have 2. Upgrade to Pro for more.")).toBeInTheDocument();
    expect(form.getByRole("link", { name: "Compare plans" })).toHaveAttribute("href", "/settings/plans");
  });

  test("a staff-role user is told who edits profiles, and the API's 403 is shown as it is", async () => {
    const fake = setup(
      {
        "GET /business/users": fx.refusal(403, "forbidden", "This needs the admin role."),
        "PATCH /staff/{staff_id}": fx.refusal(403, "forbidden", "Only admins can change staff profiles."),
      },
      "staff",
    );
    const user = userEvent.setup();
    open(fake);
    expect(await screen.findByText(/Only owners and admins change profiles/)).toBeInTheDocument();
    const form = await profile();
    expect(form.getByText(/We couldn't load the team's logins: This needs the admin role./)).toBeInTheDocument();
    expect(form.getByLabelText(/Team login/)).toHaveValue(fx.IDS.owner);
    await user.click(form.getByRole("button", { name: "Save profile" }));
    expect(await form.findByText("Only admins can change staff profiles.")).toBeInTheDocument();
  });
});

describe("photo", () => {
  const file = (type: string, size: number) => new File([new Uint8Array(size)], "face", { type });

  test("refuses other types and files over 2 MB without asking the API", async () => {
    const fake = setup();
    open(fake);
    const input = await screen.findByLabelText("Upload a photo");
    fireEvent.change(input, { target: { files: [file("image/gif", 100)] } });
    expect(await screen.findByText("Choose a PNG, JPEG or WebP image.")).toBeInTheDocument();
    fireEvent.change(input, { target: { files: [file("image/png", 2 * 1024 * 1024 + 1)] } });
    expect(await screen.findByText(/the photo can be at most 2 MB/)).toBeInTheDocument();
    expect(fake.callsTo("POST /staff/{staff_id}/photo")).toHaveLength(0);
  });

  test("posts the file with the presigned fields to the presigned URL, then shows the new photo", async () => {
    const form: Schemas["UploadForm"] = {
      url: "https://uploads.s3.amazonaws.com/",
      fields: { key: "businesses/b1/staff/s1/new.png", "Content-Type": "image/png", policy: "eyJ...", "x-amz-signature": "abc" },
      key: "businesses/b1/staff/s1/new.png",
      expires_in: 300,
      max_bytes: 2097152,
    };
    let uploaded = false;
    const fake = setup({
      "POST /staff/{staff_id}/photo": { status: 201, body: form },
      "GET /staff/{staff_id}": () => ({ body: fx.staffMember({ photo_key: uploaded ? form.key : null }) }),
    });
    const s3 = vi.fn(async () => {
      uploaded = true;
      return new Response(null, { status: 204 });
    });
    vi.stubGlobal("fetch", s3);
    open(fake);
    const chosen = file("image/png", 1000);
    fireEvent.change(await screen.findByLabelText("Upload a photo"), { target: { files: [chosen] } });
    expect(await screen.findByRole("img", { name: "Photo of Dana Demo" })).toHaveAttribute("src", `http://media.test/${form.key}`);
    expect(fake.callsTo("POST /staff/{staff_id}/photo")[0]?.body).toEqual({ content_type: "image/png" });
    expect(s3).toHaveBeenCalledTimes(1);
    const [url, init] = s3.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(form.url);
    expect(init.method).toBe("POST");
    const sent = init.body as FormData;
    expect([...sent.keys()]).toEqual(["key", "Content-Type", "policy", "x-amz-signature", "file"]);
    expect(sent.get("x-amz-signature")).toBe("abc");
    expect(sent.get("file")).toBe(chosen);
  });

  test("a refusal by the storage is shown", async () => {
    const fake = setup({
      "POST /staff/{staff_id}/photo": { status: 201, body: { url: "https://uploads.test/", fields: {}, key: "k", expires_in: 300, max_bytes: 2097152 } },
    });
    vi.stubGlobal("fetch", vi.fn(async () => new Response("<Error/>", { status: 403 })));
    open(fake);
    fireEvent.change(await screen.findByLabelText("Upload a photo"), { target: { files: [file("image/jpeg", 10)] } });
    expect(await screen.findByText(/The upload was refused \(HTTP 403\)/)).toBeInTheDocument();
  });
});

describe("working hours", () => {
  test("shows the weekly blocks and dated changes, and PUTs the whole schedule row for row", async () => {
    const fake = setup({
      "GET /staff/{staff_id}": { body: fx.staffMember({ location_ids: [fx.IDS.soho, SHOREDITCH] }) },
      "PUT /staff/{staff_id}/schedule": (req) => ({ body: req.body }),
    });
    const user = userEvent.setup();
    open(fake);
    const form = await hours();
    const wednesday = within(form.getByRole("group", { name: "Wednesday" }));
    expect(wednesday.getByLabelText("Wednesday from")).toHaveValue("09:00");
    expect(wednesday.getByLabelText("until")).toHaveValue("13:00");
    expect(within(form.getByRole("group", { name: "Monday" })).getByText("Not working")).toBeInTheDocument();
    await user.click(wednesday.getByRole("button", { name: "Add a break" }));
    await user.click(within(form.getByRole("group", { name: "Friday" })).getByRole("button", { name: "Add hours on Friday" }));
    const friday = within(form.getByRole("group", { name: "Friday" }));
    await user.selectOptions(friday.getByLabelText("Location"), SHOREDITCH);
    fireEvent.change(friday.getByLabelText("until"), { target: { value: "18:30" } });
    const change = within(form.getByRole("group", { name: "Change 1" }));
    expect(change.getByLabelText("Date")).toHaveValue("2027-12-11");
    await user.click(form.getByRole("button", { name: "Add a date" }));
    const added = within(form.getByRole("group", { name: "Change 2" }));
    await user.type(added.getByLabelText("Date"), "2027-12-24");
    await user.selectOptions(added.getByLabelText("That day"), "hours");
    await user.selectOptions(added.getByLabelText("Location"), fx.IDS.soho);
    fireEvent.change(added.getByLabelText("until"), { target: { value: "13:00" } });
    await user.click(form.getByRole("button", { name: "Save working hours" }));
    await waitFor(() => expect(fake.callsTo("PUT /staff/{staff_id}/schedule")).toHaveLength(1));
    expect(fake.callsTo("PUT /staff/{staff_id}/schedule")[0]?.body).toEqual({
      weekly: [
        { location_id: fx.IDS.soho, weekday: 3, start: "09:00", end: "13:00", breaks: [{ start: "12:00", end: "13:00" }] },
        { location_id: SHOREDITCH, weekday: 5, start: "09:00", end: "18:30", breaks: [] },
      ],
      overrides: [
        { date: "2027-12-11", location_id: null, intervals: [] },
        { date: "2027-12-24", location_id: fx.IDS.soho, intervals: [{ start: "09:00", end: "13:00" }] },
      ],
    });
  });

  test("another block on a day starts where the last one ends", async () => {
    const fake = setup();
    const user = userEvent.setup();
    open(fake);
    const form = await hours();
    const wednesday = within(form.getByRole("group", { name: "Wednesday" }));
    await user.click(wednesday.getByRole("button", { name: "Add hours on Wednesday" }));
    expect(wednesday.getAllByLabelText("Wednesday from").map((i) => (i as HTMLInputElement).value)).toEqual(["09:00", "13:00"]);
    expect(wednesday.getAllByLabelText("until").map((i) => (i as HTMLInputElement).value)).toEqual(["13:00", "14:00"]);
  });

  test("a date can be picked from the calendar", async () => {
    const fake = setup();
    const user = userEvent.setup();
    open(fake);
    const form = await hours();
    const change = within(form.getByRole("group", { name: "Change 1" }));
    await user.click(change.getByRole("button", { name: "Pick a date" }));
    await user.click(change.getByRole("button", { name: /December 18th, 2027/ }));
    expect(change.getByLabelText("Date")).toHaveValue("2027-12-18");
  });

  test("422 paths land on the matching row's input in words, and clear once fixed", async () => {
    const fake = setup({
      "GET /staff/{staff_id}/schedule": {
        body: { ...SCHEDULE, weekly: [...SCHEDULE.weekly, { location_id: fx.IDS.soho, weekday: 3, start: "12:00", end: "17:00", breaks: [{ start: "18:00", end: "18:30" }] }] },
      },
      "PUT /staff/{staff_id}/schedule": invalid({
        "weekly.1": "overlaps weekly.0 on the same weekday",
        "weekly.1.breaks.0": "must lie inside its working block (12:00-17:00)",
        "overrides.0.date": "is in the past (past overrides are history)",
      }),
    });
    const user = userEvent.setup();
    open(fake);
    const form = await hours();
    await user.click(form.getByRole("button", { name: "Save working hours" }));
    const wednesday = within(form.getByRole("group", { name: "Wednesday" }));
    const [, secondStart] = wednesday.getAllByLabelText("Wednesday from");
    expect(await wednesday.findByText(/^Overlaps the Wednesday hours 09:00\sAM–01:00\sPM on the same weekday\.$/)).toBeInTheDocument();
    expect(secondStart).toHaveAttribute("aria-invalid", "true");
    expect(wednesday.getByLabelText("Break from")).toHaveAttribute("aria-invalid", "true");
    expect(within(form.getByRole("group", { name: "Change 1" })).getByText("Is in the past (past overrides are history).")).toBeInTheDocument();
    fireEvent.change(secondStart as HTMLElement, { target: { value: "13:00" } });
    await waitFor(() => expect(wednesday.queryByText(/Overlaps the Wednesday hours/)).not.toBeInTheDocument());
    expect(secondStart).not.toHaveAttribute("aria-invalid");
    expect(wednesday.getByLabelText("Break from")).toHaveAttribute("aria-invalid", "true");
  });

  test("someone without the right is shown the API's 403 as it is", async () => {
    const fake = setup({ "PUT /staff/{staff_id}/schedule": fx.refusal(403, "forbidden", "Staff members manage only their own schedule and time off.") }, "staff");
    const user = userEvent.setup();
    open(fake);
    await user.click((await hours()).getByRole("button", { name: "Save working hours" }));
    expect(await screen.findByText("Staff members manage only their own schedule and time off.")).toBeInTheDocument();
  });

  test("without locations, it says to choose where they work first", async () => {
    const fake = setup({ "GET /staff/{staff_id}": { body: fx.staffMember({ location_ids: [] }) } });
    open(fake);
    expect(await screen.findByText("Choose where they work first")).toBeInTheDocument();
  });
});

describe("time off", () => {
  const holiday: Schemas["TimeOff"] = {
    id: "0f1e2d3c-4b5a-4968-8776-655443322110",
    staff_id: fx.IDS.dana,
    all_day: true,
    starts_at: "2027-03-27T00:00:00+00:00",
    ends_at: "2027-03-29T00:00:00+01:00",
    start_date: "2027-03-27",
    end_date: "2027-03-28",
    kind: "holiday",
    note: "Lisbon",
    created_at: "2026-12-02T13:43:14+00:00",
  };
  const training: Schemas["TimeOff"] = {
    ...holiday,
    id: "1f1e2d3c-4b5a-4968-8776-655443322111",
    all_day: false,
    starts_at: "2027-04-02T09:00:00+01:00",
    ends_at: "2027-04-02T12:30:00+01:00",
    start_date: null,
    end_date: null,
    kind: "training",
    note: null,
  };

  test("lists what is coming, in the staff member's zone", async () => {
    const fake = setup({ "GET /staff/{staff_id}/time-off": { body: fx.page([holiday, training]) } });
    open(fake);
    const list = within(await screen.findByRole("list", { name: "Upcoming time off" }));
    expect(list.getByText(/Saturday, March 27, 2027 to Sunday, March 28, 2027, all day/)).toBeInTheDocument();
    expect(list.getByText(/Lisbon/)).toBeInTheDocument();
    expect(list.getByText(/Fri, Apr 2, 2027, 09:00\sAM to 12:30\sPM/)).toBeInTheDocument();
    expect(screen.getByText(/Times are in Europe\/London time/)).toBeInTheDocument();
  });

  test("a range of hours is sent as instants of the staff member's zone, right across the DST change", async () => {
    const fake = setup({
      "GET /staff/{staff_id}": { body: fx.staffMember({ time_zone: "America/New_York" }) },
      "POST /staff/{staff_id}/time-off": (req) => ({ status: 201, body: { ...training, ...(req.body as object) } }),
    });
    const user = userEvent.setup();
    open(fake);
    const form = within(await screen.findByRole("form", { name: "Add time off" }));
    await user.click(form.getByRole("checkbox", { name: "Whole days" }));
    // New York moves to summer time at 02:00 on 14 March 2027: 09:00 on the 13th is UTC-5, on the 14th UTC-4.
    await user.clear(form.getByLabelText("From (date)"));
    await user.type(form.getByLabelText("From (date)"), "2027-03-13");
    fireEvent.change(form.getByLabelText("From (time)"), { target: { value: "09:00" } });
    await user.clear(form.getByLabelText("Until (date)"));
    await user.type(form.getByLabelText("Until (date)"), "2027-03-14");
    fireEvent.change(form.getByLabelText("Until (time)"), { target: { value: "09:00" } });
    await user.selectOptions(form.getByLabelText("Reason"), "training");
    await user.type(form.getByLabelText(/Note/), "Colour course");
    await user.click(form.getByRole("button", { name: "Add time off" }));
    await waitFor(() => expect(fake.callsTo("POST /staff/{staff_id}/time-off")).toHaveLength(1));
    expect(fake.callsTo("POST /staff/{staff_id}/time-off")[0]?.body).toEqual({
      all_day: false,
      starts_at: "2027-03-13T14:00:00.000Z",
      ends_at: "2027-03-14T13:00:00.000Z",
      kind: "training",
      note: "Colour course",
    });
  });

  test("whole days are sent as dates; a 422 lands on the date and clears once fixed", async () => {
    let attempt = 0;
    const fake = setup({
      "POST /staff/{staff_id}/time-off": (req) => {
        attempt += 1;
        return attempt === 1 ? invalid({ end_date: "must be on or after start_date" }) : { status: 201, body: { ...holiday, ...(req.body as object) } };
      },
    });
    const user = userEvent.setup();
    open(fake);
    const form = within(await screen.findByRole("form", { name: "Add time off" }));
    await user.clear(form.getByLabelText("First day"));
    await user.type(form.getByLabelText("First day"), "2027-03-28");
    await user.clear(form.getByLabelText("Last day"));
    await user.type(form.getByLabelText("Last day"), "2027-03-20");
    await user.click(form.getByRole("button", { name: "Add time off" }));
    expect(await form.findByText("Must be on or after start_date.")).toBeInTheDocument();
    expect(fake.callsTo("POST /staff/{staff_id}/time-off")[0]?.body).toEqual({ all_day: true, start_date: "2027-03-28", end_date: "2027-03-20", kind: "holiday", note: null });
    await user.clear(form.getByLabelText("Last day"));
    await user.type(form.getByLabelText("Last day"), "2027-03-29");
    await waitFor(() => expect(form.queryByText("Must be on or after start_date.")).not.toBeInTheDocument());
    await user.click(form.getByRole("button", { name: "Add time off" }));
    await waitFor(() => expect(fake.callsTo("POST /staff/{staff_id}/time-off")).toHaveLength(2));
  });

  test("removing asks first, then DELETEs that entry", async () => {
    const fake = setup({
      "GET /staff/{staff_id}/time-off": { body: fx.page([holiday]) },
      "DELETE /staff/{staff_id}/time-off/{time_off_id}": { status: 204 },
    });
    const user = userEvent.setup();
    open(fake);
    await user.click(await screen.findByRole("button", { name: /Remove holiday/ }));
    const dialog = screen.getByRole("dialog", { name: "Remove this time off?" });
    expect(within(dialog).getByText(/Customers will be able to book this time again/)).toBeInTheDocument();
    expect(fake.callsTo("DELETE /staff/{staff_id}/time-off/{time_off_id}")).toHaveLength(0);
    await user.click(within(dialog).getByRole("button", { name: "Remove time off" }));
    await waitFor(() => expect(fake.callsTo("DELETE /staff/{staff_id}/time-off/{time_off_id}")[0]?.path).toBe(`/staff/${fx.IDS.dana}/time-off/${holiday.id}`));
  });
});
