import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { customer, me, page } from "../../../testing/fixtures";
import { CustomersScreen } from "./customers-screen";

const aisha = customer({ id: "da7194c7-c619-494b-ac38-0853f192d6cc", name: "Aisha Mensah", email: null, phone: "+44 7700 900105", tags: ["colour"] });
const amelia = customer();

function setup(role: "owner" | "staff" = "owner") {
  return fakeApi({
    "GET /auth/me": { body: me({ role }) },
    "GET /customers": (req) => {
      const q = req.query.get("q");
      const tag = req.query.get("tag");
      const all = [aisha, amelia].filter((c) => (!q || c.name.toLowerCase().includes(q.toLowerCase())) && (!tag || c.tags.includes(tag)));
      return { body: page(all) };
    },
  });
}

test("lists customers with their contact details and tags", async () => {
  renderScreen(<CustomersScreen />, setup(), { path: "/customers", route: "/customers" });
  expect(await screen.findByRole("link", { name: "Aisha Mensah" })).toHaveAttribute("href", "/customers/da7194c7-c619-494b-ac38-0853f192d6cc");
  expect(screen.getByRole("link", { name: "Amelia Walker" })).toBeInTheDocument();
  expect(screen.getByText("amelia.walker@example.com · +44 7700 900144")).toBeInTheDocument();
  expect(screen.getByText("2 customers")).toBeInTheDocument();
});

test("the search sends q once typing pauses, and shows what matches", async () => {
  const fake = setup();
  renderScreen(<CustomersScreen />, fake, { path: "/customers", route: "/customers" });
  await screen.findByText("Aisha Mensah");
  await userEvent.type(screen.getByLabelText("Search"), "ame");
  await waitFor(() => expect(screen.queryByText("Aisha Mensah")).not.toBeInTheDocument());
  expect(screen.getByText("Amelia Walker")).toBeInTheDocument();
  const sent = fake.callsTo("GET /customers").map((c) => c.query.get("q"));
  // One search for the whole word, not one per key.
  expect(sent).toEqual([null, "ame"]);
});

test("a tag filters the list, from its field or a customer's tag", async () => {
  const fake = setup();
  renderScreen(<CustomersScreen />, fake, { path: "/customers?tag=colour", route: "/customers" });
  await screen.findByText("Aisha Mensah");
  expect(fake.callsTo("GET /customers")[0]?.query.get("tag")).toBe("colour");
  expect(screen.getByLabelText("Tag")).toHaveValue("colour");
  await userEvent.click(within(screen.getByLabelText("Tags of Amelia Walker")).getByRole("button", { name: "sensitive-scalp" }));
  await waitFor(() => expect(screen.queryByText("Aisha Mensah")).not.toBeInTheDocument());
  expect(fake.callsTo("GET /customers").at(-1)?.query.get("tag")).toBe("sensitive-scalp");
});

