import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import type { CustomerRecord } from "../api/customers";
import { customer, customerRecord, page } from "../../../testing/fixtures";
import { CustomerPicker } from "./customer-picker";

const amelia = customerRecord();
const NEW_ID = "11111111-2222-4333-8444-555555555555";

/** The picker inside a form, as the new-appointment screen uses it. */
function Host({ onSubmit = () => {} }: { onSubmit?: () => void }) {
  const [value, setValue] = useState<CustomerRecord | null>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <CustomerPicker value={value} onChange={setValue} />
      <p data-testid="chosen">{value ? `${value.name} (${value.id}, ${value.notes.length} notes)` : "none"}</p>
    </form>
  );
}

function setup() {
  return fakeApi({
    "GET /customers": (req) => ({ body: page((req.query.get("q") ?? "").toLowerCase().startsWith("am") ? [customer()] : []) }),
    "GET /customers/{customer_id}": (_req, { customer_id }) =>
      customer_id === amelia.id ? { body: amelia } : { body: customerRecord({ id: customer_id ?? "", name: "Noah Green", email: null, phone: "+44 7700 900200", notes: [], consents: [] }) },
  });
}

test("finds a customer by what is typed and picks them (the full record)", async () => {
  const fake = setup();
  renderScreen(<Host />, fake);
  expect(screen.getByText(/Type at least 2 characters/)).toBeInTheDocument();
  await userEvent.type(screen.getByLabelText("Find a customer"), "ame");
  expect(await screen.findByText("1 customer found.")).toBeInTheDocument();
  expect(fake.callsTo("GET /customers").map((c) => [c.query.get("q"), c.query.get("limit")])).toEqual([["ame", "8"]]);
  await userEvent.click(screen.getByRole("button", { name: /Amelia Walker/ }));
  expect(await screen.findByTestId("chosen")).toHaveTextContent(`Amelia Walker (${amelia.id}, 1 notes)`);
  await userEvent.click(screen.getByRole("button", { name: "Change customer" }));
  expect(screen.getByTestId("chosen")).toHaveTextContent("none");
});

test("Enter in the search picks the first match and does not submit the outer form", async () => {
  const submitted = vi.fn();
  renderScreen(<Host onSubmit={submitted} />, setup());
  await userEvent.type(screen.getByLabelText("Find a customer"), "am");
  await screen.findByText("1 customer found.");
  await userEvent.type(screen.getByLabelText("Find a customer"), "{Enter}");
  expect(await screen.findByText(/Amelia Walker \(/)).toBeInTheDocument();
  expect(submitted).not.toHaveBeenCalled();
});

test("no match says so", async () => {
  renderScreen(<Host />, setup());
  await userEvent.type(screen.getByLabelText("Find a customer"), "zed");
  expect(await screen.findByText("No customer matches “zed”.")).toBeInTheDocument();
});

test("a walk-in is created inline and chosen", async () => {
  const fake = setup();
  fake.on("POST /customers", (req) => ({ status: 201, body: customer({ ...(req.body as object), id: NEW_ID, version: 1 }) }));
  const submitted = vi.fn();
  renderScreen(<Host onSubmit={submitted} />, fake);
  await userEvent.type(screen.getByLabelText("Find a customer"), "Noah Green");
  await userEvent.click(screen.getByRole("button", { name: "New customer" }));
  expect(screen.getByLabelText("Name")).toHaveValue("Noah Green");
  await userEvent.type(screen.getByLabelText(/Phone/), "+44 7700 900200{Enter}");
  expect(await screen.findByTestId("chosen")).toHaveTextContent(`Noah Green (${NEW_ID}, 0 notes)`);
  expect(fake.callsTo("POST /customers")[0]?.body).toEqual({ name: "Noah Green", email: null, phone: "+44 7700 900200" });
  expect(submitted).not.toHaveBeenCalled();
});

test("a walk-in's 422 lands on its field and clears once fixed", async () => {
  const fake = setup();
  fake.on("POST /customers", invalid({ email: "Expected `str` matching regex" }));
  renderScreen(<Host />, fake);
  await userEvent.click(screen.getByRole("button", { name: "New customer" }));
  await userEvent.click(screen.getByRole("button", { name: "Add and choose" }));
  expect(await screen.findByText("Enter the customer's name.")).toBeInTheDocument();
  await userEvent.type(screen.getByLabelText("Name"), "Noah Green");
  await userEvent.type(screen.getByLabelText(/E-mail/), "noah@");
  await userEvent.click(screen.getByRole("button", { name: "Add and choose" }));
  const email = screen.getByLabelText(/E-mail/);
  await waitFor(() => expect(email).toHaveAttribute("aria-invalid", "true"));
  await userEvent.type(email, "example.com");
  await waitFor(() => expect(email).not.toHaveAttribute("aria-invalid"));
});

test("a walk-in who is already a customer can be chosen instead", async () => {
  const fake = setup();
  fake.on("POST /customers", {
    status: 409,
    body: { error: { code: "customer_exists", message: "A customer with this e-mail address or phone number exists.", details: { customer_id: amelia.id } } },
  });
  renderScreen(<Host />, fake);
  await userEvent.click(screen.getByRole("button", { name: "New customer" }));
  await userEvent.type(screen.getByLabelText("Name"), "Amelia");
  await userEvent.type(screen.getByLabelText(/E-mail/), "amelia.walker@example.com");
  await userEvent.click(screen.getByRole("button", { name: "Add and choose" }));
  await userEvent.click(await screen.findByRole("button", { name: "Choose the existing customer" }));
  expect(await screen.findByTestId("chosen")).toHaveTextContent(`Amelia Walker (${amelia.id}, 1 notes)`);
});
