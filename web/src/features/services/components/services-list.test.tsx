import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { ServicesList } from "./services-list";
import * as fx from "../../../testing/fixtures";

const catalogue = [
  fx.service(),
  fx.service({
    id: "62b26256-a6c5-4ac8-b3b2-0b230ea1d1c4",
    name: "Colour",
    duration_min: 90,
    price: { amount: 9500, currency: "GBP" },
    color: "#db2777",
    staff: [{ staff_id: fx.IDS.amara, duration_min: 105, price: null }],
    requires_confirmation: true,
  }),
  fx.service({
    id: "0c6b3b8e-8a59-4f4e-9a53-3b8c9b7e4a11",
    name: "Bridal trial",
    category: null,
    duration_min: 120,
    price: { amount: 12000, currency: "GBP" },
    bookable_online: false,
    staff: [],
    capacity: 3,
  }),
];

function setup(services = catalogue) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /services": (req) => ({
      body: fx.page(
        req.query.get("include_archived") === "true"
          ? [...services, fx.service({ id: "5d1c1b7e-1111-4f4e-9a53-3b8c9b7e4a11", name: "Perm", archived: true, active: false, archived_at: "2026-11-01T10:00:00+00:00" })]
          : services,
      ),
    }),
    "GET /staff": { body: fx.page([fx.stylist(fx.IDS.amara, "Amara Okafor"), fx.stylist(fx.IDS.ben, "Ben Carter")]) },
  });
}

test("lists services by category with duration, price, online booking and who performs them", async () => {
  renderScreen(<ServicesList />, setup(), { path: "/services" });
  const hair = await screen.findByRole("region", { name: /Hair/ });
  const items = within(hair).getAllByRole("listitem");
  // A–Z inside a category.
  expect(items.map((li) => within(li).getByRole("link").textContent)).toEqual(["Colour", "Haircut"]);
  const haircut = items[1]!;
  expect(haircut).toHaveTextContent("45 min");
  expect(haircut).toHaveTextContent("£45.00");
  expect(haircut).toHaveTextContent("Bookable online");
  expect(await within(haircut).findByText("By Amara Okafor, Ben Carter")).toBeInTheDocument();
  expect(within(items[0]!).getByText("You confirm each booking")).toBeInTheDocument();
  expect(within(items[0]!).getByText("1 h 30 min")).toBeInTheDocument();

  const other = screen.getByRole("region", { name: /Other services/ });
  expect(other).toHaveTextContent("Bridal trial");
  expect(other).toHaveTextContent("Team only");
  expect(other).toHaveTextContent("Group · 3 places");
  expect(other).toHaveTextContent("Nobody performs it yet, so it can't be booked");
  expect(within(other).getByRole("link", { name: "Bridal trial" })).toHaveAttribute("href", "/services/0c6b3b8e-8a59-4f4e-9a53-3b8c9b7e4a11");
  // Uncategorised services come last.
  const headings = screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
  expect(headings).toEqual(["Hair 2 services", "Other services 1 service"]);
});

test("the archived toggle asks for archived services too and marks them", async () => {
  const fake = setup();
  renderScreen(<ServicesList />, fake, { path: "/services" });
  await screen.findByRole("link", { name: "Haircut" });
  expect(screen.queryByText("Perm")).not.toBeInTheDocument();
  expect(fake.callsTo("GET /services")[0]!.query.get("include_archived")).toBe("false");
  await userEvent.click(screen.getByLabelText("Include archived services"));
  const perm = await screen.findByRole("link", { name: "Perm" });
  expect(perm.closest("li")).toHaveTextContent("Archived");
  expect(fake.callsTo("GET /services").at(-1)!.query.get("include_archived")).toBe("true");
});

test("an empty catalogue explains what a service is and offers to create one", async () => {
  renderScreen(<ServicesList />, setup([]), { path: "/services" });
  expect(await screen.findByRole("heading", { name: "No services yet" })).toBeInTheDocument();
  expect(screen.getByText(/A service is something customers book with you/)).toBeInTheDocument();
  await userEvent.click(await screen.findByRole("link", { name: "Create your first service" }));
  expect(screen.getByTestId("location")).toHaveTextContent("/services/new");
});

test("?new=1 opens the create form", async () => {
  renderScreen(<ServicesList />, setup(), { path: "/services?new=1", route: "/services" });
  expect(await screen.findByTestId("location")).toHaveTextContent("/services/new");
});

test("staff members (not admins) see the catalogue without create buttons", async () => {
  const fake = setup([]);
  fake.on("GET /auth/me", { body: fx.me({ role: "staff" }) });
  renderScreen(<ServicesList />, fake, { path: "/services" });
  expect(await screen.findByRole("heading", { name: "No services yet" })).toBeInTheDocument();
  expect(screen.queryByRole("link", { name: /Create your first service|New service/ })).not.toBeInTheDocument();
});

test("a failed load says so and can be tried again", async () => {
  const fake = setup();
  fake.on("GET /services", { status: 500, body: {} });
  renderScreen(<ServicesList />, fake, { path: "/services" });
  expect(await screen.findByText("We couldn't load your services.")).toBeInTheDocument();
  fake.on("GET /services", { body: fx.page(catalogue) });
  await userEvent.click(screen.getByRole("button", { name: "Try again" }));
  expect(await screen.findByRole("link", { name: "Haircut" })).toBeInTheDocument();
});
