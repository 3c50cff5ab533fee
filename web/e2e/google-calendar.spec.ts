// Journey: an owner who also takes bookings connects their Google Calendar. From their account page
// they go to Google's consent page (the offline twin: python -m chalicelib.integrations.
// google_twin_server); declining brings them back told so, allowing brings them back connected. An
// event they add in their Google Calendar becomes a grey busy block on the calendar grid after "Sync
// now"; the staff list shows the connection; they disconnect, and the busy block goes.
import type { components } from "../src/lib/api-schema";
import { expect, test } from "./fixtures";
import { E2E } from "./ports";
import { apiCaller, setUpBusiness, STAFF_NAMES } from "./support/business";

type Schemas = components["schemas"];

const GOOGLE_EMAIL = "alex.archer@gmail.test";

test("connect Google Calendar from the account page, see a Google event block time, then disconnect", async ({ page, request }) => {
  const shot = (name: string) => page.screenshot({ path: `test-results/google-${name}.png`, fullPage: true });
  const business = await setUpBusiness(request);
  const [alex] = business.staff;
  if (!alex) throw new Error("the business was not set up");

  // The owner takes bookings too: their login is linked to Alex Archer's staff profile.
  const call = apiCaller(request, () => business.owner.accessToken);
  const me = await call<Schemas["Me"]>("GET", "/auth/me");
  const link: Schemas["StaffUpdate"] = { user_id: me.user.id };
  await call("PATCH", `/staff/${alex.id}`, link);

  const card = page.getByRole("region", { name: "Google Calendar" });

  await test.step("not connected yet: the account page offers to connect; declining on Google's page is said", async () => {
    await business.login(page, "/account");
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await expect(card.getByText("Not connected", { exact: true })).toBeVisible();
    await shot("not-connected");
    await card.getByRole("button", { name: "Connect Google Calendar" }).click();
    await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${E2E.google}/o/oauth2/auth\\?`));
    await page.getByRole("button", { name: "Deny" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(card.getByRole("alert")).toContainText("You declined on Google's page, so nothing was connected.");
    await expect(card.getByText("Not connected", { exact: true })).toBeVisible();
    await card.getByRole("button", { name: "Connect Google Calendar" }).click();
  });

  await test.step("allow access on Google's consent page", async () => {
    await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${E2E.google}/o/oauth2/auth\\?`));
    await expect(page.getByRole("heading", { name: "Sign in with Google" })).toBeVisible();
    await page.getByLabel("Account e-mail").fill(GOOGLE_EMAIL);
    await shot("consent");
    await page.getByRole("button", { name: "Allow" }).click();
  });

  await test.step("back on the account page: connected, the query string cleaned", async () => {
    await expect(page).toHaveURL(/\/account$/);
    await expect(card.getByText("Google Calendar is connected.")).toBeVisible();
    await expect(card.getByText("Connected", { exact: true })).toBeVisible();
    await expect(card.getByText(GOOGLE_EMAIL)).toBeVisible();
    await expect(card.getByText(/^Synced /)).toBeVisible({ timeout: 30_000 });
    await shot("connected");
  });

  await test.step("an event added in Google Calendar blocks that time after Sync now", async () => {
    await page.goto(`http://127.0.0.1:${E2E.google}/`);
    await page.getByLabel("Account", { exact: true }).fill(GOOGLE_EMAIL);
    await page.getByLabel("Title", { exact: true }).fill("Dentist");
    await page.getByLabel("Start", { exact: true }).fill(`${business.day}T12:00`);
    await page.getByLabel("End", { exact: true }).fill(`${business.day}T13:00`);
    await page.getByLabel("Time zone", { exact: true }).fill("Europe/London");
    await page.getByRole("button", { name: "Add" }).click();
    await expect(page.getByRole("cell", { name: "Dentist" })).toBeVisible();

    await page.goto("/account");
    await card.getByRole("button", { name: "Sync now" }).click();
    await expect(card.getByText("1 busy time blocking bookings")).toBeVisible();

    await page.goto(`/calendar?view=day&date=${business.day}`);
    const alexColumn = page.locator(".rbc-time-content .rbc-day-slot").nth(STAFF_NAMES.indexOf("Alex Archer"));
    const block = alexColumn.getByRole("img", { name: "Busy (Google), 12:00–13:00, Alex Archer" });
    await expect(block).toBeVisible();
    // Drawn over 12:00 to 13:00 of Alex's column (the column spans the whole day).
    await expect(async () => {
      const b = await block.boundingBox();
      const c = await alexColumn.boundingBox();
      if (!b || !c) throw new Error("not on screen");
      expect(Math.abs(b.y - (c.y + (12 / 24) * c.height))).toBeLessThan(3);
      expect(Math.abs(b.height - c.height / 24)).toBeLessThan(3);
    }).toPass({ timeout: 5_000 });
    await expect(page.getByRole("list", { name: "Shading" }).getByText("Busy (Google)")).toBeVisible();
    await shot("busy-block");
  });

  await test.step("the staff list shows the connection", async () => {
    await page.goto("/staff");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Alex Archer" }) });
    await expect(row.getByText("Connected", { exact: true })).toBeVisible();
    await expect(row.getByText(GOOGLE_EMAIL)).toBeVisible();
    await shot("staff");
  });

  await test.step("disconnect, after a confirmation: not connected, and the busy block is gone", async () => {
    await page.goto("/account");
    await card.getByRole("button", { name: "Disconnect" }).click();
    const dialog = page.getByRole("dialog", { name: "Disconnect Google Calendar?" });
    await expect(dialog).toContainText(GOOGLE_EMAIL);
    await dialog.getByRole("button", { name: "Disconnect" }).click();
    await expect(card.getByRole("button", { name: "Connect Google Calendar" })).toBeVisible();
    await expect(card.getByText("Not connected", { exact: true })).toBeVisible();
    await shot("disconnected");

    await page.goto(`/calendar?view=day&date=${business.day}`);
    await expect(page.locator(".rbc-time-content .rbc-day-slot")).toHaveCount(STAFF_NAMES.length);
    await expect(page.getByRole("img", { name: /^Busy \(Google\)/ })).toHaveCount(0);
  });
});
