import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { business } from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { safeNext, slugify } from "../utils/options";
import { AcceptInvitation } from "./accept-invitation";
import { ForgotPassword } from "./forgot-password";
import { LoginForm } from "./login-form";
import { ResetPassword } from "./reset-password";
import { SignupForm } from "./signup-form";
import { VerifyEmail } from "./verify-email";

const USER = { id: "6f1c2d3e-0000-4000-8000-000000000001", email: "owner@bella.test", name: "Bella Rossi", email_verified: false };
const BUSINESS_ID = "6f1c2d3e-0000-4000-8000-0000000000b1";
const TOKENS = { access_token: "new-access", refresh_token: "new-refresh", token_type: "Bearer", expires_in: 900 };
const LOGIN_SESSION = { ...TOKENS, user: USER, role: "owner", business_id: BUSINESS_ID, device_token: "device-1234567890" };
// A business just signed up: nothing filled in beyond its name.
const BUSINESS = business({
  id: BUSINESS_ID,
  name: "Bella Hair Studio",
  slug: "bella-hair-studio",
  contact: { email: null, phone: null, website: null, address: null },
  version: 1,
});

function error(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers?: Record<string, string>) {
  return { status, body: { error: { code, message, details } }, ...(headers ? { headers } : {}) };
}

