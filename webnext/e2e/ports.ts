// The journeys' stack. The app must be served from 127.0.0.1:5173: the local stage's API allows
// that origin only (CORS) and writes its links (manage, reset) for it. So `make run` cannot run
// at the same time; the API and the local AWS use ports of their own.
export const E2E = { web: 5173, api: 8100, aws: 9100 } as const;
export const API = `http://127.0.0.1:${E2E.api}`;
