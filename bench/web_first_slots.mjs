// Time to first slots on the public booking page, in Chromium against `make run`: from navigation
// start until the first bookable time is on screen, for a first visit (empty cache) and a repeat
// visit. The page is driven as a customer would: the first service, "anyone available".
//
//   make run   (in another terminal), then:   node bench/web_first_slots.mjs [http://127.0.0.1:5173/book/demo-salon]
import { createRequire } from "node:module";

const require = createRequire(new URL("../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const URL_ = process.argv[2] ?? "http://127.0.0.1:5173/book/demo-salon";
const RUNS = 5;
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

async function once(context) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(URL_);
  await page.getByRole("button", { name: /choose|wählen|choisir|elegir/i }).first().click();
  const servicePicked = Date.now();
  await page.locator("[data-slot]").first().waitFor({ state: "visible", timeout: 30_000 });
  const shown = Date.now();
  const navigationStart = await page.evaluate(() => performance.timeOrigin);
  await page.close();
  return { total: shown - navigationStart, afterChoice: shown - servicePicked, wall: shown - started };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
try {
  const cold = [];
  for (let i = 0; i < RUNS; i += 1) {
    const context = await browser.newContext();
    cold.push(await once(context));
    await context.close();
  }
  const context = await browser.newContext();
  await once(context);
  const warm = [];
  for (let i = 0; i < RUNS; i += 1) warm.push(await once(context));
  await context.close();
  for (const [label, runs] of [["first visit", cold], ["repeat visit", warm]]) {
    console.log(
      `${label}: first slots ${median(runs.map((r) => r.total))} ms from navigation ` +
        `(${median(runs.map((r) => r.afterChoice))} ms after choosing the service), median of ${RUNS}`,
    );
  }
} finally {
  await browser.close();
}
