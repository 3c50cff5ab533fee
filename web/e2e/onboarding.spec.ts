// Journey 1: a new owner signs up, follows the checklist (a location, a service, a staff member with
// hours), opens the booking link, books as a customer in German from New York, and sees the booking
// on the calendar at the right London time.
import { expect, pointAtApi, test } from "./fixtures";

test("sign up, set up, get booked from abroad, see it on the calendar", async ({ browser, page }) => {
  const stamp = Date.now().toString(36);
  const shot = (name: string) => page.screenshot({ path: `test-results/j1-${name}.png`, fullPage: true });

  await test.step("sign up", async () => {
    await page.goto("/signup");
    await page.getByLabel("Business name").fill(`Salon ${stamp}`);
    await page.getByLabel("Time zone").selectOption("Europe/London");
    await page.getByLabel("Your name").fill("Olivia Owner");
    await page.getByLabel("E-mail").fill(`owner-${stamp}@example.test`);
    await page.getByLabel("Password", { exact: true }).fill("a long enough password 2026");
    await page.getByRole("button", { name: /start|create|sign up/i }).click();
    await expect(page).toHaveURL(/\/getting-started/);
    await expect(page.getByText("0 of 5")).toBeVisible();
  });

  await test.step("a location with opening hours", async () => {
    await page.getByRole("link", { name: "Add a location" }).click();
    await page.getByLabel("Name").fill("High Street");
    await page.getByLabel("Time zone").selectOption("Europe/London");
    await page.getByRole("radio", { name: /On the days and times below/ }).check();
    await shot("location");
    await page.getByRole("button", { name: "Add location" }).click();
    await expect(page.getByText("High Street").first()).toBeVisible();
  });

  await test.step("a service", async () => {
    await page.goto("/getting-started");
    await page.getByRole("link", { name: "Add a service" }).click();
    await page.getByLabel("Name").fill("Haircut");
    await page.getByLabel("Duration (minutes)").fill("45");
    await page.getByLabel(/^Price/).fill("35");
    await page.getByRole("button", { name: /Add service|Create service|Save/ }).click();
    await expect(page.getByRole("link", { name: "Haircut" })).toBeVisible();
  });

  await test.step("a staff member with working hours, who performs the service", async () => {
    await page.goto("/getting-started");
    await page.getByRole("link", { name: "Add a staff member" }).click();
    await page.getByLabel("Name").fill("Sam Stylist");
    await shot("staff-new");
    await page.getByRole("form", { name: "New staff member" }).getByRole("button", { name: "Add staff member" }).click();
    await expect(page.getByRole("heading", { name: "Sam Stylist" })).toBeVisible();
    for (const day of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
      await page.getByRole("button", { name: `Add hours on ${day}` }).click();
    }
    await page.getByRole("button", { name: "Save working hours" }).click();
    await expect(page.getByText(/saved/i).first()).toBeVisible();
    await shot("staff-hours");
    await page.getByRole("checkbox", { name: "Haircut" }).check();
    await page.getByRole("button", { name: "Save services" }).click();
    await expect(page.getByText("Services saved.")).toBeVisible();
  });

  const bookingUrl = await test.step("the checklist's last steps: settings kept, the booking link", async () => {
    await page.goto("/getting-started");
    await page.getByRole("button", { name: "They look right" }).click();
    await expect(page.getByText("4 of 5")).toBeVisible();
    await shot("checklist");
    const link = await page.getByRole("link", { name: /\/book\// }).first().getAttribute("href");
    expect(link).toMatch(/\/book\/salon-/);
    return new URL(link ?? "", page.url()).pathname;
  });

  const booked = await test.step("a customer in New York books in German", async () => {
    const customer = await browser.newContext({ locale: "de-DE", timezoneId: "America/New_York" });
    await pointAtApi(customer);
    const shop = await customer.newPage();
    await shop.goto(bookingUrl);
    await expect(shop.getByRole("heading", { name: `Salon ${stamp}` })).toBeVisible();
    await shop.getByRole("radio", { name: /Haircut/ }).check();
    await expect(shop.getByLabel("Zeitzone")).toHaveValue("America/New_York");
    const slot = shop.locator("[data-slot]").first();
    const startAt = (await slot.getAttribute("data-slot")) ?? "";
    const shownInNewYork = (await slot.innerText()).trim();
    await slot.click();
    await shop.getByLabel("Ihr Name").fill("Nora Kunde");
    await shop.getByLabel("E-Mail").fill(`nora-${stamp}@example.test`);
    await shop.getByRole("checkbox", { name: /Buchungsbedingungen/ }).check();
    await shop.screenshot({ path: "test-results/j1-booking-de.png", fullPage: true });
    await shop.getByRole("button", { name: "Jetzt buchen" }).click();
    await expect(shop.getByRole("link", { name: /Google/ })).toBeVisible();
    await shop.screenshot({ path: "test-results/j1-booked-de.png", fullPage: true });
    await customer.close();
    return { startAt, shownInNewYork };
  });

  await test.step("the owner sees it on the calendar at the London time", async () => {
    const london = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" }).format(new Date(booked.startAt));
    const newYork = new Intl.DateTimeFormat("de-DE", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit" }).format(new Date(booked.startAt));
    expect(booked.shownInNewYork).toContain(newYork);
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(booked.startAt));
    await page.goto(`/calendar?view=day&date=${day}`);
    const event = page.locator(".rbc-event", { hasText: "Nora Kunde" });
    await expect(event).toBeVisible();
    await expect(event).toContainText(london);
    await shot("calendar");
  });
});
