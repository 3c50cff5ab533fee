import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { formatTimeRange } from "../../../lib/zoned";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { appointment, customer, customerRecord, IDS, me, page, service, stylist } from "../../../testing/fixtures";
import { CustomerProfile } from "./customer-profile";

const ID = customerRecord().id;
const SERVICE = service({ name: "Cut & finish", description: null, color: "#0f766e", staff: [] });
const STAFF = stylist(IDS.amara, "Priya Shah", { time_zone: "Europe/London" });

function setup(role: "owner" | "staff" = "owner") {
  return fakeApi({
    "GET /auth/me": { body: me({ role }) },
    "GET /customers/{customer_id}": { body: customerRecord() },
    "GET /customers/{customer_id}/appointments": (req) =>
      req.query.get("cursor") === "older"
        ? { body: page([appointment({ id: "a0000000-0000-4000-8000-000000000002", status: "completed", start_at: "2026-07-01T08:00:00+00:00", end_at: "2026-07-01T08:45:00+00:00" })]) }
        : { body: page([appointment()], "older") },
    "GET /services": { body: page([SERVICE]) },
    "GET /staff": { body: page([STAFF]) },
  });
}

const open = (fake: ReturnType<typeof setup>) => renderScreen(<CustomerProfile customerId={ID} />, fake, { path: `/customers/${ID}`, route: "/customers/:customerId" });

test("shows the contact details as tappable links, the tags, notes and consent history", async () => {
  open(setup());
  expect(await screen.findByRole("heading", { level: 1, name: "Amelia Walker" })).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "amelia.walker@example.com" })).toHaveAttribute("href", "mailto:amelia.walker@example.com");
  expect(screen.getByRole("link", { name: "+44 7700 900144" })).toHaveAttribute("href", "tel:+447700900144");
  expect(screen.getByRole("link", { name: "colour" })).toHaveAttribute("href", "/customers?tag=colour");
  expect(screen.getByText("Prefers the quiet chair by the window.")).toBeInTheDocument();
  expect(screen.getByText(/Dana Demo ·/)).toBeInTheDocument();
  const consents = within(screen.getByRole("table"));
  expect(consents.getByText("Marketing messages")).toBeInTheDocument();
  expect(consents.getByText("Booking page")).toBeInTheDocument();
  expect(consents.getAllByText("Given")).toHaveLength(2);
  expect(screen.getByRole("link", { name: "Book an appointment" })).toHaveAttribute("href", `/appointments/new?customer_id=${ID}`);
});

test("the appointment history is in the business's zone, links to each appointment and pages on", async () => {
  const fake = setup();
  open(fake);
  const history = await screen.findByRole("region", { name: "Appointments" });
  const first = await within(history).findByRole("link", { name: /Cut & finish with Priya Shah/ });
  expect(first).toHaveAttribute("href", "/appointments/554d1c47-19ae-46c4-9d00-d0d34a8b41ce");
  const time = formatTimeRange("2026-12-15T16:15:00+00:00", "2026-12-15T17:00:00+00:00", "Europe/London", navigator.language);
  // The DOM matcher collapses the narrow spaces Intl puts around the dash.
  expect(first).toHaveTextContent(time.replace(/\s+/g, " "));
  expect(within(history).getByText(/times in London time/)).toBeInTheDocument();
  await userEvent.click(within(history).getByRole("button", { name: "Load more" }));
  expect(await within(history).findByText("Completed")).toBeInTheDocument();
  expect(fake.callsTo("GET /customers/{customer_id}/appointments").map((c) => c.query.get("cursor"))).toEqual([null, "older"]);
});

