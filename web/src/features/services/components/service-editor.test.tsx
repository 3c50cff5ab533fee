import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { ServiceEditor } from "./service-editor";
import * as fx from "../../../testing/fixtures";

// These tests type whole forms key by key, which takes seconds on a busy machine.
vi.setConfig({ testTimeout: 20_000 });

const SERVICE_ID = "278a6f02-a058-4b3a-bcd4-a468500cebe3";
const team = [
  fx.stylist(fx.IDS.amara, "Amara Okafor"),
  fx.stylist(fx.IDS.ben, "Ben Carter"),
  fx.stylist(fx.IDS.cleo, "Cleo Park"),
  fx.stylist("7a7a7a7a-0000-4000-8000-000000000001", "Former Fay", { active: false }),
];

const withBufferAfter = (minutes: number) => fx.business({ booking_policy: { ...fx.business().booking_policy, buffer_after_min: minutes } });

function setup(service: Schemas["Service"] = fx.service()) {
  return fakeApi({
    "GET /auth/me": { body: fx.me({ business: withBufferAfter(10) }) },
    "GET /staff": { body: fx.page(team) },
    "GET /services": { body: fx.page([service, fx.service({ id: "x", name: "Nails", category: "Nails" })]) },
    "GET /services/{service_id}": { body: service },
    "PATCH /services/{service_id}": (req) => ({ body: { ...service, ...(req.body as object), version: service.version + 1 } }),
    "PUT /services/{service_id}/staff": (req) => ({
      body: { ...service, staff: (req.body as Schemas["ServiceStaff"]).staff, version: service.version + 2 },
    }),
  });
}

function editService(fake = setup()) {
  return renderScreen(<ServiceEditor serviceId={SERVICE_ID} />, fake, { path: `/services/${SERVICE_ID}`, route: "/services/:serviceId" });
}

const performer = (name: string) => screen.getByRole("checkbox", { name: new RegExp(`^${name}`) });

