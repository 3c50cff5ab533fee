import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import * as fx from "../../../testing/fixtures";
import { StaffList } from "./staff-list";

function setup(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /locations": { body: fx.page([fx.location()]) },
    "GET /business/users": { body: fx.team([fx.member()]) },
    "GET /calendar/status": { body: { items: [] } },
    "GET /staff": (req) => ({
      body: fx.page(
        req.query.get("include_inactive") === "true"
          ? [fx.staffMember({ photo_key: "businesses/b1/staff/s1/face.png" }), fx.staffMember({ id: fx.IDS.amara, name: "Amara Okafor", user_id: null, active: false, bookable: false })]
          : [fx.staffMember({ photo_key: "businesses/b1/staff/s1/face.png" })],
      ),
    }),
    ...extra,
  });
}

test("lists staff with photo, locations, bookable and login, and explains profiles versus logins", async () => {
  const fake = setup();
  renderScreen(<StaffList />, fake, { path: "/staff" });
  const row = (await screen.findByRole("link", { name: "Dana Demo" })).closest("tr") as HTMLElement;
  expect(within(row).getByText("Soho")).toBeInTheDocument();
  expect(within(row).getByText("Yes")).toBeInTheDocument();
  expect(await within(row).findByText("Linked: Dana Demo")).toBeInTheDocument();
  expect(row.querySelector("img")?.getAttribute("src")).toBe("http://media.test/businesses/b1/staff/s1/face.png");
  expect(screen.getByRole("link", { name: "Dana Demo" })).toHaveAttribute("href", `/staff/${fx.IDS.dana}`);
  const explainer = screen.getByRole("complementary", { name: "Staff profiles and team logins" });
  expect(within(explainer).getByText(/people customers can book/)).toBeInTheDocument();
  expect(within(explainer).getByRole("link", { name: "Manage team logins" })).toHaveAttribute("href", "/team");
});

test("the inactive toggle asks for inactive staff too and marks them", async () => {
  const fake = setup();
  const user = userEvent.setup();
  renderScreen(<StaffList />, fake, { path: "/staff" });
  await screen.findByRole("link", { name: "Dana Demo" });
  await user.click(screen.getByRole("checkbox", { name: "Show inactive staff" }));
  const row = (await screen.findByRole("link", { name: "Amara Okafor" })).closest("tr") as HTMLElement;
  expect(within(row).getByText("Inactive")).toBeInTheDocument();
  expect(within(row).getByText("No login")).toBeInTheDocument();
  expect(within(row).getByText(/No \(hidden from booking\)/)).toBeInTheDocument();
  expect(fake.callsTo("GET /staff").at(-1)?.query.get("include_inactive")).toBe("true");
});

test("with no staff, the empty state explains profiles and leads to the create form", async () => {
  const fake = setup({ "GET /staff": { body: fx.page([]) } });
  const user = userEvent.setup();
  renderScreen(<StaffList />, fake, { path: "/staff" });
  expect(await screen.findByText("No staff profiles yet")).toBeInTheDocument();
  expect(screen.getByText(/A staff profile is not a login/)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Add your first staff member" }));
  expect(await screen.findByRole("dialog", { name: "Add a staff member" })).toBeInTheDocument();
});

test("?new=1 opens the create form; it sends StaffNew, maps a 422 and the error clears once fixed", async () => {
  let attempt = 0;
  const fake = setup({
    "POST /staff": (req) => {
      attempt += 1;
      if (attempt === 1) return invalid({ phone: "Expected `str` matching regex '^\\+?[0-9 ()./-]{5,32}$'" });
      return { status: 201, body: fx.staffMember({ id: fx.IDS.amara, ...(req.body as object) }) };
    },
  });
  const user = userEvent.setup();
  renderScreen(<StaffList />, fake, { path: "/staff?new=1", route: "/staff" });
  const dialog = await screen.findByRole("dialog", { name: "Add a staff member" });
  await user.type(await within(dialog).findByLabelText("Name"), "Amara Okafor");
  await user.type(within(dialog).getByLabelText(/Phone/), "call me");
  // The business's only location is ticked already: there is nothing else to choose.
  await waitFor(() => expect(within(dialog).getByRole("checkbox", { name: "Soho" })).toBeChecked());
  await user.click(within(dialog).getByRole("button", { name: "Add staff member" }));
  const phone = within(dialog).getByLabelText(/Phone/);
  expect(await within(dialog).findByText("This doesn't look right; check the format.")).toBeInTheDocument();
  expect(phone).toHaveAttribute("aria-invalid", "true");
  expect(fake.callsTo("POST /staff")[0]?.body).toEqual({
    name: "Amara Okafor",
    email: null,
    phone: "call me",
    bio: null,
    time_zone: null,
    location_ids: [fx.IDS.soho],
    bookable: true,
    user_id: null,
  });
  await user.clear(phone);
  await user.type(phone, "+44 7700 900002");
  await waitFor(() => expect(within(dialog).queryByText("This doesn't look right; check the format.")).not.toBeInTheDocument());
  expect(phone).not.toHaveAttribute("aria-invalid");
  await user.click(within(dialog).getByRole("button", { name: "Add staff member" }));
  expect(await screen.findByTestId("location")).toHaveTextContent(`/staff/${fx.IDS.amara}`);
});

test("a refusal to list staff (403) is shown as the API words it", async () => {
  const fake = setup({ "GET /staff": { status: 403, body: { error: { code: "forbidden", message: "Only admins can do this.", details: {} } } } });
  renderScreen(<StaffList />, fake, { path: "/staff" });
  expect(await screen.findByText("Only admins can do this.")).toBeInTheDocument();
});