test("editing sends every field with the version it was read at", async () => {
  const fake = setup();
  fake.on("PATCH /customers/{customer_id}", (req) => ({ body: customer({ ...(req.body as object), version: 4 }) }));
  open(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
  const form = within(screen.getByRole("dialog", { name: "Edit Amelia Walker" }));
  expect(form.getByLabelText(/Tags/)).toHaveValue("sensitive-scalp, colour");
  await userEvent.clear(form.getByLabelText(/Phone/));
  await userEvent.type(form.getByLabelText(/Tags/), ", vip");
  await userEvent.click(form.getByLabelText("Agrees to receive marketing messages"));
  await userEvent.click(form.getByRole("button", { name: "Save changes" }));
  await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  expect(fake.callsTo("PATCH /customers/{customer_id}")[0]?.body).toEqual({
    name: "Amelia Walker",
    email: "amelia.walker@example.com",
    phone: null,
    tags: ["sensitive-scalp", "colour", "vip"],
    locale: "en",
    preferred_channel: "email",
    marketing_opt_in: false,
    terms_accepted: true,
    version: 3,
  });
  expect(await screen.findByText("Changes saved.")).toBeInTheDocument();
});

test("an edit refused as stale says so and offers to reload", async () => {
  const fake = setup();
  fake.on("PATCH /customers/{customer_id}", {
    status: 409,
    body: { error: { code: "stale_version", message: "The customer was changed by someone else; reload and try again.", details: {} } },
  });
  open(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
  const form = within(screen.getByRole("dialog"));
  await userEvent.click(form.getByRole("button", { name: "Save changes" }));
  expect(await form.findByText("The customer was changed by someone else; reload and try again.")).toBeInTheDocument();
  const before = fake.callsTo("GET /customers/{customer_id}").length;
  await userEvent.click(form.getByRole("button", { name: "Reload the customer" }));
  await waitFor(() => expect(fake.callsTo("GET /customers/{customer_id}").length).toBe(before + 1));
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
});

test("an edit's 422 lands on the phone field and clears when it is fixed", async () => {
  const fake = setup();
  fake.on("PATCH /customers/{customer_id}", invalid({ phone: "Expected `str` matching regex" }));
  open(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
  const form = within(screen.getByRole("dialog"));
  const phone = form.getByLabelText(/Phone/);
  await userEvent.clear(phone);
  await userEvent.type(phone, "12");
  await userEvent.click(form.getByRole("button", { name: "Save changes" }));
  await waitFor(() => expect(phone).toHaveAttribute("aria-invalid", "true"));
  await userEvent.type(phone, "3456");
  await waitFor(() => expect(phone).not.toHaveAttribute("aria-invalid"));
});

test("a note is added with its text and the record is read again", async () => {
  const fake = setup();
  fake.on("POST /customers/{customer_id}/notes", (req) => ({
    status: 201,
    body: { id: "c0000000-0000-4000-8000-000000000009", body: (req.body as { body: string }).body, author: { id: me().user.id, name: "Dana Demo" }, created_at: "2026-12-02T14:00:00+00:00" },
  }));
  open(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Add note" }));
  expect(await screen.findByText("Write the note first.")).toBeInTheDocument();
  await userEvent.type(screen.getByLabelText("New note"), "Allergic to ammonia.");
  await userEvent.click(screen.getByRole("button", { name: "Add note" }));
  await waitFor(() => expect(fake.callsTo("POST /customers/{customer_id}/notes")).toHaveLength(1));
  expect(fake.callsTo("POST /customers/{customer_id}/notes")[0]?.body).toEqual({ body: "Allergic to ammonia." });
  await waitFor(() => expect(screen.getByLabelText("New note")).toHaveValue(""));
  await waitFor(() => expect(fake.callsTo("GET /customers/{customer_id}").length).toBe(2));
});

test("erasing needs the customer's name typed, then sends DELETE and returns to the list", async () => {
  const fake = setup();
  fake.on("DELETE /customers/{customer_id}", { status: 204 });
  open(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Erase customer…" }));
  const dialog = within(screen.getByRole("dialog", { name: "Erase Amelia Walker?" }));
  expect(dialog.getByText("permanent")).toBeInTheDocument();
  expect(dialog.getByText(/GDPR/)).toBeInTheDocument();
  const button = dialog.getByRole("button", { name: "Erase permanently" });
  expect(button).toBeDisabled();
  const input = dialog.getByLabelText(/Type the customer's name/);
  await userEvent.type(input, "Amelia");
  expect(button).toBeDisabled();
  await userEvent.type(input, " walker ");
  expect(button).toBeEnabled();
  expect(fake.callsTo("DELETE /customers/{customer_id}")).toHaveLength(0);
  await userEvent.click(button);
  expect(await screen.findByTestId("location")).toHaveTextContent(/^\/customers$/);
  expect(fake.callsTo("DELETE /customers/{customer_id}")[0]?.path).toBe(`/customers/${ID}`);
});

test("a refused erase shows the reason and stays", async () => {
  const fake = setup();
  fake.on("DELETE /customers/{customer_id}", { status: 403, body: { error: { code: "forbidden", message: "Your role does not allow this.", details: {} } } });
  open(fake);
  await userEvent.click(await screen.findByRole("button", { name: "Erase customer…" }));
  const dialog = within(screen.getByRole("dialog"));
  await userEvent.type(dialog.getByLabelText(/Type the customer's name/), "Amelia Walker");
  await userEvent.click(dialog.getByRole("button", { name: "Erase permanently" }));
  expect(await dialog.findByText("Your role does not allow this.")).toBeInTheDocument();
  expect(screen.queryByTestId("location")).not.toBeInTheDocument();
});

test("staff members are not offered the erase (admins only)", async () => {
  const staffView = setup("staff");
  open(staffView);
  expect(await screen.findByRole("heading", { level: 1, name: "Amelia Walker" })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Erase customer…" })).not.toBeInTheDocument();
});

test("an erased customer is shown as such, read-only", async () => {
  const fake = setup();
  fake.on("GET /customers/{customer_id}", {
    body: customerRecord({ name: "Erased customer", email: null, phone: null, phone_normalized: null, tags: [], notes: [], erased_at: "2026-12-02T15:00:00+00:00" }),
  });
  open(fake);
  expect(await screen.findByText("This customer was erased")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Edit" })).not.toBeInTheDocument();
  expect(screen.queryByLabelText("New note")).not.toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Erase customer…" })).not.toBeInTheDocument();
});

test("an unknown customer says so", async () => {
  const fake = setup();
  fake.on("GET /customers/{customer_id}", { status: 404, body: { error: { code: "not_found", message: "customer not found", details: {} } } });
  open(fake);
  expect(await screen.findByText("No such customer")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Back to customers" })).toHaveAttribute("href", "/customers");
});
