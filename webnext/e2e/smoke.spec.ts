import { expect, test } from "./fixtures";
import { API } from "./ports";

test("the app starts and reaches its API", async ({ page, request }) => {
  expect((await request.get(`${API}/system/version`)).ok()).toBe(true);
  await page.goto("/login");
  await expect(page.locator("#root")).not.toBeEmpty();
});
