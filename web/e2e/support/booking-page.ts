// Reading the public booking page's time picker the way a customer sees it.
import { expect, type Page } from "@playwright/test";

/** "Friday 4 December": how the picker's day buttons name a date in en-GB (the start of their name). */
export function dayWords(day: string): string {
  return new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}

/** Choose a date in the picker's week strip. */
export async function chooseDay(page: Page, day: string): Promise<void> {
  await page.getByRole("group", { name: "Days" }).getByRole("button", { name: new RegExp(`^${dayWords(day)}`) }).click();
}

/** The time button offering exactly `instant` (its data-slot is the API's own spelling of it). */
export async function slotAt(page: Page, instant: string) {
  const times = page.locator("[data-slot]");
  await expect(times.first()).toBeVisible();
  const values = await times.evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-slot") ?? ""));
  const value = values.find((v) => Date.parse(v) === Date.parse(instant));
  expect(value, `a free time at ${instant} among ${values.join(", ")}`).toBeDefined();
  return page.locator(`[data-slot="${value}"]`);
}
