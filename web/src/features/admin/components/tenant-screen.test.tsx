import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi, invalid } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { TenantScreen } from "./tenant-screen";

vi.setConfig({ testTimeout: 30_000 });

function setup(extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    "GET /auth/me": { body: fx.me() },
    "GET /admin/tenants/{business_id}": { body: bx.tenantDetail() },
    ...extra,
  });
}

const open = (fake: ReturnType<typeof setup>, id: string = bx.TENANT_ID) =>
  renderScreen(<TenantScreen />, fake, { path: `/admin/tenants/${id}`, route: "/admin/tenants/:businessId" });

test("shows the subscription, counts against limits, usage, what is in force and the operators' actions", async () => {
  open(setup());
  expect(await screen.findByRole("heading", { name: "Demo Salon", level: 1 })).toBeInTheDocument();
  const sub = within(screen.getByRole("region", { name: "Subscription" }));
  expect(sub.getByText("£42.00 a month")).toBeInTheDocument();
  expect(sub.getByText("sub_T0demo (active)")).toBeInTheDocument();
  const biz = within(screen.getByRole("region", { name: "Business" }));
  expect(biz.getByText("4 of 12 staff members")).toBeInTheDocument();
  expect(biz.getByText("Dana Demo <owner@demo-salon.test>")).toBeInTheDocument();
  expect(within(screen.getByRole("region", { name: "Usage this period" })).getByText("2,041 of 2,000")).toBeInTheDocument();
  expect(within(screen.getByRole("list", { name: "Features in force" })).getByText(/API access/).closest("li")).toHaveClass("is-out");
  const history = within(screen.getByRole("region", { name: "Operator actions" }));
  expect(history.getByText("Changed the overrides")).toBeInTheDocument();
  expect(history.getByText("Beta programme")).toBeInTheDocument();
});

test("suspending asks for the reason, sends it, and shows the tenant as the API answers", async () => {
  const user = userEvent.setup();
  const fake = setup({
    "POST /admin/tenants/{business_id}/suspend": (req) => ({
      body: bx.tenantDetail({
        status: "suspended",
        state: "suspended",
        subscription: { ...bx.tenantDetail().subscription!, state: "suspended", suspended_by: "operator", suspended_reason: (req.body as { reason: string }).reason },
      }),
    }),
  });
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Suspend" }));
  const dialog = within(screen.getByRole("dialog", { name: "Suspend Demo Salon" }));
  await user.click(dialog.getByRole("button", { name: "Suspend" }));
  expect(dialog.getByText("Say why: the reason is kept with the action.")).toBeInTheDocument();
  expect(fake.callsTo("POST /admin/tenants/{business_id}/suspend")).toHaveLength(0);
  await user.type(dialog.getByLabelText("Reason"), "Chargeback under review");
  await user.click(dialog.getByRole("button", { name: "Suspend" }));
  await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  expect(fake.callsTo("POST /admin/tenants/{business_id}/suspend")[0]).toMatchObject({ path: `/admin/tenants/${bx.TENANT_ID}/suspend`, body: { reason: "Chargeback under review" } });
  expect(await screen.findByText("Suspended by an operator.")).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Reactivate" })).toBeInTheDocument();
});

test("reactivating a tenant that is no longer suspended shows the API's refusal", async () => {
  const user = userEvent.setup();
  const fake = setup({
    "GET /admin/tenants/{business_id}": { body: bx.tenantDetail({ status: "suspended", state: "suspended" }) },
    "POST /admin/tenants/{business_id}/reactivate": fx.refusal(409, "not_suspended", "This tenant is not suspended."),
  });
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Reactivate" }));
  const dialog = within(screen.getByRole("dialog", { name: "Reactivate Demo Salon" }));
  await user.type(dialog.getByLabelText("Reason"), "Paid by bank transfer");
  await user.click(dialog.getByRole("button", { name: "Reactivate" }));
  expect(await dialog.findByText("This tenant is not suspended.")).toBeInTheDocument();
  expect(fake.callsTo("POST /admin/tenants/{business_id}/reactivate")[0]?.body).toEqual({ reason: "Paid by bank transfer" });
});

