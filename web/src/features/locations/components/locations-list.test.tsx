import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import * as fx from "../../../testing/fixtures";
import { LocationsList } from "./locations-list";

const shoreditch = fx.location({
  id: "1e39a29a-db5e-477b-924b-d9970d22e31c",
  name: "Shoreditch",
  address: null,
  phone: null,
  time_zone: "America/New_York",
  opening_hours: null,
});

function setup(items = [fx.location(), shoreditch]) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /locations": (req) => ({
      body: fx.page(
        req.query.get("include_archived") === "true"
          ? [...items, fx.location({ id: "2e2e2e2e-0000-4000-8000-000000000002", name: "Old shop", archived: true, archived_at: "2026-10-01T09:00:00+00:00" })]
          : items,
      ),
    }),
  });
}

test("lists each location with its address, phone, time zone and opening hours", async () => {
  renderScreen(<LocationsList />, setup(), { path: "/locations", locale: "en" });
  const soho = (await screen.findByRole("link", { name: "Soho" })).closest("li")!;
  expect(within(soho as HTMLElement).getByRole("link", { name: "Soho" })).toHaveAttribute("href", "/locations/dc0e2344-a94d-46e1-8eb4-78f1092181ea");
  expect(soho).toHaveTextContent("12 Greek Street, London W1D 4DJ");
  expect(within(soho as HTMLElement).getByRole("link", { name: "+44 20 7946 0012" })).toHaveAttribute("href", "tel:+442079460012");
  expect(soho).toHaveTextContent("Europe/London");
  const hours = within(soho as HTMLElement).getAllByRole("listitem").map((li) => li.textContent?.replace(/\s/g, " "));
  expect(hours).toHaveLength(3);
  expect(hours[0]).toBe("Mon–Fri 09:00 AM–07:00 PM");
  expect(hours[1]).toBe("Sat 09:00 AM–05:00 PM");
  expect(hours[2]).toBe("Sun Closed");

  const other = screen.getByRole("link", { name: "Shoreditch" }).closest("li")!;
  expect(other).toHaveTextContent("America/New York");
  expect(other).toHaveTextContent("No set hours: open whenever staff work here");
  expect(other).toHaveTextContent("Not given");
});

test("the archived toggle shows archived locations, marked", async () => {
  const fake = setup();
  renderScreen(<LocationsList />, fake, { path: "/locations" });
  await screen.findByRole("link", { name: "Soho" });
  await userEvent.click(screen.getByLabelText("Include archived locations"));
  const old = await screen.findByRole("link", { name: "Old shop" });
  expect(old.closest("li")).toHaveTextContent("Archived");
  expect(fake.callsTo("GET /locations").at(-1)!.query.get("include_archived")).toBe("true");
});

test("with no locations, it explains what one is and offers to add one", async () => {
  renderScreen(<LocationsList />, setup([]), { path: "/locations" });
  expect(await screen.findByRole("heading", { name: "No locations yet" })).toBeInTheDocument();
  expect(screen.getByText(/A location is where customers come/)).toBeInTheDocument();
  await userEvent.click(await screen.findByRole("link", { name: "Add your first location" }));
  expect(screen.getByTestId("location")).toHaveTextContent("/locations/new");
});

test("?new=1 opens the create form", async () => {
  renderScreen(<LocationsList />, setup(), { path: "/locations?new=1", route: "/locations" });
  expect(await screen.findByTestId("location")).toHaveTextContent("/locations/new");
});
