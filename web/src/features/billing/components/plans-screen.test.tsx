import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { leaveFor } from "../lib/leave";
import { PlansScreen } from "./plans-screen";

vi.mock("../lib/leave", () => ({ leaveFor: vi.fn() }));
vi.setConfig({ testTimeout: 30_000 });

const CHECKOUT_URL = "http://127.0.0.1:9200/checkout/cs_test_1";

function setup(role: Schemas["Me"]["role"] = "owner", sub = bx.subscription(), extra: Parameters<typeof fakeApi>[0] = {}) {
  vi.mocked(leaveFor).mockClear();
  return fakeApi({
    "GET /auth/me": { body: fx.me({ role }) },
    "GET /billing/plans": { body: bx.PLANS },
    "GET /billing/subscription": { body: sub },
    "POST /billing/checkout-session": { status: 201, body: { url: CHECKOUT_URL } },
    "POST /billing/portal-session": { body: { url: "http://127.0.0.1:9200/portal/bps_1" } },
    ...extra,
  });
}

const card = (name: string) => screen.getByRole("region", { name });

test("compares the plans in the business's currency, monthly or yearly: price, limits, extra use and features", async () => {
  const user = userEvent.setup();
  renderScreen(<PlansScreen />, setup(), { path: "/settings/plans" });
  const basic = within(await screen.findByRole("region", { name: "Basic" }));
  expect(basic.getByText("£17.00")).toBeInTheDocument();
  expect(basic.getByText("2 staff members")).toBeInTheDocument();
  expect(basic.getByText("No WhatsApp messages a month")).toBeInTheDocument();
  expect(basic.getByText(/WhatsApp messages/, { selector: "li.is-out" })).toBeInTheDocument();
  const pro = within(card("Pro"));
  expect(pro.getByText("£42.00")).toBeInTheDocument();
  expect(pro.getByText("Bookings past the allowance: £0.05 each")).toBeInTheDocument();
  expect(pro.getByText(/WhatsApp messages/, { selector: "li.is-in" })).toBeInTheDocument();
  expect(within(card("Enterprise")).getByText("Unlimited locations")).toBeInTheDocument();
  expect(screen.getByText(/You are on the free trial \(12 days left\)\./)).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Yearly" }));
  expect(pro.getByText("£420.00")).toBeInTheDocument();
  expect(pro.getByText("a year")).toBeInTheDocument();
  await user.selectOptions(screen.getByRole("combobox", { name: "Currency" }), "EUR");
  expect(pro.getByText("€490.00")).toBeInTheDocument();
});

test("upgrading sends the plan, interval and currency with an Idempotency-Key, then goes to Checkout", async () => {
  const user = userEvent.setup();
  const fake = setup();
  renderScreen(<PlansScreen />, fake, { path: "/settings/plans" });
  await user.click(await screen.findByRole("button", { name: "Subscribe to Pro" }));
  await waitFor(() => expect(leaveFor).toHaveBeenCalledWith(CHECKOUT_URL));
  const [sent] = fake.callsTo("POST /billing/checkout-session");
  expect(sent?.body).toEqual({ plan: "pro", interval: "month", currency: "GBP" });
  expect(sent?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
});

test("a retry of the same choice reuses its Idempotency-Key; the refusal is shown", async () => {
  const user = userEvent.setup();
  const fake = setup("owner", bx.subscription(), {
    "POST /billing/checkout-session": { status: 503, body: { error: { code: "stripe_unavailable", message: "Stripe is not answering. Try again in a moment.", details: {} } } },
  });
  renderScreen(<PlansScreen />, fake, { path: "/settings/plans" });
  await user.click(await screen.findByRole("button", { name: "Subscribe to Basic" }));
  expect(await screen.findByText("Stripe is not answering. Try again in a moment.")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Subscribe to Basic" }));
  await waitFor(() => expect(fake.callsTo("POST /billing/checkout-session")).toHaveLength(2));
  const [first, second] = fake.callsTo("POST /billing/checkout-session").map((c) => c.headers.get("Idempotency-Key"));
  expect(second).toBe(first);
  expect(leaveFor).not.toHaveBeenCalled();
});

test("already subscribed: the portal is offered instead of a second Checkout", async () => {
  const user = userEvent.setup();
  const fake = setup("owner", bx.subscription(), {
    "POST /billing/checkout-session": { status: 409, body: { error: { code: "already_subscribed", message: "Use the portal.", details: {} } } },
  });
  renderScreen(<PlansScreen />, fake, { path: "/settings/plans" });
  await user.click(await screen.findByRole("button", { name: "Subscribe to Pro" }));
  expect(await screen.findByText("You already have a subscription.")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Open the billing portal" }));
  await waitFor(() => expect(leaveFor).toHaveBeenCalledWith("http://127.0.0.1:9200/portal/bps_1"));
});

test("a paying business switches plans in the portal; its plan is marked", async () => {
  const user = userEvent.setup();
  const fake = setup("owner", bx.proSubscription());
  renderScreen(<PlansScreen />, fake, { path: "/settings/plans" });
  const pro = within(await screen.findByRole("region", { name: "Pro" }));
  expect(pro.getByText("Your plan")).toBeInTheDocument();
  expect(pro.queryByRole("button")).not.toBeInTheDocument();
  await user.click(within(card("Enterprise")).getByRole("button", { name: "Switch in the billing portal" }));
  await waitFor(() => expect(fake.callsTo("POST /billing/portal-session")).toHaveLength(1));
  expect(fake.callsTo("POST /billing/checkout-session")).toHaveLength(0);
});

test("subscribed during the trial: the chosen plan is marked and changes go through the portal", async () => {
  renderScreen(<PlansScreen />, setup("owner", bx.trialSubscription()), { path: "/settings/plans" });
  expect(await screen.findByText(/You are subscribed to Pro; your free trial goes on \(12 days left\)/)).toBeInTheDocument();
  expect(within(card("Pro")).getByText("Your plan")).toBeInTheDocument();
  expect(within(card("Basic")).getByRole("button", { name: "Switch in the billing portal" })).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: /Upgrade/ })).not.toBeInTheDocument();
});

test("admins and staff see the plans but cannot choose one, and are told why", async () => {
  renderScreen(<PlansScreen />, setup("admin"), { path: "/settings/plans" });
  expect(await screen.findByText(/Only an owner of the business can upgrade or change the plan/)).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: /Upgrade|Subscribe|Switch/ })).not.toBeInTheDocument();
});

test("an expired trial subscribes; a failed catalogue offers a retry", async () => {
  const fake = setup("owner", bx.subscription({ status: "expired", trial_days_left: 0 }));
  renderScreen(<PlansScreen />, fake, { path: "/settings/plans" });
  expect(await screen.findByRole("button", { name: "Subscribe to Pro" })).toBeInTheDocument();

  const broken = setup("owner", bx.subscription(), { "GET /billing/plans": { status: 500, body: {} } });
  renderScreen(<PlansScreen />, broken, { path: "/settings/plans" });
  expect(await screen.findByText("We couldn't load the plans.")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
});