test("shows every field of the service and who performs it, with their own duration and price", async () => {
  editService();
  expect(await screen.findByRole("heading", { name: "Haircut", level: 1 })).toBeInTheDocument();
  expect(screen.getByLabelText("Name")).toHaveValue("Haircut");
  expect(screen.getByLabelText(/Description/)).toHaveValue("Wash, cut and finish.");
  expect(screen.getByLabelText(/Category/)).toHaveValue("Hair");
  expect(screen.getByLabelText("Give it a colour on the calendar")).toBeChecked();
  expect(screen.getByLabelText("Colour")).toHaveValue("#4f46e5");
  expect(screen.getByLabelText("Duration (minutes)")).toHaveValue(45);
  expect(screen.getByLabelText("Price (GBP)")).toHaveValue("45.00");
  expect(screen.getByLabelText(/Break before/)).toHaveValue(null);
  expect(screen.getByText(/Empty: your default \(10 min\)/)).toBeInTheDocument();
  expect(screen.getByLabelText("Places per appointment")).toHaveValue(1);
  expect(screen.getByLabelText("Customers can book it online")).toBeChecked();
  expect(screen.getByLabelText("I confirm each booking myself")).not.toBeChecked();
  expect(screen.getByLabelText("Active")).toBeChecked();

  expect(performer("Amara Okafor")).toBeChecked();
  expect(screen.getByLabelText(/Amara Okafor's duration/)).toHaveValue(null);
  expect(performer("Ben Carter")).toBeChecked();
  expect(screen.getByLabelText(/Ben Carter's duration/)).toHaveValue(60);
  expect(screen.getByLabelText(/Ben Carter's price/)).toHaveValue("55.00");
  expect(performer("Cleo Park")).not.toBeChecked();
  expect(screen.queryByLabelText(/Cleo Park's price/)).not.toBeInTheDocument();
  // An inactive person who does not perform it is no choice.
  expect(screen.queryByText("Former Fay")).not.toBeInTheDocument();
});

test("saving sends every field with the price in minor units and the version, then the performers", async () => {
  const fake = setup();
  editService(fake);
  const price = await screen.findByLabelText("Price (GBP)");
  await userEvent.clear(price);
  await userEvent.type(price, "49.5");
  await userEvent.type(screen.getByLabelText(/Break after/), "15");
  await userEvent.click(screen.getByLabelText("I confirm each booking myself"));
  await userEvent.click(performer("Cleo Park"));
  await userEvent.type(screen.getByLabelText(/Cleo Park's price/), "30");
  await userEvent.type(screen.getByLabelText(/Cleo Park's duration/), "40");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));

  expect(await screen.findByText("Changes saved.")).toBeInTheDocument();
  // The catalogue's queries are refreshed (the category list read here is one of them).
  await waitFor(() => expect(fake.callsTo("GET /services").length).toBeGreaterThan(1));
  expect(fake.callsTo("PATCH /services/{service_id}")[0]!.body).toEqual({
    name: "Haircut",
    description: "Wash, cut and finish.",
    category: "Hair",
    color: "#4f46e5",
    duration_min: 45,
    price: { amount: 4950, currency: "GBP" },
    capacity: 1,
    buffer_before_min: null,
    buffer_after_min: 15,
    requires_confirmation: true,
    bookable_online: true,
    active: true,
    version: 2,
  });
  expect(fake.callsTo("PUT /services/{service_id}/staff")[0]!.body).toEqual({
    staff: [
      { staff_id: fx.IDS.amara, duration_min: null, price: null },
      { staff_id: fx.IDS.ben, duration_min: 60, price: { amount: 5500, currency: "GBP" } },
      { staff_id: fx.IDS.cleo, duration_min: 40, price: { amount: 3000, currency: "GBP" } },
    ],
  });
});

test("changing only who performs it sends no PATCH", async () => {
  const fake = setup();
  editService(fake);
  await userEvent.click(await screen.findByRole("checkbox", { name: /^Amara Okafor/ }));
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  await screen.findByText("Changes saved.");
  expect(fake.callsTo("PATCH /services/{service_id}")).toHaveLength(0);
  expect(fake.callsTo("PUT /services/{service_id}/staff")[0]!.body).toEqual({
    staff: [{ staff_id: fx.IDS.ben, duration_min: 60, price: { amount: 5500, currency: "GBP" } }],
  });
});

test("a new service is created with its performers and the list is shown", async () => {
  const created = fx.service({ id: "9f9f9f9f-0000-4000-8000-000000000009", name: "Beard trim", staff: [], version: 1 });
  const fake = setup();
  fake.on("POST /services", { status: 201, body: created });
  renderScreen(<ServiceEditor serviceId="new" />, fake, { path: "/services/new", route: "/services/:serviceId" });
  expect(await screen.findByRole("heading", { name: "New service", level: 1 })).toBeInTheDocument();
  // Nobody is chosen until the owner says so.
  expect(performer("Amara Okafor")).not.toBeChecked();
  await userEvent.type(screen.getByLabelText("Name"), "Beard trim");
  await userEvent.type(screen.getByLabelText(/Category/), "Barber");
  const duration = screen.getByLabelText("Duration (minutes)");
  await userEvent.clear(duration);
  await userEvent.type(duration, "30");
  await userEvent.type(screen.getByLabelText("Price (GBP)"), "18,5");
  await userEvent.click(performer("Ben Carter"));
  await userEvent.type(screen.getByLabelText(/Ben Carter's duration/), "25");
  await userEvent.click(screen.getByRole("button", { name: "Create service" }));

  expect(await screen.findByTestId("location")).toHaveTextContent("/services");
  expect(fake.callsTo("POST /services")[0]!.body).toEqual({
    name: "Beard trim",
    description: null,
    category: "Barber",
    color: null,
    duration_min: 30,
    price: { amount: 1850, currency: "GBP" },
    capacity: 1,
    buffer_before_min: null,
    buffer_after_min: null,
    requires_confirmation: false,
    bookable_online: true,
    active: true,
  });
  expect(fake.callsTo("PUT /services/{service_id}/staff")[0]!.path).toBe(`/services/${created.id}/staff`);
  expect(fake.callsTo("PUT /services/{service_id}/staff")[0]!.body).toEqual({ staff: [{ staff_id: fx.IDS.ben, duration_min: 25, price: null }] });
  expect(await screen.findByText("“Beard trim” was created.")).toBeInTheDocument();
});

test("the form's own checks stop a save before it is sent", async () => {
  const fake = setup();
  renderScreen(<ServiceEditor serviceId="new" />, fake, { path: "/services/new", route: "/services/:serviceId" });
  await userEvent.click(await screen.findByRole("button", { name: "Create service" }));
  expect(await screen.findByText("Give the service a name.")).toBeInTheDocument();
  expect(screen.getByText("Enter a price (0 for free).")).toBeInTheDocument();
  expect(fake.callsTo("POST /services")).toHaveLength(0);
  await userEvent.type(screen.getByLabelText("Name"), "Trim");
  expect(screen.queryByText("Give the service a name.")).not.toBeInTheDocument();
});

test("a 422 lands on its field and clears once the field is fixed", async () => {
  const fake = setup();
  fake.on("PATCH /services/{service_id}", invalid({ "price.amount": "Expected `int` <= 1000000000" }));
  editService(fake);
  const price = await screen.findByLabelText("Price (GBP)");
  await userEvent.clear(price);
  await userEvent.type(price, "99999999999");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Use 1000000000 or less.")).toBeInTheDocument();
  expect(price).toHaveAttribute("aria-invalid", "true");
  expect(screen.getByText("Please correct the highlighted fields.")).toBeInTheDocument();
  await userEvent.clear(price);
  await userEvent.type(price, "45");
  expect(screen.queryByText("Use 1000000000 or less.")).not.toBeInTheDocument();
  expect(price).not.toHaveAttribute("aria-invalid");
});

test("a 422 on a performer lands on that person's row", async () => {
  const fake = setup();
  fake.on("PUT /services/{service_id}/staff", invalid({ "staff.1.price.amount": "Expected `int` <= 1000000000" }));
  editService(fake);
  const benPrice = await screen.findByLabelText(/Ben Carter's price/);
  await userEvent.clear(benPrice);
  await userEvent.type(benPrice, "99999999999");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Use 1000000000 or less.")).toBeInTheDocument();
  expect(benPrice).toHaveAttribute("aria-invalid", "true");
  expect(screen.getByLabelText(/Amara Okafor/, { selector: "input[type=checkbox]" })).not.toHaveAttribute("aria-invalid");
  await userEvent.clear(benPrice);
  await userEvent.type(benPrice, "55");
  expect(benPrice).not.toHaveAttribute("aria-invalid");
});

test("someone else's change in between (409) offers a reload, and the next save carries the new version", async () => {
  const fake = setup();
  fake.on("PATCH /services/{service_id}", fx.staleVersion("service"));
  editService(fake);
  const name = await screen.findByLabelText("Name");
  await userEvent.clear(name);
  await userEvent.type(name, "Haircut & finish");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Someone else changed this service while you were editing.")).toBeInTheDocument();

  const theirs = fx.service({ name: "Cut and style", version: 5 });
  fake.on("GET /services/{service_id}", { body: theirs });
  fake.on("PATCH /services/{service_id}", (req) => ({ body: { ...theirs, ...(req.body as object), version: 6 } }));
  await userEvent.click(screen.getByRole("button", { name: "Reload the service" }));
  await waitFor(() => expect(screen.getByLabelText("Name")).toHaveValue("Cut and style"));
  expect(screen.queryByText("Someone else changed this service while you were editing.")).not.toBeInTheDocument();

  await userEvent.type(screen.getByLabelText(/Break before/), "5");
  await userEvent.click(screen.getByRole("button", { name: "Save changes" }));
  await screen.findByText("Changes saved.");
  expect(fake.callsTo("PATCH /services/{service_id}").at(-1)!.body).toMatchObject({ name: "Cut and style", buffer_before_min: 5, version: 5 });
});

test("archiving asks first, then archives and returns to the list", async () => {
  const fake = setup();
  fake.on("DELETE /services/{service_id}", { status: 204 });
  editService(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Archive service" }));
  const dialog = screen.getByRole("dialog", { name: "Archive “Haircut”?" });
  await userEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  expect(fake.callsTo("DELETE /services/{service_id}")).toHaveLength(0);

  await userEvent.click(screen.getByRole("button", { name: "Archive service" }));
  await userEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Archive" }));
  expect(await screen.findByTestId("location")).toHaveTextContent("/services");
  expect(fake.callsTo("DELETE /services/{service_id}")[0]!.path).toBe(`/services/${SERVICE_ID}`);
});

test("an archived service is shown read-only", async () => {
  editService(setup(fx.service({ archived: true, active: false, archived_at: "2026-11-01T10:00:00+00:00" })));
  expect(await screen.findByText("This service is archived.")).toBeInTheDocument();
  expect(screen.getByLabelText("Name")).toBeDisabled();
  expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Archive service" })).not.toBeInTheDocument();
});

test("with no staff yet, the performer section says where to add them", async () => {
  const fake = setup();
  fake.on("GET /staff", { body: fx.page([]) });
  renderScreen(<ServiceEditor serviceId="new" />, fake, { path: "/services/new", route: "/services/:serviceId" });
  expect(await screen.findByText(/You have no staff yet/)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Add a staff member" })).toHaveAttribute("href", "/staff?new=1");
});

test("a service that cannot be loaded says so", async () => {
  const fake = setup();
  fake.on("GET /services/{service_id}", { status: 404, body: { error: { code: "not_found", message: "No such service.", details: {} } } });
  editService(fake);
  expect(await screen.findByText("We couldn't load this service.")).toBeInTheDocument();
  expect(screen.getByText("No such service.")).toBeInTheDocument();
});

test("staff members (not admins) see the service read-only", async () => {
  const fake = setup();
  fake.on("GET /auth/me", { body: fx.me({ role: "staff" }) });
  editService(fake);
  expect(await screen.findByText("Only the owner and admins can change services.")).toBeInTheDocument();
  expect(screen.getByLabelText("Name")).toBeDisabled();
  expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
});
