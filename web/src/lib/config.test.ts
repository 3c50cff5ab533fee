import { loadConfig } from "./config";

const serve = (body: unknown, status = 200) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

it("reads the stage's API and uploads addresses from /config.json, without trailing slashes", async () => {
  await expect(loadConfig(serve({ apiBaseUrl: "https://api.example/api/", mediaBaseUrl: "https://app.example/media/" }))).resolves.toEqual({
    apiBaseUrl: "https://api.example/api",
    mediaBaseUrl: "https://app.example/media",
  });
});

it("refuses to start without an API address, or without the file", async () => {
  await expect(loadConfig(serve({ mediaBaseUrl: "x" }))).rejects.toThrow("config.json has no apiBaseUrl");
  await expect(loadConfig(serve({}, 404))).rejects.toThrow("config.json: HTTP 404");
});
