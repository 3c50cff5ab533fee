// Journey 3: a customer books on the public page, opens the manage link from the confirmation, moves
// the booking to another time (the picker opens at the booking's own date), then cancels it (after
// confirming). The business's side of the API sees the new time, then the cancellation.
import type { components } from "../src/lib/api-schema";
import { expect, test } from "./fixtures";
import { chooseDay, dayWords, slotAt } from "./support/booking-page";
import { at, nextWeekday, SERVICE, setUpBusiness } from "./support/business";

test("a customer books, then reschedules and cancels through the manage link", async ({ page, request }) => {
  const shot = (name: string) => page.screenshot({ path: `test-results/j3-${name}.png`, fullPage: true });
  const business = await setUpBusiness(request);
  // Two weekdays ahead: neither today nor the first day with free times, so opening there is a choice.
  const day = nextWeekday(business.day);
  const first = at(day, "14:00");
  const second = at(day, "15:30");

  const booked = await test.step("book on the public page", async () => {
    await page.goto(`/book/${business.slug}`);
    await expect(page.getByRole("heading", { name: business.name })).toBeVisible();
    await page.getByRole("radio", { name: new RegExp(SERVICE.name) }).check();
    await chooseDay(page, day);
    const slot = await slotAt(page, first);
    await expect(slot).toHaveText("14:00");
    await slot.click();
    await page.getByLabel("Your name").fill("Cara Customer");
    await page.getByLabel("E-mail").fill(`cara-${Date.now().toString(36)}@example.test`);
    await page.getByRole("checkbox", { name: /booking terms/ }).check();
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith(`/public/${business.slug}/bookings`));
    await page.getByRole("button", { name: "Book now" }).click();
    const body = (await (await answer).json()) as components["schemas"]["Booked"];
    await expect(page.getByRole("heading", { name: "You're booked" })).toBeVisible();
    await shot("booked");
    return body;
  });

  await test.step("open the manage link from the confirmation", async () => {
    const link = page.getByRole("link", { name: "Manage this booking" });
    expect(new URL(booked.manage_url).pathname).toBe("/manage-booking");
    await expect(link).toHaveAttribute("href", /\/manage-booking\?token=/);
    await link.click();
    await expect(page.getByRole("heading", { name: "Your booking" })).toBeVisible();
    await expect(page.locator(".fact", { hasText: "When" })).toContainText("14:00");
  });

  await test.step("reschedule: the picker opens at the booking's date", async () => {
    await page.getByRole("button", { name: "Change the time" }).click();
    const days = page.getByRole("group", { name: "Days" });
    await expect(days.getByRole("button", { pressed: true })).toHaveAccessibleName(new RegExp(`^${dayWords(day)}`));
    await expect(await slotAt(page, first)).toHaveAccessibleName(/Your current time/);
    const later = await slotAt(page, second);
    await later.click();
    await expect(page.getByText(/New time: .*15:30/)).toBeVisible();
    await shot("reschedule");
    await page.getByRole("button", { name: "Move my booking" }).click();
    await expect(page.getByText(/Your booking is moved to .*15:30/)).toBeVisible();
    await expect(page.locator(".fact", { hasText: "When" })).toContainText("15:30");
    const now = await business.appointment(booked.appointment.id);
    expect(Date.parse(now.start_at)).toBe(Date.parse(second));
    expect(now.status).toBe("confirmed");
  });

  await test.step("cancel, after confirming", async () => {
    await page.getByRole("button", { name: "Cancel the booking" }).click();
    await expect(page.getByRole("heading", { name: "Cancel this booking?" })).toBeVisible();
    await page.getByLabel(/Reason/).fill("Something came up");
    await page.getByRole("button", { name: "Yes, cancel it" }).click();
    await expect(page.getByText("Your booking is cancelled.")).toBeVisible();
    await expect(page.getByText("This booking is cancelled.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Change the time" })).toHaveCount(0);
    await shot("cancelled");
    const now = await business.appointment(booked.appointment.id);
    expect(now.status).toBe("cancelled");
    expect(now.cancelled_by).toBe("customer");
    expect(now.cancel_reason).toBe("Something came up");
    expect(Date.parse(now.start_at)).toBe(Date.parse(second));
  });
});
