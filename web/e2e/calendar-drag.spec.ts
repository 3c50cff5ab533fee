// Journey 2: the owner drags an appointment on the day view to another person at another time (it
// moves, on screen and on the server), then onto a time that person already has booked: the server
// refuses, the appointment goes back where it was, and the reason is shown.
import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { at, setUpBusiness, STAFF_NAMES } from "./support/business";

// Tall enough that 08:00 to 14:00 of the grid (scrolled to 08:00) is on screen without scrolling.
test.use({ viewport: { width: 1280, height: 1100 } });

const DAY_MINUTES = 24 * 60;
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error("not on screen");
  return found;
}

/** Where a time of day is in a staff member's column (the column spans the whole day). */
async function yOf(column: Locator, time: string): Promise<number> {
  const b = await box(column);
  return b.y + (minutesOf(time) / DAY_MINUTES) * b.height;
}

/** The event is in that column, with its top at that time (to the pixel, give or take rounding). */
async function expectAt(event: Locator, column: Locator, time: string) {
  await expect(async () => {
    const e = await box(event);
    const c = await box(column);
    expect(e.x + e.width / 2).toBeGreaterThan(c.x);
    expect(e.x + e.width / 2).toBeLessThan(c.x + c.width);
    expect(Math.abs(e.y - (await yOf(column, time)))).toBeLessThan(3);
  }).toPass({ timeout: 5_000 });
}

/** Press on the event near its top, move in steps to `time` in `column`, release. */
async function drag(page: Page, event: Locator, column: Locator, time: string) {
  const e = await box(event);
  const c = await box(column);
  const grab = 8;
  const visible = await box(page.locator(".rbc-time-content"));
  const y = (await yOf(column, time)) + grab;
  expect(y, `${time} must be on screen to drop there`).toBeLessThan(visible.y + visible.height);
  await page.mouse.move(e.x + e.width / 2, e.y + grab);
  await page.mouse.down();
  await page.mouse.move(e.x + e.width / 2 + 10, e.y + grab + 10, { steps: 3 });
  await page.mouse.move(c.x + c.width / 2, y, { steps: 15 });
  await page.mouse.up();
}

test("drag an appointment to another person and time; a refused drop goes back", async ({ page, request }) => {
  const shot = (name: string) => page.screenshot({ path: `test-results/j2-${name}.png`, fullPage: true });
  const business = await setUpBusiness(request, [
    { customer: "Ann Appleby", staff: 0, time: "10:00" },
    { customer: "Ben Baker", staff: 1, time: "11:00" },
  ]);
  const [a, b] = business.appointments;
  const [alex, bea] = business.staff;
  if (!a || !b || !alex || !bea) throw new Error("the business was not set up");

  await business.login(page, `/calendar?view=day&date=${business.day}`);
  const columns = page.locator(".rbc-time-content .rbc-day-slot");
  const alexColumn = columns.nth(0);
  const beaColumn = columns.nth(1);
  const eventA = page.locator(".rbc-event", { hasText: a.customer });
  const eventB = page.locator(".rbc-event", { hasText: b.customer });

  await test.step("the day view: a column per person, each appointment at its time", async () => {
    await expect(page.locator(".rbc-time-header .rbc-row-resource .rbc-header")).toHaveText([...STAFF_NAMES]);
    await expect(columns).toHaveCount(2);
    await expect(eventA).toContainText("10:00");
    await expectAt(eventA, alexColumn, "10:00");
    await expectAt(eventB, beaColumn, "11:00");
    await shot("before");
  });

  await test.step("drag A to the other person at a free time: it moves", async () => {
    await drag(page, eventA, beaColumn, "13:00");
    await expect(page.getByText(/Moved to .*13:00 with Bea Brown/)).toBeVisible();
    await expectAt(eventA, beaColumn, "13:00");
    await expect(eventA).toContainText("13:00");
    await expect.poll(async () => {
      const now = await business.appointment(a.id);
      return { staff: now.staff_id, start: Date.parse(now.start_at) };
    }).toEqual({ staff: bea.id, start: Date.parse(at(business.day, "13:00")) });
    await shot("moved");
  });

  await test.step("drag it onto the other appointment: refused, put back, the reason shown", async () => {
    await drag(page, eventA, beaColumn, "11:00");
    const refusal = page.getByRole("alert").filter({ hasText: "The appointment was not moved." });
    await expect(refusal).toBeVisible();
    // The server's own words, not just the title.
    await expect(refusal).toContainText(/booked|taken|overlap|conflict|not free|available/i);
    await expectAt(eventA, beaColumn, "13:00");
    await expectAt(eventB, beaColumn, "11:00");
    const now = await business.appointment(a.id);
    expect(now.staff_id).toBe(bea.id);
    expect(Date.parse(now.start_at)).toBe(Date.parse(at(business.day, "13:00")));
    await shot("refused");
  });
});
