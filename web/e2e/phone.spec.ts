// Journey 4: a phone (390×844). A customer books on the public page (a service, a person, a day, a
// time, the form) with nothing wider than the screen; then the owner opens the calendar, which on a
// phone is one person's day as a list with a select to switch person, and sees that day's
// appointments of each person at their times, the customer's new one included.
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { chooseDay, slotAt } from "./support/booking-page";
import { at, SERVICE, setUpBusiness, STAFF_NAMES } from "./support/business";

const WIDTH = 390;
test.use({ viewport: { width: WIDTH, height: 844 } });

/** Nothing scrolls sideways, and every control shown is wholly on the screen. */
async function fitsTheScreen(page: Page, controls: Locator) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(WIDTH);
  for (const control of await controls.all()) {
    if (!(await control.isVisible())) continue;
    const b = await control.boundingBox();
    if (!b) continue;
    expect(b.x, `${await control.evaluate((e) => e.outerHTML.slice(0, 120))} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width, `${await control.evaluate((e) => e.outerHTML.slice(0, 120))} ends on screen`).toBeLessThanOrEqual(WIDTH);
  }
}

/** The agenda's rows as "HH:MM–HH:MM customer", in the order shown. */
async function agendaRows(page: Page, day: string) {
  const words = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
  const list = page.getByRole("list", { name: `Appointments on ${words}` });
  await expect(list).toBeVisible();
  return list.getByRole("listitem");
}

test("the booking page and the owner's agenda on a phone", async ({ page, request }) => {
  const shot = (name: string) => page.screenshot({ path: `test-results/j4-${name}.png`, fullPage: true });
  const business = await setUpBusiness(request, [
    { customer: "Ann Appleby", staff: 0, time: "10:00" },
    { customer: "Ben Baker", staff: 1, time: "11:00" },
    { customer: "Cleo Clark", staff: 1, time: "15:00" },
  ]);
  const controls = page.locator("main").locator("button, input, select, textarea, a, label");

  await test.step("the booking page: a service, a person, a day, a time", async () => {
    await page.goto(`/book/${business.slug}`);
    await expect(page.getByRole("heading", { name: business.name })).toBeVisible();
    await fitsTheScreen(page, controls);
    await page.getByRole("radio", { name: new RegExp(SERVICE.name) }).check();
    await page.getByRole("radio", { name: new RegExp(STAFF_NAMES[0]) }).check();
    await chooseDay(page, business.day);
    // Alex's 10:00 is taken; 13:00 is free.
    await expect(page.locator("[data-slot]").first()).toBeVisible();
    const taken = await page.locator("[data-slot]").evaluateAll((buttons) => buttons.map((b) => Date.parse(b.getAttribute("data-slot") ?? "")));
    expect(taken).not.toContain(Date.parse(at(business.day, "10:00")));
    const slot = await slotAt(page, at(business.day, "13:00"));
    await expect(slot).toHaveText("13:00");
    await fitsTheScreen(page, controls);
    await shot("book-times");
    await slot.click();
  });

  await test.step("the form fits, and books", async () => {
    const name = page.getByLabel("Your name");
    await expect(name).toBeVisible();
    await fitsTheScreen(page, controls);
    await name.fill("Dana Phone");
    await page.getByLabel("E-mail").fill(`dana-${Date.now().toString(36)}@example.test`);
    await page.getByRole("checkbox", { name: /booking terms/ }).check();
    await shot("book-form");
    await page.getByRole("button", { name: "Book now" }).click();
    await expect(page.getByRole("heading", { name: "You're booked" })).toBeVisible();
    await fitsTheScreen(page, controls);
    await shot("booked");
  });

  await test.step("the owner's agenda: one person's day, switchable", async () => {
    await business.login(page, `/calendar?date=${business.day}`);
    const whose = page.getByLabel("Whose calendar");
    await expect(whose).toHaveValue(business.staff[0]?.id ?? "");
    await expect(page.locator(".rbc-time-view")).toHaveCount(0);
    const alex = await agendaRows(page, business.day);
    await expect(alex).toHaveCount(2);
    await expect(alex.nth(0)).toContainText(/10:00\s*[–-]\s*10:45/);
    await expect(alex.nth(0)).toContainText("Ann Appleby");
    await expect(alex.nth(1)).toContainText(/13:00\s*[–-]\s*13:45/);
    await expect(alex.nth(1)).toContainText("Dana Phone");
    await fitsTheScreen(page, page.locator("main").locator("button, select, a"));
    await shot("agenda-alex");

    await whose.selectOption({ label: STAFF_NAMES[1] });
    await expect(page.getByRole("heading", { level: 2 })).toContainText(STAFF_NAMES[1]);
    const bea = await agendaRows(page, business.day);
    await expect(bea).toHaveCount(2);
    await expect(bea.nth(0)).toContainText(/11:00\s*[–-]\s*11:45/);
    await expect(bea.nth(0)).toContainText("Ben Baker");
    await expect(bea.nth(1)).toContainText(/15:00\s*[–-]\s*15:45/);
    await expect(bea.nth(1)).toContainText("Cleo Clark");
    await fitsTheScreen(page, page.locator("main").locator("button, select, a"));
    await shot("agenda-bea");
  });
});
