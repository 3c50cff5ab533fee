import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Schemas } from "../../../lib/api-client";
import { planLimit } from "../../../testing/billing-fixtures";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import * as fx from "../../../testing/fixtures";
import { LocationEditor } from "./location-editor";

// These tests type whole forms key by key, which takes seconds on a busy machine.
vi.setConfig({ testTimeout: 20_000 });

const LOCATION_ID = "dc0e2344-a94d-46e1-8eb4-78f1092181ea";

function setup(location: Schemas["Location"] = fx.location()) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /locations": { body: fx.page([location]) },
    "GET /locations/{location_id}": { body: location },
    "PATCH /locations/{location_id}": (req) => ({ body: { ...location, ...(req.body as object), version: location.version + 1 } }),
  });
}

function editLocation(fake = setup()) {
  return renderScreen(<LocationEditor locationId={LOCATION_ID} />, fake, { path: `/locations/${LOCATION_ID}`, route: "/locations/:locationId", locale: "en" });
}

function newLocation(fake = setup()) {
  return renderScreen(<LocationEditor locationId="new" />, fake, { path: "/locations/new", route: "/locations/:locationId", locale: "en" });
}

const setTime = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const dayBox = (day: string) => screen.getByRole("checkbox", { name: day });

test("shows the location's fields and its hours per weekday", async () => {
  editLocation();
  expect(await screen.findByRole("heading", { name: "Soho", level: 1 })).toBeInTheDocument();
  expect(screen.getByLabelText("Name")).toHaveValue("Soho");
  expect(screen.getByLabelText(/Address/)).toHaveValue("12 Greek Street, London W1D 4DJ");
  expect(screen.getByLabelText(/Phone/)).toHaveValue("+44 20 7946 0012");
  expect(screen.getByLabelText("Time zone")).toHaveValue("Europe/London");
  expect(screen.getByLabelText("On the days and times below")).toBeChecked();
  expect(dayBox("Monday")).toBeChecked();
  expect(screen.getByLabelText("Monday opens")).toHaveValue("09:00");
  expect(screen.getByLabelText("Monday closes")).toHaveValue("19:00");
  expect(screen.getByLabelText("Saturday closes")).toHaveValue("17:00");
  expect(dayBox("Sunday")).not.toBeChecked();
  expect(screen.queryByLabelText("Sunday opens")).not.toBeInTheDocument();
  // Every zone the browser knows is offered.
  const zones = [...(screen.getByLabelText("Time zone") as HTMLSelectElement).options].map((o) => o.value);
  expect(zones).toContain("America/New_York");
  expect(zones).toContain("Asia/Tokyo");
});

test("saving sends the hours (a lunch closing is two ranges, closed days none) with the version", async () => {
  const fake = setup();
  editLocation(fake);
  await screen.findByLabelText("Monday closes");
  setTime("Monday closes", "13:00");
  await userEvent.click(screen.getByRole("button", { name: "Add hours on Monday" }));
  // The new range starts an hour after the last one ends.
  expect(screen.getByLabelText("Monday opens (2)")).toHaveValue("14:00");
  setTime("Monday closes (2)", "19:00");
  await userEvent.click(dayBox("Saturday"));
  await userEvent.click(dayBox("Sunday"));
  setTime("Sunday opens", "10:00");
  setTime("Sunday closes", "16:00");
  await userEvent.selectOptions(screen.getByLabelText("Time zone"), "Europe/Dublin");
  await userEvent.clear(screen.getByLabelText(/Phone/));
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

  expect(await screen.findByText("Changes saved.")).toBeInTheDocument();
  // The location's queries are refreshed.
  await waitFor(() => expect(fake.callsTo("GET /locations/{location_id}").length).toBeGreaterThan(1));
  expect(fake.callsTo("PATCH /locations/{location_id}")[0]!.body).toEqual({
    name: "Soho",
    address: "12 Greek Street, London W1D 4DJ",
    phone: null,
    time_zone: "Europe/Dublin",
    opening_hours: [
      { weekday: 1, opens: "09:00", closes: "13:00" },
      { weekday: 1, opens: "14:00", closes: "19:00" },
      ...[2, 3, 4, 5].map((weekday) => ({ weekday, opens: "09:00", closes: "19:00" })),
      { weekday: 7, opens: "10:00", closes: "16:00" },
    ],
    version: 1,
  });
});

test("a range can be removed again", async () => {
  const fake = setup(fx.location({ opening_hours: [{ weekday: 1, opens: "09:00", closes: "12:00" }, { weekday: 1, opens: "13:00", closes: "18:00" }] }));
  editLocation(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Remove Monday hours 1" }));
  expect(screen.getByLabelText("Monday opens")).toHaveValue("13:00");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  await screen.findByText("Changes saved.");
  expect((fake.callsTo("PATCH /locations/{location_id}")[0]!.body as Schemas["LocationUpdate"]).opening_hours).toEqual([
    { weekday: 1, opens: "13:00", closes: "18:00" },
  ]);
});

test("a new location takes the business's time zone and opens Monday to Friday by default", async () => {
  const created = fx.location({ id: "3f3f3f3f-0000-4000-8000-000000000003", name: "Camden" });
  const fake = setup();
  fake.on("POST /locations", { status: 201, body: created });
  newLocation(fake);
  expect(await screen.findByRole("heading", { name: "New location", level: 1 })).toBeInTheDocument();
  expect(screen.getByLabelText("Time zone")).toHaveValue("Europe/London");
  await userEvent.type(screen.getByLabelText("Name"), "Camden");
  await userEvent.click(screen.getByRole("button", { name: "Add location" }));
  expect(await screen.findByTestId("location")).toHaveTextContent("/locations");
  expect(fake.callsTo("POST /locations")[0]!.body).toEqual({
    name: "Camden",
    address: null,
    phone: null,
    time_zone: "Europe/London",
    opening_hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: "09:00", closes: "17:00" })),
  });
  expect(await screen.findByText("“Camden” was added.")).toBeInTheDocument();
});

