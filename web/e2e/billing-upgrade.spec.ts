// Journey: a business on its free trial upgrades. The owner compares the plans, picks Pro, pays on
// the Stripe twin's Checkout page (offline: python -m chalicelib.integrations.stripe_twin_server),
// whose signed webhooks reach the API, and lands back on the billing page subscribed to Pro while
// the trial goes on (no trial banner left); when the trial ends (the twin's portal scenario), the
// first payment is taken and Pro is active with its invoice paid.
import { expect, test } from "./fixtures";
import { E2E } from "./ports";
import { setUpBusiness } from "./support/business";

test("upgrade from the trial through Checkout, back on the billing page with the plan, active once the trial ends", async ({ page, request }) => {
  const business = await setUpBusiness(request);
  const shot = (name: string) => page.screenshot({ path: `test-results/billing-${name}.png`, fullPage: true });

  await test.step("the trial banner leads to the plans", async () => {
    await business.login(page, "/calendar");
    const banner = page.getByRole("region", { name: "Subscription" });
    await expect(banner.getByText(/Your free trial ends in 1[34] days\./)).toBeVisible();
    await banner.getByRole("link", { name: "Choose a plan" }).click();
    await expect(page).toHaveURL(/\/settings\/plans$/);
  });

  await test.step("compare the plans in the business's currency", async () => {
    const pro = page.getByRole("region", { name: "Pro" });
    await expect(pro.getByText("£42.00")).toBeVisible();
    await expect(pro.getByText("10 staff members")).toBeVisible();
    await expect(page.getByRole("region", { name: "Basic" }).getByText("£17.00")).toBeVisible();
    await shot("plans");
    // On a phone the plans stack, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(pro.getByRole("button", { name: "Subscribe to Pro" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot("plans-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    await pro.getByRole("button", { name: "Subscribe to Pro" }).click();
  });

  await test.step("pay on the twin's Checkout page", async () => {
    await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${E2E.stripe}/`));
    await expect(page.getByRole("heading", { name: "Subscribe" })).toBeVisible();
    await expect(page.getByText(/42\.00 GBP/).first()).toBeVisible();
    await shot("checkout");
    await page.getByRole("button", { name: "Pay" }).click();
  });

  await test.step("back on the billing page: subscribed to Pro, the free trial going on", async () => {
    await expect(page).toHaveURL(/\/settings\/billing\?checkout=success$/);
    await expect(page.getByText("Thank you! You're subscribed to Pro.")).toBeVisible({ timeout: 30_000 });
    const subscription = page.getByRole("region", { name: "Subscription" });
    await expect(subscription.getByText("Pro", { exact: true })).toBeVisible();
    await expect(subscription.getByText("£42.00 a month")).toBeVisible();
    await expect(subscription.getByText(/The first payment of £42\.00 is taken on/)).toBeVisible();
    await shot("billing");
  });

  await test.step("no trial banner any more; the portal opens from Manage billing", async () => {
    await page.goto("/calendar");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Subscription" })).toHaveCount(0);
    await page.goto("/settings/billing");
    await page.getByRole("button", { name: "Manage billing" }).click();
    await expect(page.getByRole("heading", { name: "Your subscription" })).toBeVisible();
    await shot("portal");
  });

  await test.step("the trial ends (the twin's scenario): the first payment is taken and Pro is active", async () => {
    await page.getByRole("button", { name: "End the period now" }).click();
    await expect(page.getByRole("heading", { name: "Your subscription" })).toBeVisible();
    await page.getByRole("link", { name: "Back to the app" }).click();
    await expect(page).toHaveURL(/\/settings\/billing$/);
    const subscription = page.getByRole("region", { name: "Subscription" });
    await expect(subscription.getByText("Active", { exact: true })).toBeVisible();
    await expect(subscription.getByText("Pro", { exact: true })).toBeVisible();
    const paid = page.getByRole("region", { name: "Invoices" }).getByRole("row").filter({ hasText: "£42.00" });
    await expect(paid.getByText("Paid")).toBeVisible();
    await shot("active");
  });
});