test("no match says so and offers to clear the search", async () => {
  const fake = setup();
  renderScreen(<CustomersScreen />, fake, { path: "/customers", route: "/customers" });
  await screen.findByText("Aisha Mensah");
  await userEvent.type(screen.getByLabelText("Search"), "zed");
  expect(await screen.findByText("No customer matches")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Clear the search" }));
  expect(await screen.findByText("Aisha Mensah")).toBeInTheDocument();
  expect(screen.getByLabelText("Search")).toHaveValue("");
});

test("an empty list offers to add a customer or import a file", async () => {
  const fake = fakeApi({ "GET /auth/me": { body: me() }, "GET /customers": { body: page([]) } });
  renderScreen(<CustomersScreen />, fake, { path: "/customers", route: "/customers" });
  const empty = (await screen.findByText("No customers yet")).closest(".empty-state") as HTMLElement;
  expect(within(empty).getByRole("button", { name: "Add customer" })).toBeInTheDocument();
  expect(within(empty).getByRole("link", { name: "Import from CSV" })).toHaveAttribute("href", "/customers/import");
});

test("staff members are not offered the import (admins only)", async () => {
  renderScreen(<CustomersScreen />, setup("staff"), { path: "/customers", route: "/customers" });
  await screen.findByText("Aisha Mensah");
  expect(screen.queryByRole("link", { name: "Import from CSV" })).not.toBeInTheDocument();
});

test("Load more fetches the next page with its cursor", async () => {
  const fake = fakeApi({
    "GET /auth/me": { body: me() },
    "GET /customers": (req) => (req.query.get("cursor") === "next-1" ? { body: page([amelia]) } : { body: page([aisha], "next-1") }),
  });
  renderScreen(<CustomersScreen />, fake, { path: "/customers", route: "/customers" });
  await screen.findByText("Aisha Mensah");
  expect(screen.getByText("1 customer shown")).toBeInTheDocument();
  await userEvent.click(screen.getByRole("button", { name: "Load more" }));
  expect(await screen.findByText("Amelia Walker")).toBeInTheDocument();
  expect(screen.getByText("Aisha Mensah")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
});

test("?new=1 opens the create form; every field is sent and the new customer opens", async () => {
  const fake = setup();
  fake.on("POST /customers", (req) => ({ status: 201, body: customer({ ...(req.body as object), id: "11111111-2222-4333-8444-555555555555", version: 1 }) }));
  renderScreen(<CustomersScreen />, fake, { path: "/customers?new=1", route: "/customers" });
  const dialog = await screen.findByRole("dialog", { name: "Add customer" });
  const form = within(dialog);
  await userEvent.type(form.getByLabelText("Name"), "  Noah Green ");
  await userEvent.type(form.getByLabelText(/E-mail/), "noah@example.com");
  await userEvent.type(form.getByLabelText(/Phone/), "+44 7700 900200");
  await userEvent.type(form.getByLabelText(/Tags/), "vip, colour, vip");
  await userEvent.selectOptions(form.getByLabelText("Language for messages"), "de");
  await userEvent.selectOptions(form.getByLabelText("Send reminders by"), "whatsapp");
  await userEvent.click(form.getByLabelText("Agrees to receive marketing messages"));
  await userEvent.click(form.getByLabelText("Has accepted the business's terms"));
  await userEvent.click(form.getByRole("button", { name: "Add customer" }));
  expect(await screen.findByTestId("location")).toHaveTextContent("/customers/11111111-2222-4333-8444-555555555555");
  expect(fake.callsTo("POST /customers")[0]?.body).toEqual({
    name: "Noah Green",
    email: "noah@example.com",
    phone: "+44 7700 900200",
    tags: ["vip", "colour"],
    locale: "de",
    preferred_channel: "whatsapp",
    marketing_opt_in: true,
    terms_accepted: true,
  });
});

test("a 422 goes onto its fields, and each error clears once its field is fixed", async () => {
  const fake = setup();
  fake.on("POST /customers", invalid({ email: "Expected `str` matching regex", "tags.0": "Expected `str` of length <= 32" }));
  renderScreen(<CustomersScreen />, fake, { path: "/customers?new=1", route: "/customers" });
  const form = within(await screen.findByRole("dialog", { name: "Add customer" }));
  await userEvent.type(form.getByLabelText("Name"), "Noah Green");
  await userEvent.type(form.getByLabelText(/E-mail/), "noah@");
  await userEvent.type(form.getByLabelText(/Tags/), "a-very-long-tag-that-goes-on-and-on");
  await userEvent.click(form.getByRole("button", { name: "Add customer" }));
  const email = form.getByLabelText(/E-mail/);
  await waitFor(() => expect(email).toHaveAttribute("aria-invalid", "true"));
  expect(form.getByText("This doesn't look right; check the format.")).toBeInTheDocument();
  expect(form.getByText("Use at most 32 characters.")).toBeInTheDocument();
  await userEvent.type(email, "example.com");
  await waitFor(() => expect(email).not.toHaveAttribute("aria-invalid"));
  expect(form.queryByText("This doesn't look right; check the format.")).not.toBeInTheDocument();
  expect(form.getByText("Use at most 32 characters.")).toBeInTheDocument();
});

test("the name is required before anything is sent", async () => {
  const fake = setup();
  renderScreen(<CustomersScreen />, fake, { path: "/customers?new=1", route: "/customers" });
  const form = within(await screen.findByRole("dialog", { name: "Add customer" }));
  await userEvent.click(form.getByRole("button", { name: "Add customer" }));
  expect(await form.findByText("Enter the customer's name.")).toBeInTheDocument();
  expect(fake.callsTo("POST /customers")).toHaveLength(0);
  await userEvent.type(form.getByLabelText("Name"), "N");
  await waitFor(() => expect(form.queryByText("Enter the customer's name.")).not.toBeInTheDocument());
});

test("a duplicate e-mail or phone is explained, with a link to the customer who has it", async () => {
  const fake = setup();
  fake.on("POST /customers", {
    status: 409,
    body: { error: { code: "customer_exists", message: "A customer with this e-mail address or phone number exists.", details: { customer_id: amelia.id } } },
  });
  renderScreen(<CustomersScreen />, fake, { path: "/customers?new=1", route: "/customers" });
  const form = within(await screen.findByRole("dialog", { name: "Add customer" }));
  await userEvent.type(form.getByLabelText("Name"), "Amelia W");
  await userEvent.type(form.getByLabelText(/E-mail/), "amelia.walker@example.com");
  await userEvent.click(form.getByRole("button", { name: "Add customer" }));
  expect(await form.findByText("This customer is already on your list")).toBeInTheDocument();
  expect(form.getByText("A customer with this e-mail address or phone number exists.")).toBeInTheDocument();
  expect(form.getByRole("link", { name: "Open the existing customer" })).toHaveAttribute("href", `/customers/${amelia.id}`);
});
