// Every page reads /config.json for the API's address: the journeys point it at their own API.
import { test as base, expect } from "@playwright/test";
import { API, E2E } from "./ports";

export const test = base.extend({
  context: async ({ context }, use) => {
    await context.route("**/config.json", (route) =>
      route.fulfill({ json: { apiBaseUrl: API, mediaBaseUrl: `http://127.0.0.1:${E2E.aws}/booking-uploads-local` } }),
    );
    await use(context);
  },
});

export { expect };
