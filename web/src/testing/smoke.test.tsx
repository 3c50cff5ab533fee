import { useQuery } from "@tanstack/react-query";
import { screen } from "@testing-library/react";
import { unwrap } from "../lib/api-client";
import { useApi } from "../lib/api-context";
import { fakeApi } from "./fake-api";
import { renderScreen } from "./render";

function Names() {
  const api = useApi();
  const q = useQuery({ queryKey: ["services"], queryFn: () => unwrap(api.client.GET("/services", { params: { query: {} } })) });
  return <ul>{q.data?.items.map((s) => <li key={s.id}>{s.name}</li>)}</ul>;
}

test("a screen reads the fake API through the real client", async () => {
  const fake = fakeApi({ "GET /services": { body: { items: [{ id: "s1", name: "Cut" }], next_cursor: null } } });
  renderScreen(<Names />, fake);
  expect(await screen.findByText("Cut")).toBeInTheDocument();
  expect(fake.callsTo("GET /services")[0]?.headers.get("Authorization")).toBe("Bearer access");
});
