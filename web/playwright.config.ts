// The journeys in Chromium against the real stack: the API (`chalice local`) on the embedded
// PostgreSQL, and the built app (`vite preview`). Debian's chromium is used through
// executablePath: Playwright's own browser download needs the internet.
import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/ports";

// The API's data lives apart from `make run`'s (.local), and starts empty each run; the servers' logs
// go to test-results/stack-{api,moto,stripe,google}.log.
export const STACK_DIR = `${process.cwd()}/test-results/stack`;
const STACK = `LOCAL_DIR=${STACK_DIR} AWS_ENDPOINT_URL=http://127.0.0.1:${E2E.aws} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=eu-west-1`;
// Google's consent page sends the browser back to this stack's API, and its calendars push to it.
const GOOGLE_BACK = `GOOGLE_REDIRECT_URI=http://127.0.0.1:${E2E.api}/calendar/google/callback GOOGLE_PUSH_ADDRESS=http://127.0.0.1:${E2E.api}/calendar/google/notifications`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/artifacts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E.web}`,
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: E2E.external ? [] : [
    {
      command: `mkdir -p ${STACK_DIR} && cd .. && ${STACK} .venv/bin/moto_server -H 127.0.0.1 -p ${E2E.aws} 2>>${STACK_DIR}-moto.log`,
      url: `http://127.0.0.1:${E2E.aws}/moto-api/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `rm -rf ${STACK_DIR} && mkdir -p ${STACK_DIR} && cd .. && ${STACK} .venv/bin/python -m chalicelib.core.migrations && ${STACK} .venv/bin/python -m chalicelib.system.local_bucket && ${STACK} ${GOOGLE_BACK} .venv/bin/chalice local --no-autoreload --stage local --host 127.0.0.1 --port ${E2E.api} 2>>${STACK_DIR}-api.log`,
      url: `http://127.0.0.1:${E2E.api}/system/version`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
    {
      // Stripe's offline twin on the local stage's STRIPE_API_BASE port: its Checkout and portal
      // pages post signed webhooks to this stack's API.
      command: `cd .. && STRIPE_TWIN_WEBHOOK_URL=http://127.0.0.1:${E2E.api}/billing/webhook .venv/bin/python -m chalicelib.integrations.stripe_twin_server >>${STACK_DIR}-stripe.log 2>&1`,
      port: E2E.stripe,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // Google's offline twin on the local stage's GOOGLE_*_BASE port: its consent page sends the
      // browser back to the API's callback with a code, and it keeps the calendars the API syncs.
      command: `cd .. && ${GOOGLE_BACK} .venv/bin/python -m chalicelib.integrations.google_twin_server >>${STACK_DIR}-google.log 2>&1`,
      port: E2E.google,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite preview --host 127.0.0.1 --port ${E2E.web} --strictPort`,
      url: `http://127.0.0.1:${E2E.web}/config.json`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
