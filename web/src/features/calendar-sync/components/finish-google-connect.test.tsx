// /account/google-callback: where the API forwards Google's redirect. The page posts Google's state,
// code and error as the signed-in member, once, and goes on to the account page saying how it went; a
// member not signed in logs in first and comes back to finish.
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { expect, test } from "vitest";
import { AppLayout } from "../../../components/layouts/app-layout";
import { LoginForm } from "../../auth/components/login-form";
import * as bx from "../../../testing/billing-fixtures";
import { fakeApi, type Handler } from "../../../testing/fake-api";
import * as fx from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { connected } from "../testing/fixtures";
import { FinishGoogleConnect } from "./finish-google-connect";

const PAGE = "/account/google-callback";
const GOOGLE_QUERY = "?state=st4te-0123&code=4%2F0AbC-d_e";

function refused(reason: string): Handler {
  return {
    status: 409,
    body: { error: { code: "calendar_connect_failed", message: "The connect was not finished.", details: { reason } } },
  };
}

function open(query: string, handler: Handler = { body: connected() }) {
  const fake = fakeApi({ "POST /calendar/google/callback": handler });
  renderScreen(
    <StrictMode>
      <FinishGoogleConnect />
    </StrictMode>,
    fake,
    { path: `${PAGE}${query}`, route: PAGE },
  );
  return fake;
}

const landedOn = async () => (await screen.findByTestId("location")).textContent;

test("posts Google's state and code once, says what it is doing, then lands on the account page connected", async () => {
  let answer: (reply: { body: unknown }) => void = () => {};
  const fake = open(GOOGLE_QUERY, () => new Promise((resolve) => (answer = resolve)));

  expect(await screen.findByRole("status")).toHaveTextContent("Connecting your Google Calendar…");
  await waitFor(() => expect(fake.callsTo("POST /calendar/google/callback")).toHaveLength(1));
  answer({ body: connected() });

  expect(await landedOn()).toBe("/account?google=connected");
  const calls = fake.callsTo("POST /calendar/google/callback");
  expect(calls).toHaveLength(1); // strict mode renders twice; a state works once
  expect(calls[0]?.body).toEqual({ state: "st4te-0123", code: "4/0AbC-d_e", error: null });
  expect(calls[0]?.headers.get("Authorization")).toBe("Bearer access");
});

test.each(["invalid_state", "scope", "failed"])("refused with %s: lands on the account page with that reason", async (reason) => {
  const fake = open(GOOGLE_QUERY, refused(reason));

  expect(await landedOn()).toBe(`/account?google=error&reason=${reason}`);
  expect(fake.callsTo("POST /calendar/google/callback")).toHaveLength(1);
});

test("declining on Google's page is posted too (the state is spent) and comes back as access_denied", async () => {
  const fake = open("?state=st4te-0123&error=access_denied", refused("access_denied"));

  expect(await landedOn()).toBe("/account?google=error&reason=access_denied");
  expect(fake.callsTo("POST /calendar/google/callback")[0]?.body).toEqual({ state: "st4te-0123", code: null, error: "access_denied" });
});

test("any other failure comes back as failed", async () => {
  open(GOOGLE_QUERY, { status: 500, body: { error: { code: "internal_error", message: "An internal error occurred.", details: {} } } });

  expect(await landedOn()).toBe("/account?google=error&reason=failed");
});

test("an unknown reason in a refusal reads as failed", async () => {
  open(GOOGLE_QUERY, refused("something_new"));

  expect(await landedOn()).toBe("/account?google=error&reason=failed");
});

test("without a state nothing is posted and the page says the link is no good", async () => {
  const fake = open("?code=4%2F0AbC");

  expect(await landedOn()).toBe("/account?google=error&reason=invalid_state");
  expect(fake.callsTo("POST /calendar/google/callback")).toHaveLength(0);
});

test("a member not signed in logs in first, then the connect is finished as them", async () => {
  const user = userEvent.setup();
  const fake = fakeApi(
    {
      "POST /auth/login": {
        body: { access_token: "new-access", refresh_token: "new-refresh", token_type: "Bearer", expires_in: 900, user: fx.me().user, role: "owner", business_id: fx.business().id, device_token: "device-1234567890" },
      },
      "GET /auth/me": { body: fx.me() },
      "GET /billing/subscription": { body: bx.subscription() },
      "POST /calendar/google/callback": { body: connected() },
    },
    { signedIn: false },
  );
  renderScreen(<LoginForm />, fake, {
    path: `${PAGE}${GOOGLE_QUERY}`,
    route: "/login",
    extraRoutes: [{ element: <AppLayout />, children: [{ path: PAGE, element: <FinishGoogleConnect /> }] }],
  });

  await user.type(await screen.findByLabelText("E-mail"), "owner@demo-salon.test");
  expect(fake.callsTo("POST /calendar/google/callback")).toHaveLength(0);
  await user.type(screen.getByLabelText("Password"), "correct horse battery");
  await user.click(screen.getByRole("button", { name: "Log in" }));

  expect(await landedOn()).toBe("/account?google=connected");
  const [call] = fake.callsTo("POST /calendar/google/callback");
  expect(call?.body).toEqual({ state: "st4te-0123", code: "4/0AbC-d_e", error: null });
  expect(call?.headers.get("Authorization")).toBe("Bearer new-access");
});