async function logIn(email = "owner@bella.test", password = "correct horse battery") {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("E-mail"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Log in" }));
  return user;
}

describe("safeNext", () => {
  test.each([
    ["/calendar?date=2026-12-03", "/calendar?date=2026-12-03"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["/\t/evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    [null, "/"],
  ])("%s → %s", (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  test("slug suggestion", () => {
    expect(slugify("Bella's Hair Studio")).toBe("bellas-hair-studio");
    expect(slugify("Café Zoë  & Co.")).toBe("cafe-zoe-co");
  });
});

describe("log in", () => {
  test("sends the address and password, keeps the tokens and goes on to `next`", async () => {
    const fake = fakeApi({ "POST /auth/login": { body: LOGIN_SESSION } }, { signedIn: false });
    renderScreen(<LoginForm />, fake, { path: "/login?next=%2Fcalendar%3Fdate%3D2026-12-03", route: "/login" });
    await logIn(" owner@bella.test ");
    expect(await screen.findByTestId("location")).toHaveTextContent("/calendar?date=2026-12-03");
    expect(fake.callsTo("POST /auth/login")[0]?.body).toEqual({ email: "owner@bella.test", password: "correct horse battery" });
    expect(fake.api.isLoggedIn()).toBe(true);
  });

  test("refuses an off-site `next` and goes to the dashboard", async () => {
    const fake = fakeApi({ "POST /auth/login": { body: LOGIN_SESSION } }, { signedIn: false });
    renderScreen(<LoginForm />, fake, { path: "/login?next=%2F%2Fevil.example%2Fsteal", route: "/login" });
    await logIn();
    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
  });

  test("goes through the client, which keeps the device token for the next log-in", async () => {
    const fake = fakeApi({ "POST /auth/login": { body: LOGIN_SESSION } }, { signedIn: false });
    renderScreen(<LoginForm />, fake, { path: "/login", route: "/login" });
    await logIn();
    await screen.findByTestId("location");
    // The second log-in of the same address carries the token the first one was given.
    await fake.api.logout();
    await fake.api.login("Owner@Bella.test", "again");
    expect(fake.callsTo("POST /auth/login")[1]?.body).toEqual({ email: "Owner@Bella.test", password: "again", device_token: "device-1234567890" });
  });

  test("a wrong password shows the API's words and stays on the page", async () => {
    const fake = fakeApi({ "POST /auth/login": error(401, "invalid_credentials", "The e-mail or password is not right.") }, { signedIn: false });
    renderScreen(<LoginForm />, fake, { path: "/login", route: "/login" });
    await logIn();
    expect(await screen.findByRole("alert")).toHaveTextContent("The e-mail or password is not right.");
    expect(screen.queryByTestId("location")).not.toBeInTheDocument();
    expect(fake.api.isLoggedIn()).toBe(false);
  });

  test("too many attempts: says when to try again, pauses the button and offers a reset", async () => {
    const fake = fakeApi(
      { "POST /auth/login": error(429, "rate_limited", "Too many failed log-ins; wait before trying again.", { retry_after: 240 }, { "Retry-After": "240" }) },
      { signedIn: false },
    );
    renderScreen(<LoginForm />, fake, { path: "/login", route: "/login" });
    await logIn();
    const status = await screen.findByText(/too many log-in attempts/i);
    expect(status).toHaveTextContent("Try again in 240 seconds (about 4 minutes).");
    expect(screen.getByText("Log-in is paused for now")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Reset your password" })).toHaveAttribute("href", "/forgot-password");
    expect(screen.getByRole("button", { name: "Log in" })).toBeDisabled();
  });

  test("checks the fields before sending, and an error clears once fixed", async () => {
    const fake = fakeApi({}, { signedIn: false });
    renderScreen(<LoginForm />, fake, { path: "/login", route: "/login" });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByText("Enter your e-mail address.")).toBeInTheDocument();
    expect(screen.getByLabelText("E-mail")).toHaveAttribute("aria-invalid", "true");
    await user.type(screen.getByLabelText("E-mail"), "owner@bella.test");
    await waitFor(() => expect(screen.queryByText("Enter your e-mail address.")).not.toBeInTheDocument());
    expect(fake.calls).toHaveLength(0);
  });

  test("an expired session says so", () => {
    renderScreen(<LoginForm />, fakeApi({}, { signedIn: false }), { path: "/login?expired=1", route: "/login" });
    expect(screen.getByText("Your session has ended. Please log in again.")).toBeInTheDocument();
  });

  test("someone signed in goes on to the dashboard", async () => {
    renderScreen(<LoginForm />, fakeApi({}), { path: "/login", route: "/login" });
    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
  });
});

describe("sign up", () => {
  async function fill(user: ReturnType<typeof userEvent.setup>, { slug = "" } = {}) {
    await user.type(screen.getByLabelText("Business name"), "Bella's Hair Studio");
    if (slug) await user.type(screen.getByLabelText(/Booking page address/), slug);
    await user.selectOptions(screen.getByLabelText("Time zone"), "Europe/London");
    await user.selectOptions(screen.getByLabelText("Currency"), "GBP");
    await user.type(screen.getByLabelText("Your name"), "Bella Rossi");
    await user.type(screen.getByLabelText("E-mail"), "owner@bella.test");
    await user.type(screen.getByLabelText("Password"), "a long enough secret");
    await user.click(screen.getByRole("button", { name: "Create account" }));
  }

  test("suggests an address, sends the body, keeps the session and opens the checklist", async () => {
    const fake = fakeApi({ "POST /auth/signup": { status: 201, body: { ...TOKENS, user: USER, role: "owner", business_id: BUSINESS_ID, business: BUSINESS } } }, { signedIn: false });
    renderScreen(<SignupForm />, fake, { path: "/signup", route: "/signup" });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Business name"), "Bella's Hair");
    expect(screen.getByLabelText(/Booking page address/)).toHaveAttribute("placeholder", "bellas-hair");
    await user.clear(screen.getByLabelText("Business name"));
    await fill(user);
    expect(await screen.findByTestId("location")).toHaveTextContent("/getting-started");
    expect(fake.callsTo("POST /auth/signup")[0]?.body).toEqual({
      business_name: "Bella's Hair Studio",
      owner_name: "Bella Rossi",
      email: "owner@bella.test",
      password: "a long enough secret",
      time_zone: "Europe/London",
      currency: "GBP",
    });
    expect(fake.api.isLoggedIn()).toBe(true);
  });

  test("the time zone starts at the browser's", () => {
    renderScreen(<SignupForm />, fakeApi({}, { signedIn: false }), { path: "/signup", route: "/signup" });
    expect(screen.getByLabelText("Time zone")).toHaveValue(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  });

  test("a chosen address is sent, and a taken one is marked on its field", async () => {
    const fake = fakeApi({ "POST /auth/signup": error(409, "slug_taken", "This address is taken by another business.") }, { signedIn: false });
    renderScreen(<SignupForm />, fake, { path: "/signup", route: "/signup" });
    const user = userEvent.setup();
    await fill(user, { slug: "bella" });
    expect(await screen.findByText("Another business already uses this address; try another one.")).toBeInTheDocument();
    expect(screen.getByLabelText(/Booking page address/)).toHaveAttribute("aria-invalid", "true");
    expect(fake.callsTo("POST /auth/signup")[0]?.body).toMatchObject({ slug: "bella" });
  });

  test("a 422 goes onto its field and clears when the field is fixed", async () => {
    const fake = fakeApi({ "POST /auth/signup": invalid({ password: "use at least 10 characters" }) }, { signedIn: false });
    renderScreen(<SignupForm />, fake, { path: "/signup", route: "/signup" });
    const user = userEvent.setup();
    await fill(user);
    expect(await screen.findByText("Use at least 10 characters.")).toBeInTheDocument();
    expect(screen.getByText("Please correct the highlighted fields.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Password"), "!");
    await waitFor(() => expect(screen.queryByText("Use at least 10 characters.")).not.toBeInTheDocument());
  });

  test("429 says when to try again", async () => {
    const fake = fakeApi({ "POST /auth/signup": error(429, "rate_limited", "Too many requests; wait before trying again.", { retry_after: 30 }) }, { signedIn: false });
    renderScreen(<SignupForm />, fake, { path: "/signup", route: "/signup" });
    await fill(userEvent.setup());
    expect(await screen.findByText("Try again in 30 seconds.")).toBeInTheDocument();
  });

  test("someone signed in goes on to the dashboard", async () => {
    renderScreen(<SignupForm />, fakeApi({}), { path: "/signup", route: "/signup" });
    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
  });
});

describe("forgotten password", () => {
  test("asks for a link and says to check the inbox", async () => {
    const fake = fakeApi({ "POST /auth/password/forgot": { status: 202, body: { status: "sent_if_registered" } } }, { signedIn: false });
    renderScreen(<ForgotPassword />, fake, { path: "/forgot-password" });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("E-mail"), "owner@bella.test");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByRole("heading", { name: "Check your inbox" })).toBeInTheDocument();
    expect(screen.getByText(/If an account exists for owner@bella.test/)).toBeInTheDocument();
    expect(fake.callsTo("POST /auth/password/forgot")[0]?.body).toEqual({ email: "owner@bella.test" });
  });

  test("429 says when to try again", async () => {
    const fake = fakeApi({ "POST /auth/password/forgot": error(429, "rate_limited", "Too many requests.", {}, { "Retry-After": "1" }) }, { signedIn: false });
    renderScreen(<ForgotPassword />, fake, { path: "/forgot-password" });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("E-mail"), "owner@bella.test");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByText("Try again in 1 second.")).toBeInTheDocument();
  });
});

describe("reset password", () => {
  async function choose(user: ReturnType<typeof userEvent.setup>, password: string, confirm = password) {
    await user.type(screen.getByLabelText("New password"), password);
    await user.type(screen.getByLabelText("Repeat the new password"), confirm);
    await user.click(screen.getByRole("button", { name: "Set new password" }));
  }

  test("sends the token from the link with the new password", async () => {
    const fake = fakeApi({ "POST /auth/password/reset": { status: 204 } }, { signedIn: false });
    renderScreen(<ResetPassword />, fake, { path: "/reset-password?token=reset-token-0123456789", route: "/reset-password" });
    await choose(userEvent.setup(), "a brand new secret");
    expect(await screen.findByRole("heading", { name: "Your password is changed" })).toBeInTheDocument();
    expect(fake.callsTo("POST /auth/password/reset")[0]?.body).toEqual({ token: "reset-token-0123456789", password: "a brand new secret" });
  });

  test("the two passwords must match (the error clears once they do)", async () => {
    const fake = fakeApi({}, { signedIn: false });
    renderScreen(<ResetPassword />, fake, { path: "/reset-password?token=reset-token-0123456789", route: "/reset-password" });
    const user = userEvent.setup();
    await choose(user, "a brand new secret", "a brand new secre");
    expect(await screen.findByText("The two passwords are not the same.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Repeat the new password"), "t");
    await waitFor(() => expect(screen.queryByText("The two passwords are not the same.")).not.toBeInTheDocument());
    expect(fake.calls).toHaveLength(0);
  });

  test("a spent link offers a new one", async () => {
    const fake = fakeApi({ "POST /auth/password/reset": error(401, "invalid_token", "This link is not valid any more; ask for a new one.") }, { signedIn: false });
    renderScreen(<ResetPassword />, fake, { path: "/reset-password?token=reset-token-0123456789", route: "/reset-password" });
    await choose(userEvent.setup(), "a brand new secret");
    expect(await screen.findByText("This link is not valid any more; ask for a new one.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Send a new link" })).toHaveAttribute("href", "/forgot-password");
  });

  test("a link without its token says so", () => {
    renderScreen(<ResetPassword />, fakeApi({}, { signedIn: false }), { path: "/reset-password", route: "/reset-password" });
    expect(screen.getByRole("heading", { name: "This link is incomplete" })).toBeInTheDocument();
  });
});

describe("verify e-mail", () => {
  test("confirms the token from the link, once", async () => {
    const fake = fakeApi({ "POST /auth/email/verify": { status: 204 } }, { signedIn: false });
    renderScreen(<VerifyEmail />, fake, { path: "/verify-email?token=verify-token-0123456789", route: "/verify-email" });
    expect(await screen.findByRole("heading", { name: "Your e-mail address is confirmed" })).toBeInTheDocument();
    expect(fake.callsTo("POST /auth/email/verify")).toHaveLength(1);
    expect(fake.callsTo("POST /auth/email/verify")[0]?.body).toEqual({ token: "verify-token-0123456789" });
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
  });

  test("a spent link says so and leads to the dashboard when signed in", async () => {
    const fake = fakeApi({ "POST /auth/email/verify": error(401, "invalid_token", "This link is not valid any more; ask for a new one.") });
    renderScreen(<VerifyEmail />, fake, { path: "/verify-email?token=verify-token-0123456789", route: "/verify-email" });
    expect(await screen.findByRole("heading", { name: "This link has expired or was already used" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to the dashboard" })).toHaveAttribute("href", "/");
  });

  test("a link without its token says so", () => {
    renderScreen(<VerifyEmail />, fakeApi({}, { signedIn: false }), { path: "/verify-email", route: "/verify-email" });
    expect(screen.getByRole("heading", { name: "This link is incomplete" })).toBeInTheDocument();
  });
});

describe("accept invitation", () => {
  async function join(user: ReturnType<typeof userEvent.setup>) {
    await user.type(screen.getByLabelText("Your name"), "Sam Carter");
    await user.type(screen.getByLabelText("Password"), "sams own secret");
    await user.click(screen.getByRole("button", { name: "Join the team" }));
  }

  test("sends the token, name and password, keeps the session and opens the dashboard", async () => {
    const fake = fakeApi({ "POST /auth/invitations/accept": { body: { ...TOKENS, user: { ...USER, name: "Sam Carter" }, role: "staff", business_id: BUSINESS_ID } } }, { signedIn: false });
    renderScreen(<AcceptInvitation />, fake, { path: "/accept-invitation?token=invite-token-0123456789", route: "/accept-invitation" });
    await join(userEvent.setup());
    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
    expect(fake.callsTo("POST /auth/invitations/accept")[0]?.body).toEqual({ token: "invite-token-0123456789", name: "Sam Carter", password: "sams own secret" });
    expect(fake.api.isLoggedIn()).toBe(true);
  });

  test("an existing account's wrong password is marked on the field", async () => {
    const fake = fakeApi({ "POST /auth/invitations/accept": error(401, "invalid_credentials", "The e-mail or password is not right.") }, { signedIn: false });
    renderScreen(<AcceptInvitation />, fake, { path: "/accept-invitation?token=invite-token-0123456789", route: "/accept-invitation" });
    await join(userEvent.setup());
    expect(await screen.findByText("The e-mail or password is not right.")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
  });

  test("a spent invitation says to ask for a new one", async () => {
    const fake = fakeApi({ "POST /auth/invitations/accept": error(401, "invalid_token", "This link is not valid any more; ask for a new one.") }, { signedIn: false });
    renderScreen(<AcceptInvitation />, fake, { path: "/accept-invitation?token=invite-token-0123456789", route: "/accept-invitation" });
    await join(userEvent.setup());
    expect(await screen.findByText(/This invitation has expired or was already used/)).toBeInTheDocument();
  });

  test("a 422 on the name goes onto the field", async () => {
    const fake = fakeApi({ "POST /auth/invitations/accept": invalid({ name: "Expected `str` of length <= 120" }) }, { signedIn: false });
    renderScreen(<AcceptInvitation />, fake, { path: "/accept-invitation?token=invite-token-0123456789", route: "/accept-invitation" });
    await join(userEvent.setup());
    expect(await screen.findByText("Use at most 120 characters.")).toBeInTheDocument();
    expect(screen.getByLabelText("Your name")).toHaveAttribute("aria-invalid", "true");
  });

  test("a link without its token says so", () => {
    renderScreen(<AcceptInvitation />, fakeApi({}, { signedIn: false }), { path: "/accept-invitation", route: "/accept-invitation" });
    expect(screen.getByRole("heading", { name: "This link is incomplete" })).toBeInTheDocument();
  });
});