test("the overrides editor starts from the live overrides and sends the whole set with the reasons", async () => {
  const user = userEvent.setup();
  const fake = setup({ "PUT /admin/tenants/{business_id}/features": { body: bx.tenantDetail({ overrides: [] }) } });
  open(fake);
  const editor = within(await screen.findByRole("form", { name: "Overrides" }));
  // The ended waitlist override is history: not in the editor.
  expect(editor.getByRole("group", { name: "Override 1: Analytics" })).toBeInTheDocument();
  expect(editor.getByRole("group", { name: "Override 2: Staff members" })).toBeInTheDocument();
  expect(editor.queryByRole("group", { name: /Waitlist/ })).not.toBeInTheDocument();

  await user.click(editor.getByRole("button", { name: "Remove the override of Analytics" }));
  await user.click(editor.getByRole("button", { name: "Add an override" }));
  const added = within(editor.getByRole("group", { name: /^Override 2:/ }));
  await user.selectOptions(added.getByLabelText("Feature or limit"), "whatsapp");
  await user.selectOptions(added.getByLabelText("Value"), "false");
  await user.type(added.getByLabelText("Reason"), "Abuse report");
  const staff = within(editor.getByRole("group", { name: "Override 1: Staff members" }));
  await user.clear(staff.getByLabelText("Limit"));
  await user.type(staff.getByLabelText("Limit"), "15");
  await user.type(editor.getByLabelText("Why this change"), "Support ticket 4411");
  await user.click(editor.getByRole("button", { name: "Save overrides" }));

  await waitFor(() => expect(fake.callsTo("PUT /admin/tenants/{business_id}/features")).toHaveLength(1));
  expect(fake.callsTo("PUT /admin/tenants/{business_id}/features")[0]?.body).toEqual({
    reason: "Support ticket 4411",
    overrides: [
      { feature: "staff", value: 15, reason: "Seasonal staff", ends_at: null },
      { feature: "whatsapp", value: false, reason: "Abuse report", ends_at: null },
    ],
  });
  expect(await screen.findByText("No overrides: the plan decides everything.")).toBeInTheDocument();
});

test("an empty limit means no limit; the API's 422 lands on the row's field and clears once fixed", async () => {
  const user = userEvent.setup();
  const fake = setup({ "PUT /admin/tenants/{business_id}/features": invalid({ "overrides.0.ends_at": "Must be in the future" }) });
  open(fake);
  const editor = within(await screen.findByRole("form", { name: "Overrides" }));
  const staff = within(editor.getByRole("group", { name: "Override 2: Staff members" }));
  await user.clear(staff.getByLabelText("Limit"));
  await user.type(editor.getByLabelText("Why this change"), "Unlimited for the pilot");
  await user.click(editor.getByRole("button", { name: "Save overrides" }));
  await waitFor(() => expect(fake.callsTo("PUT /admin/tenants/{business_id}/features")).toHaveLength(1));
  const sent = fake.callsTo("PUT /admin/tenants/{business_id}/features")[0]?.body as { overrides: { feature: string; value: unknown; ends_at: string | null }[] };
  expect(sent.overrides[1]).toMatchObject({ feature: "staff", value: null });
  expect(sent.overrides[0]).toMatchObject({ feature: "analytics", value: true, ends_at: "2099-01-01T00:00:00.000Z" });
  const analytics = within(editor.getByRole("group", { name: "Override 1: Analytics" }));
  expect(await analytics.findByText("Must be in the future.")).toBeInTheDocument();
  await user.clear(analytics.getByLabelText(/Ends/));
  await waitFor(() => expect(analytics.queryByText("Must be in the future.")).not.toBeInTheDocument());
});

test("the overrides need a reason for the change before anything is sent", async () => {
  const user = userEvent.setup();
  const fake = setup();
  open(fake);
  const editor = within(await screen.findByRole("form", { name: "Overrides" }));
  await user.click(editor.getByRole("button", { name: "Save overrides" }));
  expect(await editor.findByText("Say why you change the overrides.")).toBeInTheDocument();
  expect(fake.callsTo("PUT /admin/tenants/{business_id}/features")).toHaveLength(0);
});

test("an unknown tenant says so", async () => {
  open(setup({ "GET /admin/tenants/{business_id}": fx.refusal(404, "not_found", "No such tenant.") }), "0f0f0f0f-0000-4000-8000-000000000000");
  expect(await screen.findByText("No such tenant.")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "All tenants" })).toHaveAttribute("href", "/admin");
});