test("a location past the plan's limit is explained, with the plans to compare", async () => {
  const fake = setup();
  fake.on("POST /locations", planLimit("locations", 1, 1));
  newLocation(fake);
  await userEvent.type(await screen.findByLabelText("Name"), "Camden");
  await userEvent.click(screen.getByRole("button", { name: "Add location" }));
  expect(await screen.findByText("The Basic plan includes 1 location, and you have 1. Upgrade to Pro for more.")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Compare plans" })).toHaveAttribute("href", "/settings/plans");
  expect(screen.queryByTestId("location")).not.toBeInTheDocument();
});

test("“no set hours” sends null opening hours", async () => {
  const fake = setup();
  editLocation(fake);
  await userEvent.click(await screen.findByLabelText("No set hours: whenever staff work here"));
  expect(screen.queryByLabelText("Monday opens")).not.toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  await screen.findByText("Changes saved.");
  expect((fake.callsTo("PATCH /locations/{location_id}")[0]!.body as Schemas["LocationUpdate"]).opening_hours).toBeNull();
});

test("the form's own checks catch a range that closes before it opens, or overlaps", async () => {
  const fake = setup();
  editLocation(fake);
  await screen.findByLabelText("Monday closes");
  setTime("Monday closes", "08:00");
  await userEvent.click(screen.getByRole("button", { name: "Add hours on Tuesday" }));
  setTime("Tuesday opens (2)", "18:00");
  setTime("Tuesday closes (2)", "20:00");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Closes after it opens.")).toBeInTheDocument();
  expect(screen.getByText("Overlaps the hours above.")).toBeInTheDocument();
  expect(fake.callsTo("PATCH /locations/{location_id}")).toHaveLength(0);
  // Fixing the first range clears the overlap flagged on the second.
  setTime("Tuesday closes (1)", "17:00");
  await waitFor(() => expect(screen.queryByText("Overlaps the hours above.")).not.toBeInTheDocument());
  setTime("Monday closes", "19:00");
  await waitFor(() => expect(screen.queryByText("Closes after it opens.")).not.toBeInTheDocument());
});

test("a 422 lands on the field (an hours entry by its place in the body) and clears once fixed", async () => {
  const fake = setup();
  fake.on("PATCH /locations/{location_id}", invalid({ "opening_hours.5.closes": "must be after opens" }));
  editLocation(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Save changes" }));
  // Entry 5 of the body is Saturday's range (Monday to Friday come first).
  expect(await screen.findByText("Must be after opens.")).toBeInTheDocument();
  expect(screen.getByLabelText("Saturday closes")).toHaveAttribute("aria-invalid", "true");
  setTime("Saturday closes", "18:00");
  await waitFor(() => expect(screen.queryByText("Must be after opens.")).not.toBeInTheDocument());

  fake.on("PATCH /locations/{location_id}", invalid({ phone: "Expected `str` matching regex '^\\+?[0-9 ()./-]{5,32}$'" }));
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("This doesn't look right; check the format.")).toBeInTheDocument();
  expect(screen.getByLabelText(/Phone/)).toHaveAttribute("aria-invalid", "true");
  await userEvent.type(screen.getByLabelText(/Phone/), "1");
  expect(screen.queryByText("This doesn't look right; check the format.")).not.toBeInTheDocument();
});

test("someone else's change in between (409) offers a reload", async () => {
  const fake = setup();
  fake.on("PATCH /locations/{location_id}", fx.staleVersion("location"));
  editLocation(fake);
  await userEvent.type(await screen.findByLabelText(/Address/), ", 1st floor");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Someone else changed this location while you were editing.")).toBeInTheDocument();

  const theirs = fx.location({ name: "Soho Square", version: 4 });
  fake.on("GET /locations/{location_id}", { body: theirs });
  fake.on("PATCH /locations/{location_id}", (req) => ({ body: { ...theirs, ...(req.body as object), version: 5 } }));
  await userEvent.click(screen.getByRole("button", { name: "Reload the location" }));
  await waitFor(() => expect(screen.getByLabelText("Name")).toHaveValue("Soho Square"));
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  await screen.findByText("Changes saved.");
  expect(fake.callsTo("PATCH /locations/{location_id}").at(-1)!.body).toMatchObject({ name: "Soho Square", version: 4 });
});

test("archiving asks first, then archives and returns to the list", async () => {
  const fake = setup();
  fake.on("DELETE /locations/{location_id}", { status: 204 });
  editLocation(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Archive location" }));
  const dialog = screen.getByRole("dialog", { name: "Archive “Soho”?" });
  await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
  expect(fake.callsTo("DELETE /locations/{location_id}")).toHaveLength(0);
  await userEvent.click(screen.getByRole("button", { name: "Archive location" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
  expect(await screen.findByTestId("location")).toHaveTextContent("/locations");
  expect(fake.callsTo("DELETE /locations/{location_id}")[0]!.path).toBe(`/locations/${LOCATION_ID}`);
});

test("an archived location is shown read-only", async () => {
  editLocation(setup(fx.location({ archived: true, archived_at: "2026-11-01T10:00:00+00:00" })));
  expect(await screen.findByText("This location is archived.")).toBeInTheDocument();
  expect(screen.getByLabelText("Name")).toBeDisabled();
  expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Archive location" })).not.toBeInTheDocument();
});
