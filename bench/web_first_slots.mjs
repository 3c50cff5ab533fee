// Time to first slots on the public booking page, in Chromium against `make run`: from navigation
// start until the first bookable time is on screen, for a first visit (empty cache) and a repeat
// visit. The page is opened as a shared link to a service opens it (`?service=`, "anyone available"):
// it loads the app, the business and the availability, and shows the first day with free times.
//
//   make run   (in another terminal), then:   node bench/web_first_slots.mjs [http://127.0.0.1:5173/book/demo-salon]
import { createRequire } from "node:module";

const require = createRequire(new URL("../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const URL_ = process.argv[2] ?? "http://127.0.0.1:5173/book/demo-salon";
const RUNS = 5;
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The booking link of the business's first service, read the way the page reads it. */
async function serviceLink() {
  const page = new URL(URL_);
  const config = await (await fetch(new URL("/config.json", page))).json();
  const slug = page.pathname.split("/").pop();
  const business = await (await fetch(`${config.apiBaseUrl}/public/${slug}`)).json();
  return `${URL_}?service=${business.services[0].id}`;
}

/** Milliseconds from navigation start until the first time button is in the page, read in the page. */
async function once(context, link) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_changes, observer) => {
      if (document.querySelector("[data-slot]")) {
        window.__firstSlotAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(link);
  await page.locator("[data-slot]").first().waitFor({ state: "visible", timeout: 30_000 });
  const shown = await page.evaluate(() => window.__firstSlotAt);
  await page.close();
  return shown;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const link = await serviceLink();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ARGS });
try {
  const cold = [];
  for (let i = 0; i < RUNS; i += 1) {
    const context = await browser.newContext();
    cold.push(await once(context, link));
    await context.close();
  }
  const context = await browser.newContext();
  await once(context, link);
  const warm = [];
  for (let i = 0; i < RUNS; i += 1) warm.push(await once(context, link));
  await context.close();
  for (const [label, runs] of [["first visit (empty cache)", cold], ["repeat visit", warm]]) {
    console.log(`time to first slots, ${label}: ${Math.round(median(runs))} ms from navigation (median of ${RUNS}; ${link})`);
  }
} finally {
  await browser.close();
}
