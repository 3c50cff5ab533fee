import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { DeadLettersScreen } from "./dead-letters-screen";

vi.setConfig({ testTimeout: 30_000 });

const SECOND = bx.deadLetter({ outbox_id: "7b3c4d5e-6f70-4a8b-9cad-1e2f3a4b5c6d", business_id: null, topic: "billing.trial_ending", redrives: 1, last_error: null });

function setup(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /admin/dead-letters": { body: { items: [bx.deadLetter(), SECOND], next_cursor: null } },
    "POST /admin/dead-letters/redrive": (req) => ({ body: { redriven: (req.body as { outbox_ids: string[] | null }).outbox_ids ?? [bx.deadLetter().outbox_id, SECOND.outbox_id] } }),
    ...extra,
  });
}

test("lists dead letters with their error and tenant; sends the chosen ones again", async () => {
  const user = userEvent.setup();
  const fake = setup();
  renderScreen(<DeadLettersScreen />, fake, { path: "/admin/dead-letters" });
  const row = within((await screen.findByText("appointment.confirmed")).closest("tr") as HTMLElement);
  expect(row.getByText("SES: MessageRejected: Email address is not verified.")).toBeInTheDocument();
  expect(row.getByRole("link", { name: "Open" })).toHaveAttribute("href", `/admin/tenants/${bx.TENANT_ID}`);
  expect(within((screen.getByText("billing.trial_ending")).closest("tr") as HTMLElement).getByText("(1 redriven)")).toBeInTheDocument();

  expect(screen.getByRole("button", { name: /chosen again/ })).toBeDisabled();
  await user.click(row.getByRole("checkbox"));
  await user.click(screen.getByRole("button", { name: "Send 1 chosen again" }));
  await waitFor(() => expect(fake.callsTo("POST /admin/dead-letters/redrive")).toHaveLength(1));
  expect(fake.callsTo("POST /admin/dead-letters/redrive")[0]?.body).toEqual({ outbox_ids: [bx.deadLetter().outbox_id] });
  expect(await screen.findByText("1 notification sent again.")).toBeInTheDocument();
  expect(fake.callsTo("GET /admin/dead-letters").length).toBeGreaterThanOrEqual(2);
});

test("every one waiting, after a confirmation, sends null", async () => {
  const user = userEvent.setup();
  const fake = setup();
  renderScreen(<DeadLettersScreen />, fake, { path: "/admin/dead-letters" });
  await user.click(await screen.findByRole("button", { name: "Send every one waiting again" }));
  await user.click(within(screen.getByRole("dialog", { name: "Send every dead letter again?" })).getByRole("button", { name: "Send them all" }));
  await waitFor(() => expect(fake.callsTo("POST /admin/dead-letters/redrive")).toHaveLength(1));
  expect(fake.callsTo("POST /admin/dead-letters/redrive")[0]?.body).toEqual({ outbox_ids: null });
  expect(await screen.findByText("2 notifications sent again.")).toBeInTheDocument();
});

test("none waiting: said so", async () => {
  renderScreen(<DeadLettersScreen />, setup({ "GET /admin/dead-letters": { body: { items: [], next_cursor: null } } }), { path: "/admin/dead-letters" });
  expect(await screen.findByText("No dead letters.")).toBeInTheDocument();
});
