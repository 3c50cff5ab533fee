// The journeys' stack. The app must be served from 127.0.0.1:5173: the local stage's API allows
// that origin only (CORS) and writes its links (manage, reset) for it. So `make run` cannot run
// at the same time; the API and the local AWS use ports of their own. E2E_EXTERNAL=1 runs the
// journeys against servers already up (`make run`'s: API on 8000, local AWS on 9000).
const external = process.env.E2E_EXTERNAL === "1";
// Stripe's and Google's twins listen where the local stage's STRIPE_API_BASE and GOOGLE_*_BASE point
// (.chalice/config.json), for `make run` and the journeys alike: `chalice local` puts the stage's
// variables over the environment, so the API cannot be pointed elsewhere from here.
export const E2E = { web: 5173, api: external ? 8000 : 8100, aws: external ? 9000 : 9100, stripe: 9200, google: 9300, external } as const;
export const API = `http://127.0.0.1:${E2E.api}`;
