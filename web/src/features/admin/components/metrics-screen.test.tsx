import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { MetricsScreen } from "./metrics-screen";

vi.setConfig({ testTimeout: 30_000 });

test("tenants by status, plan and state; MRR per currency; bookings, messages, dead letters and errors", async () => {
  const user = userEvent.setup();
  const fake = fakeApi({ "GET /auth/me": { body: fx.me() }, "GET /admin/metrics": { body: bx.metrics() } });
  renderScreen(<MetricsScreen />, fake, { path: "/admin/metrics" });
  const tenants = within(await screen.findByRole("region", { name: "Tenants" }));
  expect(tenants.getByText("1,240")).toBeInTheDocument();
  expect(tenants.getByText("Suspended: 12")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: "By plan" })).getByText("Enterprise: 30")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: "By state" })).getByText("Payment overdue: 20")).toBeInTheDocument();
  const mrr = within(screen.getByRole("region", { name: "Monthly recurring revenue" }));
  expect(mrr.getByText("€18,300.00")).toBeInTheDocument();
  expect(mrr.getByText("£9,600.00")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: "Bookings today" })).getByText("This month: 10,310")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: "Messages today" })).getByText("WhatsApp: 2,800 today, 5,600 this month")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: "Dead letters" })).getByRole("link", { name: "See them" })).toHaveAttribute("href", "/admin/dead-letters");
  expect(within(screen.getByRole("region", { name: "Errors" })).getByText("Stripe events failed: 1")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Refresh" }));
  await waitFor(() => expect(fake.callsTo("GET /admin/metrics")).toHaveLength(2));
});

test("a non-operator is refused", async () => {
  const fake = fakeApi({ "GET /auth/me": { body: fx.me() }, "GET /admin/metrics": fx.refusal(403, "forbidden", "This needs a platform operator.") });
  renderScreen(<MetricsScreen />, fake, { path: "/admin/metrics" });
  expect(await screen.findByText("This is for platform operators.")).toBeInTheDocument();
});
