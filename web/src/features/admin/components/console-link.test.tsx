// The app's top bar: the console's link only for platform operators (as GET /auth/me says), and the
// subscription banner above every page.
import { screen, waitFor, within } from "@testing-library/react";
import { vi } from "vitest";
import { AppLayout } from "../../../components/layouts/app-layout";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";

vi.setConfig({ testTimeout: 30_000 });

function layout(operator: boolean) {
  const fake = fakeApi({
    "GET /auth/me": { body: fx.me({ platform_operator: operator }) },
    "GET /billing/subscription": { body: bx.subscription({ trial_days_left: 2 }) },
  });
  renderScreen(<AppLayout />, fake, { path: "/calendar" });
  return fake;
}

test("an operator gets the Console link", async () => {
  layout(true);
  const nav = within(await screen.findByRole("navigation", { name: "Main" }));
  expect(await nav.findByRole("link", { name: "Console" })).toHaveAttribute("href", "/admin");
  expect(await screen.findByText("Your free trial ends in 2 days.")).toBeInTheDocument();
});

test("anyone else does not", async () => {
  const fake = layout(false);
  const nav = within(await screen.findByRole("navigation", { name: "Main" }));
  await waitFor(() => expect(fake.callsTo("GET /auth/me")).toHaveLength(1));
  expect(nav.queryByRole("link", { name: "Console" })).not.toBeInTheDocument();
  expect(nav.getByRole("link", { name: "Settings" })).toBeInTheDocument();
});
