import { act, cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { leaveFor } from "../lib/leave";
import { BillingScreen, CHECKOUT_POLL_MS } from "./billing-screen";

vi.mock("../lib/leave", () => ({ leaveFor: vi.fn() }));
vi.setConfig({ testTimeout: 30_000 });

function setup(sub: Schemas["SubscriptionState"], role: Schemas["Me"]["role"] = "owner", extra: Parameters<typeof fakeApi>[0] = {}) {
  vi.mocked(leaveFor).mockClear();
  return fakeApi({
    "GET /auth/me": { body: fx.me({ role }) },
    "GET /billing/subscription": { body: sub },
    "GET /billing/usage": { body: bx.usage() },
    "GET /billing/invoices": { body: { items: [bx.invoice()], next_cursor: null } },
    "POST /billing/portal-session": { body: { url: "http://127.0.0.1:9200/portal/bps_1" } },
    ...extra,
  });
}

const open = (fake: ReturnType<typeof setup>, path = "/settings/billing") => renderScreen(<BillingScreen />, fake, { path, route: "/settings/billing" });
const subscriptionCard = () => within(screen.getByRole("region", { name: "Subscription" }));

test("a trial shows its days left and leads to the plans; no portal before a Stripe customer exists", async () => {
  open(setup(bx.subscription()));
  expect(await screen.findByText("12 days left (until Dec 16, 2026)")).toBeInTheDocument();
  const card = subscriptionCard();
  expect(card.getByText("Trial", { selector: ".badge" })).toBeInTheDocument();
  expect(card.getByRole("link", { name: "Upgrade" })).toHaveAttribute("href", "/settings/plans");
  expect(card.queryByRole("button", { name: "Manage billing" })).not.toBeInTheDocument();
});

test("an active plan shows its price and period; Manage billing opens the portal", async () => {
  const user = userEvent.setup();
  const fake = setup(bx.proSubscription());
  open(fake);
  const card = within(await screen.findByRole("region", { name: "Subscription" }));
  expect(card.getByText("Pro")).toBeInTheDocument();
  expect(card.getByText("Active")).toBeInTheDocument();
  expect(card.getByText("£42.00 a month")).toBeInTheDocument();
  expect(card.getByText("Dec 2, 2026 – Jan 2, 2027")).toBeInTheDocument();
  await user.click(card.getByRole("button", { name: "Manage billing" }));
  await waitFor(() => expect(leaveFor).toHaveBeenCalledWith("http://127.0.0.1:9200/portal/bps_1"));
  expect(fake.callsTo("POST /billing/portal-session")).toHaveLength(1);
});

test("usage meters: used of included, the overage and its price; unlimited e-mails", async () => {
  open(setup(bx.proSubscription()));
  const usage = within(await screen.findByRole("region", { name: "Usage this period" }));
  expect(await usage.findByText("2,041 of 2,000")).toBeInTheDocument();
  expect(usage.getByText("41 past the allowance, billed at £0.05 each with your next invoice.")).toBeInTheDocument();
  expect(usage.getByText("318 (no limit)")).toBeInTheDocument();
  expect(usage.getByRole("progressbar", { name: "WhatsApp messages" })).toHaveAttribute("value", "120");
});

test("invoices with their links; staff do not see them nor the portal", async () => {
  open(setup(bx.proSubscription()));
  const invoices = within(await screen.findByRole("region", { name: "Invoices" }));
  const row = within((await invoices.findByText("DEMO-0001")).closest("tr") as HTMLElement);
  expect(row.getByText("Paid")).toBeInTheDocument();
  expect(row.getByText("£42.00")).toBeInTheDocument();
  expect(row.getByRole("link", { name: "PDF of DEMO-0001" })).toHaveAttribute("href", "https://pay.stripe.com/invoice/acct_1/test_DEMO0001/pdf");
  cleanup();

  const fake = setup(bx.proSubscription(), "staff");
  open(fake);
  expect(await screen.findByText(/Only an owner of the business can change the plan or the payment method/)).toBeInTheDocument();
  expect(screen.queryByRole("region", { name: "Invoices" })).not.toBeInTheDocument();
  expect(fake.callsTo("GET /billing/invoices")).toHaveLength(0);
});

test("no invoices yet: said so", async () => {
  open(setup(bx.subscription(), "owner", { "GET /billing/invoices": { body: { items: [], next_cursor: null } } }));
  expect(await screen.findByText("No invoices yet. Stripe issues the first when you subscribe.")).toBeInTheDocument();
});

test("back from Checkout: waits for the webhook, then says the plan is active", async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  try {
    let paid = false;
    const fake = setup(bx.subscription(), "owner", {
      "GET /billing/subscription": () => ({ body: paid ? bx.proSubscription() : bx.subscription() }),
    });
    open(fake, "/settings/billing?checkout=success");
    expect(await screen.findByText("Thank you! We're confirming your payment…")).toBeInTheDocument();
    paid = true;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(CHECKOUT_POLL_MS + 10);
    });
    expect(await screen.findByText("Thank you! Your subscription is active.")).toBeInTheDocument();
    expect(screen.getByText("You are on the Pro plan.")).toBeInTheDocument();
    expect(fake.callsTo("GET /billing/subscription").length).toBeGreaterThanOrEqual(2);
    // The plan shown everywhere else (the top bar) is read again.
    await waitFor(() => expect(fake.callsTo("GET /auth/me").length).toBeGreaterThanOrEqual(2));
  } finally {
    vi.useRealTimers();
  }
});

test("subscribed during the trial: the trial goes on, the first payment is announced, no plan to choose", async () => {
  open(setup(bx.trialSubscription()), "/settings/billing?checkout=success");
  expect(await screen.findByText("Thank you! You're subscribed to Pro.")).toBeInTheDocument();
  const card = subscriptionCard();
  expect(card.getByText("Trial", { selector: ".badge" })).toBeInTheDocument();
  expect(card.getByText("Your card is on file. The first payment of £42.00 is taken on Dec 16, 2026, when the free trial ends.")).toBeInTheDocument();
  expect(card.queryByRole("link", { name: "Upgrade" })).not.toBeInTheDocument();
  expect(card.getByRole("button", { name: "Manage billing" })).toBeInTheDocument();
});

test("a cancelled Checkout changes nothing and leads back to the plans", async () => {
  open(setup(bx.subscription()), "/settings/billing?checkout=cancelled");
  expect(await screen.findByText("Checkout was cancelled.")).toBeInTheDocument();
  expect(screen.getByText("Nothing was charged and your plan is unchanged.")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Back to the plans" })).toHaveAttribute("href", "/settings/plans");
});

test("past due, suspended by billing or by the operator, cancelling at period end", async () => {
  open(setup(bx.proSubscription({ status: "past_due", past_due_since: "2026-11-28T09:00:00+00:00" })));
  expect(await screen.findByText("Your last payment failed.")).toBeInTheDocument();
  expect(screen.getByText(/Overdue since Nov 28, 2026/)).toBeInTheDocument();
  cleanup();

  open(setup(bx.proSubscription({ status: "suspended", suspended_by: "operator", suspended_reason: "Chargeback under review" })));
  expect(await screen.findByText(/Suspended by our team: Chargeback under review/)).toBeInTheDocument();
  cleanup();

  open(setup(bx.proSubscription({ cancel_at_period_end: true })));
  expect(await screen.findByText("Your subscription ends on Jan 2, 2027 and will not renew.")).toBeInTheDocument();
});
