import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { me } from "../../../testing/fixtures";
import { CustomersImport, reasonWords } from "./customers-import";

const CSV = [
  "name,email,phone,tags,marketing_opt_in",
  "Noah Green,noah@example.com,+44 7700 900200,vip;colour,yes",
  "Amelia Walker,amelia.walker@example.com,,,",
  "Broken,not-an-email,,,",
  "Noah G,noah@example.com,,,",
].join("\n");

const REPORT = {
  created: 1,
  updated: 1,
  rejected: 2,
  rows: [
    { row: 2, status: "created", customer_id: "11111111-2222-4333-8444-555555555555", reason: null },
    { row: 3, status: "updated", customer_id: "67ff8f77-0c9f-46fe-aff0-b139482ab0e0", reason: null },
    { row: 4, status: "rejected", customer_id: null, reason: "bad email" },
    { row: 5, status: "rejected", customer_id: null, reason: "duplicate of row 2" },
  ],
};

const csvFile = (text = CSV) => new File([text], "customers.csv", { type: "text/csv" });
const open = (fake: ReturnType<typeof fakeApi>) => renderScreen(<CustomersImport />, fake, { path: "/customers/import", route: "/customers/import" });

test("shows the columns the file needs", () => {
  open(fakeApi());
  for (const column of ["name", "email", "phone", "tags", "marketing_opt_in"]) expect(screen.getByText(column)).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Download a template" })).toHaveAttribute("download", "customers-template.csv");
});

test("sends the file's text and shows what happened to each line", async () => {
  const fake = fakeApi({ "POST /customers/import": { body: REPORT } });
  open(fake);
  await userEvent.upload(screen.getByLabelText("CSV file"), csvFile());
  await userEvent.click(screen.getByLabelText(/Update customers who are already on your list/));
  await userEvent.click(screen.getByRole("button", { name: "Import" }));
  expect(await screen.findByText(/1 added, 1 updated, 2 skipped\./)).toBeInTheDocument();
  expect(fake.callsTo("POST /customers/import")[0]?.body).toEqual({ csv: CSV, update_existing: false });
  const rows = within(screen.getByRole("table")).getAllByRole("row").slice(1);
  expect(rows.map((r) => r.textContent)).toEqual([
    "2AddedOpen customer",
    "3UpdatedOpen customer",
    "4SkippedThe e-mail address isn't valid. ",
    "5SkippedSame customer as line 2. ",
  ]);
  expect(within(rows[0] as HTMLElement).getByRole("link", { name: "Open customer" })).toHaveAttribute("href", "/customers/11111111-2222-4333-8444-555555555555");
});

test("nothing is sent without a file", async () => {
  const fake = fakeApi();
  open(fake);
  await userEvent.click(screen.getByRole("button", { name: "Import" }));
  expect(await screen.findByText("Choose a CSV file.")).toBeInTheDocument();
  expect(fake.callsTo("POST /customers/import")).toHaveLength(0);
  await userEvent.upload(screen.getByLabelText("CSV file"), csvFile());
  await waitFor(() => expect(screen.queryByText("Choose a CSV file.")).not.toBeInTheDocument());
});

test("a refused file shows the API's reason on the file field, cleared by choosing another", async () => {
  const fake = fakeApi({ "POST /customers/import": invalid({ csv: "unknown columns: surname" }) });
  open(fake);
  const input = screen.getByLabelText("CSV file");
  await userEvent.upload(input, csvFile("surname,email\nGreen,noah@example.com\n"));
  await userEvent.click(screen.getByRole("button", { name: "Import" }));
  expect(await screen.findByText("Unknown columns: surname.")).toBeInTheDocument();
  expect(input).toHaveAttribute("aria-invalid", "true");
  await userEvent.upload(input, csvFile());
  await waitFor(() => expect(input).not.toHaveAttribute("aria-invalid"));
});

test("an import that raced other changes says to run it again", async () => {
  const fake = fakeApi({
    "POST /customers/import": {
      status: 409,
      body: { error: { code: "import_conflict", message: "Customers were changed while importing; run the import again.", details: {} } },
    },
  });
  open(fake);
  await userEvent.upload(screen.getByLabelText("CSV file"), csvFile());
  await userEvent.click(screen.getByRole("button", { name: "Import" }));
  expect(await screen.findByText("Customers were changed while importing; run the import again.")).toBeInTheDocument();
});

test("the importer's reasons read as sentences", () => {
  expect(reasonWords("bad phone")).toBe("The phone isn't valid.");
  expect(reasonWords("missing name")).toBe("The name is missing.");
  expect(reasonWords("customer exists")).toBe("Already on your list (updating was turned off).");
  expect(reasonWords("something new")).toBe("Something new.");
});

test("a staff member is told that only owners and admins import", async () => {
  open(fakeApi({ "GET /auth/me": { body: me({ role: "staff" }) } }));
  expect(await screen.findByText(/Only the business's owners and admins can import customers/)).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Import" })).toBeDisabled();
});
