import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { TenantsScreen } from "./tenants-screen";

vi.setConfig({ testTimeout: 30_000 });

const BELLA = bx.tenant({ id: "1f1f1f1f-0000-4000-8000-000000000001", name: "Bella's Barbers", slug: "bellas", plan: "basic", status: "suspended", state: "suspended", owner: null });

function setup(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /admin/tenants": (req) => ({
      body: req.query.get("cursor") === "page-2" ? { items: [BELLA], next_cursor: null } : { items: [bx.tenant()], next_cursor: "page-2" },
    }),
    ...extra,
  });
}

test("lists tenants with plan, state, owner and use; pages forward and back", async () => {
  const user = userEvent.setup();
  const fake = setup();
  renderScreen(<TenantsScreen />, fake, { path: "/admin", route: "/admin" });
  const row = within((await screen.findByRole("link", { name: "Demo Salon" })).closest("tr") as HTMLElement);
  expect(row.getByRole("link", { name: "Demo Salon" })).toHaveAttribute("href", `/admin/tenants/${bx.TENANT_ID}`);
  expect(row.getByText("Pro")).toBeInTheDocument();
  expect(row.getByText("Active")).toBeInTheDocument();
  expect(row.getByText("owner@demo-salon.test")).toBeInTheDocument();
  expect(row.getByText("412")).toBeInTheDocument();
  expect(row.getByText("120 WhatsApp · 318 e-mail")).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Next" }));
  const bella = within((await screen.findByRole("link", { name: "Bella's Barbers" })).closest("tr") as HTMLElement);
  expect(bella.getByText("Suspended")).toBeInTheDocument();
  expect(bella.getByText("No owner")).toBeInTheDocument();
  expect(fake.callsTo("GET /admin/tenants").map((c) => c.query.get("cursor"))).toEqual([null, "page-2"]);
  await user.click(screen.getByRole("button", { name: "Previous" }));
  expect(await screen.findByRole("link", { name: "Demo Salon" })).toBeInTheDocument();
});

test("search and filters go to the API and into the URL; a new filter starts at the first page", async () => {
  const user = userEvent.setup();
  const fake = setup();
  const { router } = renderScreen(<TenantsScreen />, fake, { path: "/admin", route: "/admin" });
  await screen.findByRole("link", { name: "Demo Salon" });
  await user.click(screen.getByRole("button", { name: "Next" }));
  await screen.findByRole("link", { name: "Bella's Barbers" });
  await user.type(screen.getByLabelText("Search"), "bella");
  await user.click(screen.getByRole("button", { name: "Search" }));
  await user.selectOptions(screen.getByLabelText("Plan"), "basic");
  await user.selectOptions(screen.getByLabelText("Status"), "suspended");
  await user.selectOptions(screen.getByLabelText("State"), "past_due");
  await waitFor(() => {
    const last = fake.callsTo("GET /admin/tenants").at(-1);
    expect(Object.fromEntries(last?.query ?? [])).toEqual({ q: "bella", plan: "basic", status: "suspended", state: "past_due", limit: "25" });
  });
  expect(router.state.location.search).toBe("?q=bella&plan=basic&status=suspended&state=past_due");
});

test("nothing found; a non-operator is told the console is not theirs", async () => {
  renderScreen(<TenantsScreen />, setup({ "GET /admin/tenants": { body: { items: [], next_cursor: null } } }), { path: "/admin?q=zzz", route: "/admin" });
  expect(await screen.findByText("No tenants match.")).toBeInTheDocument();
  expect(screen.getByLabelText("Search")).toHaveValue("zzz");

  renderScreen(<TenantsScreen />, setup({ "GET /admin/tenants": fx.refusal(403, "forbidden", "This needs a platform operator.") }), { path: "/admin", route: "/admin" });
  expect(await screen.findByText("This is for platform operators.")).toBeInTheDocument();
  expect(screen.getByText("This needs a platform operator.")).toBeInTheDocument();
});
