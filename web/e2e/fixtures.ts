// Every page reads /config.json for the API's address: the journeys point it at their own API.
import { test as base, expect, type BrowserContext } from "@playwright/test";
import { API, E2E } from "./ports";

export async function pointAtApi(context: BrowserContext): Promise<void> {
  await context.route("**/config.json", (route) =>
    route.fulfill({ json: { apiBaseUrl: API, mediaBaseUrl: `http://127.0.0.1:${E2E.aws}/booking-uploads-local` } }),
  );
}

export const test = base.extend({
  // The business's side is used from London, in British English.
  locale: "en-GB",
  timezoneId: "Europe/London",
  context: async ({ context }, use) => {
    await pointAtApi(context);
    await use(context);
  },
});

export { expect };
