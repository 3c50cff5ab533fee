import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { vi } from "vitest";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import * as fx from "../../../testing/fixtures";
import { TeamScreen } from "./team";

vi.setConfig({ testTimeout: 30_000 });

const AMARA_USER = "7e1d2c3b-0000-4000-8000-000000000002";
const OLA_USER = "7e1d2c3b-0000-4000-8000-000000000003";
const amara = fx.member({ user_id: AMARA_USER, name: "Amara Okafor", email: "amara@demo-salon.test", role: "staff", email_verified: false });
const ola = fx.member({ user_id: OLA_USER, name: "Ola Berg", email: "ola@demo-salon.test", role: "admin" });
const invitation: Schemas["OpenInvitation"] = {
  id: "3c2b1a00-0000-4000-8000-000000000009",
  email: "sam@demo-salon.test",
  role: "staff",
  created_at: "2026-12-01T10:00:00+00:00",
  expires_at: "2026-12-08T10:00:00+00:00",
};

function setup(extra: Parameters<typeof fakeApi>[0] = {}, role: Schemas["Me"]["role"] = "owner") {
  return fakeApi({
    "GET /auth/me": { body: fx.me({ role }) },
    // Two pages: the second is read through next_cursor; invitations come with the first.
    "GET /business/users": (req) => ({
      body: req.query.get("cursor") === "page-2" ? fx.team([ola], [], null) : fx.team([fx.member(), amara], [invitation], "page-2"),
    }),
    ...extra,
  });
}

const open = (fake: ReturnType<typeof setup>) => renderScreen(<TeamScreen />, fake, { path: "/team" });
const rowOf = async (name: string) => (await screen.findByText(name)).closest("tr") as HTMLElement;

test("lists every member over all pages, the open invitations, and explains logins versus staff profiles", async () => {
  const fake = setup();
  open(fake);
  expect(await screen.findByText("Ola Berg")).toBeInTheDocument();
  expect(fake.callsTo("GET /business/users").map((c) => c.query.get("cursor"))).toEqual([null, "page-2"]);
  expect(within(screen.getByRole("heading", { name: /Members/ })).getByText("3")).toBeInTheDocument();
  const dana = await rowOf("Dana Demo");
  expect(within(dana).getByText("You")).toBeInTheDocument();
  expect(within(await rowOf("Amara Okafor")).getByText("Unverified")).toBeInTheDocument();
  const invites = within(screen.getByRole("list", { name: "Pending invitations" }));
  expect(invites.getByText("sam@demo-salon.test")).toBeInTheDocument();
  expect(invites.getByText(/Staff · sent Dec 1, 2026 · expires Dec 8, 2026/)).toBeInTheDocument();
  const explainer = screen.getByRole("complementary", { name: "Staff profiles and team logins" });
  expect(within(explainer).getByText(/the team can be smaller than the calendar/)).toBeInTheDocument();
  expect(within(explainer).getByRole("link", { name: "Manage staff profiles" })).toHaveAttribute("href", "/staff");
});

test("changing a role PATCHes it; a refusal is shown as the API words it", async () => {
  let attempt = 0;
  const fake = setup({
    "PATCH /business/users/{user_id}": (req) => {
      attempt += 1;
      return attempt === 1 ? { body: { ...amara, ...(req.body as object) } } : fx.refusal(409, "last_owner", "A business needs at least one owner.");
    },
  });
  const user = userEvent.setup();
  open(fake);
  await user.selectOptions(await screen.findByRole("combobox", { name: "Role of Amara Okafor" }), "admin");
  await waitFor(() => expect(fake.callsTo("PATCH /business/users/{user_id}")).toHaveLength(1));
  expect(fake.callsTo("PATCH /business/users/{user_id}")[0]).toMatchObject({ path: `/business/users/${AMARA_USER}`, body: { role: "admin" } });
  expect(await screen.findByText("Amara Okafor's role is now Admin.")).toBeInTheDocument();
  await user.selectOptions(screen.getByRole("combobox", { name: "Role of Dana Demo (you)" }), "admin");
  expect(await screen.findByText("Couldn't change Dana Demo's role. A business needs at least one owner.")).toBeInTheDocument();
});

test("an admin may not touch owners nor grant owner", async () => {
  const fake = setup({}, "admin");
  open(fake);
  const dana = await rowOf("Dana Demo");
  expect(within(dana).queryByRole("combobox")).not.toBeInTheDocument();
  expect(within(dana).getByText("Owner")).toBeInTheDocument();
  expect(within(dana).queryByRole("button", { name: /Remove|Leave/ })).not.toBeInTheDocument();
  const options = within(screen.getByRole("combobox", { name: "Role of Amara Okafor" })).getAllByRole("option").map((o) => o.textContent);
  expect(options).toEqual(["Admin", "Staff"]);
});

