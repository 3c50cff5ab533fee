import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { leaveFor } from "../lib/leave";
import { BillingBanner } from "./billing-banner";

vi.mock("../lib/leave", () => ({ leaveFor: vi.fn() }));
vi.setConfig({ testTimeout: 30_000 });

function show(sub: Schemas["SubscriptionState"] | null, role: Schemas["Me"]["role"] = "owner", path = "/calendar") {
  vi.mocked(leaveFor).mockClear();
  const fake = fakeApi({
    "GET /auth/me": { body: fx.me({ role }) },
    "GET /billing/subscription": sub ? { body: sub } : { status: 500, body: {} },
    "POST /billing/portal-session": { body: { url: "http://127.0.0.1:9200/portal/bps_1" } },
  });
  renderScreen(<BillingBanner />, fake, { path, route: path });
  return fake;
}

const banner = async () => within(await screen.findByRole("region", { name: "Subscription" }));

test("trialing: the days left, and the plans to choose from", async () => {
  show(bx.subscription({ trial_days_left: 5 }));
  const b = await banner();
  expect(b.getByText("Your free trial ends in 5 days.")).toBeInTheDocument();
  expect(b.getByRole("link", { name: "Choose a plan" })).toHaveAttribute("href", "/settings/plans");
  expect(b.getByRole("status")).toHaveClass("alert-info");
});

test("the trial's last days warn; the last day says today", async () => {
  show(bx.subscription({ trial_days_left: 0 }));
  const b = await banner();
  expect(b.getByText("Your free trial ends today.")).toBeInTheDocument();
  expect(b.getByRole("status")).toHaveClass("alert-warning");
});

test("past due: update the payment method in the portal", async () => {
  const user = userEvent.setup();
  const fake = show(bx.proSubscription({ status: "past_due" }));
  const b = await banner();
  expect(b.getByText("Your last payment failed.")).toBeInTheDocument();
  await user.click(b.getByRole("button", { name: "Update payment" }));
  await waitFor(() => expect(leaveFor).toHaveBeenCalledWith("http://127.0.0.1:9200/portal/bps_1"));
  expect(fake.callsTo("POST /billing/portal-session")).toHaveLength(1);
});

test("expired: subscribe; suspended for non-payment: pay now; suspended by the operator: its reason", async () => {
  show(bx.subscription({ status: "expired", trial_days_left: 0 }));
  let b = await banner();
  expect(b.getByText("Your free trial has ended.")).toBeInTheDocument();
  expect(b.getByRole("link", { name: "Subscribe" })).toHaveAttribute("href", "/settings/plans");
  cleanup();

  show(bx.proSubscription({ status: "suspended", suspended_by: "billing" }));
  b = await banner();
  expect(b.getByText("Your business is suspended: the payment could not be collected.")).toBeInTheDocument();
  expect(b.getByRole("button", { name: "Pay now" })).toBeInTheDocument();
  cleanup();

  show(bx.proSubscription({ status: "suspended", suspended_by: "operator", suspended_reason: "Chargeback under review" }));
  b = await banner();
  expect(b.getByText(/Reason: Chargeback under review\./)).toBeInTheDocument();
  expect(b.queryByRole("button")).not.toBeInTheDocument();
});

test("staff are told to ask an owner, with no action of their own", async () => {
  show(bx.proSubscription({ status: "past_due" }), "staff");
  const b = await banner();
  expect(b.getByText(/Ask an owner of the business to see to it\./)).toBeInTheDocument();
  expect(b.queryByRole("button")).not.toBeInTheDocument();
});

test("nothing while active or subscribed during the trial, on the billing page itself, or when the subscription cannot be read", async () => {
  const active = show(bx.proSubscription());
  await waitFor(() => expect(active.callsTo("GET /billing/subscription")).toHaveLength(1));
  expect(screen.queryByRole("region", { name: "Subscription" })).not.toBeInTheDocument();
  const trial = show(bx.trialSubscription());
  await waitFor(() => expect(trial.callsTo("GET /billing/subscription")).toHaveLength(1));
  expect(screen.queryByRole("region", { name: "Subscription" })).not.toBeInTheDocument();
  const billing = show(bx.subscription(), "owner", "/settings/billing");
  await waitFor(() => expect(billing.callsTo("GET /billing/subscription")).toHaveLength(1));
  expect(screen.queryByRole("region", { name: "Subscription" })).not.toBeInTheDocument();
  const broken = show(null);
  await waitFor(() => expect(broken.callsTo("GET /billing/subscription")).toHaveLength(1));
  expect(screen.queryByRole("region", { name: "Subscription" })).not.toBeInTheDocument();
});