test("removing asks first, then DELETEs", async () => {
  const fake = setup({ "DELETE /business/users/{user_id}": { status: 204 } });
  const user = userEvent.setup();
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Remove Amara Okafor" }));
  const dialog = screen.getByRole("dialog", { name: "Remove Amara Okafor?" });
  expect(within(dialog).getByText(/staff profile linked to this login stays/)).toBeInTheDocument();
  expect(fake.callsTo("DELETE /business/users/{user_id}")).toHaveLength(0);
  await user.click(within(dialog).getByRole("button", { name: "Yes, remove" }));
  await waitFor(() => expect(fake.callsTo("DELETE /business/users/{user_id}")[0]?.path).toBe(`/business/users/${AMARA_USER}`));
  expect(await screen.findByText("Amara Okafor was removed from the team.")).toBeInTheDocument();
});

test("leaving the team signs out; a refusal (the last owner) is shown", async () => {
  const fake = setup({ "DELETE /business/users/{user_id}": fx.refusal(409, "last_owner", "A business needs at least one owner.") });
  const user = userEvent.setup();
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Leave the team" }));
  await user.click(within(screen.getByRole("dialog", { name: "Leave Demo Salon?" })).getByRole("button", { name: "Yes, leave" }));
  expect(await screen.findByText("You can't leave the team. A business needs at least one owner.")).toBeInTheDocument();
  expect(fake.callsTo("DELETE /business/users/{user_id}")[0]?.path).toBe(`/business/users/${fx.IDS.owner}`);
});

test("inviting sends the address and role with an Idempotency-Key; a 422 and already_member land on the e-mail and clear", async () => {
  let attempt = 0;
  const fake = setup({
    "POST /business/users/invitations": (req) => {
      attempt += 1;
      if (attempt === 1) return invalid({ email: "Expected `str` of length <= 254" });
      if (attempt === 2) return fx.refusal(409, "already_member", "This person is already on the team.");
      const body = req.body as Schemas["Invitation"];
      return { status: 201, body: { ...invitation, id: "4c2b1a00-0000-4000-8000-00000000000a", email: body.email, role: body.role } };
    },
  });
  const user = userEvent.setup();
  open(fake);
  const form = within(await screen.findByRole("form", { name: "Invite someone" }));
  const email = form.getByLabelText("E-mail address");
  await user.type(email, "jo@demo-salon.test");
  await user.selectOptions(form.getByLabelText("Role"), "admin");
  expect(form.getByText("Manages the business, its settings and the team")).toBeInTheDocument();
  await user.click(form.getByRole("button", { name: "Send invitation" }));
  expect(await form.findByText("Use at most 254 characters.")).toBeInTheDocument();
  const sent = fake.callsTo("POST /business/users/invitations")[0];
  expect(sent?.body).toEqual({ email: "jo@demo-salon.test", role: "admin" });
  expect(sent?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  await user.type(email, "x");
  await waitFor(() => expect(form.queryByText("Use at most 254 characters.")).not.toBeInTheDocument());
  await user.click(form.getByRole("button", { name: "Send invitation" }));
  expect(await form.findByText("This person is already on the team.")).toBeInTheDocument();
  await user.clear(email);
  await user.type(email, "new@demo-salon.test");
  await waitFor(() => expect(form.queryByText("This person is already on the team.")).not.toBeInTheDocument());
  await user.click(form.getByRole("button", { name: "Send invitation" }));
  expect(await screen.findByText("Invitation sent to new@demo-salon.test.")).toBeInTheDocument();
  const keys = fake.callsTo("POST /business/users/invitations").map((c) => c.headers.get("Idempotency-Key"));
  expect(new Set(keys).size).toBe(3);
});

test("resending an invitation sends it again", async () => {
  const fake = setup({ "POST /business/users/invitations": { status: 201, body: invitation } });
  const user = userEvent.setup();
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Resend the invitation to sam@demo-salon.test" }));
  expect(await screen.findByText("A new invitation was sent to sam@demo-salon.test.")).toBeInTheDocument();
  expect(fake.callsTo("POST /business/users/invitations")[0]?.body).toEqual({ email: "sam@demo-salon.test", role: "staff" });
});

test("a staff-role user sees the API's 403 as it is, and no invite form", async () => {
  const fake = setup({ "GET /business/users": fx.refusal(403, "forbidden", "This needs the admin role.") }, "staff");
  open(fake);
  expect(await screen.findByText("This needs the admin role.")).toBeInTheDocument();
  expect(screen.getByText("Only owners and admins invite people and change roles.")).toBeInTheDocument();
  expect(screen.queryByRole("form", { name: "Invite someone" })).not.toBeInTheDocument();
});
