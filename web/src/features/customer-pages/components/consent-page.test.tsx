import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { ConsentPage } from "./consent-page";

afterEach(() => vi.restoreAllMocks());

const open = (fake: ReturnType<typeof fakeApi>, path = "/confirm-consent?token=82d0be44.consent") =>
  renderScreen(<ConsentPage />, fake, { path, route: "/confirm-consent" });

test("nothing is confirmed on opening (mail scanners open links); the click confirms", async () => {
  const user = userEvent.setup();
  const fake = fakeApi({ "POST /public/consent/{token}": { body: { kind: "marketing", granted: true } } }, { signedIn: false });
  open(fake);
  expect(await screen.findByRole("heading", { name: "Confirm your subscription" })).toBeInTheDocument();
  expect(fake.callsTo("POST /public/consent/{token}")).toHaveLength(0);
  await user.click(screen.getByRole("button", { name: "Yes, send me news and offers" }));
  expect(await screen.findByRole("heading", { name: "You're subscribed" })).toBeInTheDocument();
  expect(fake.callsTo("POST /public/consent/{token}")[0]?.path).toBe("/public/consent/82d0be44.consent");
});

test("an expired or used link changes nothing, and says so", async () => {
  const user = userEvent.setup();
  const fake = fakeApi({ "POST /public/consent/{token}": { status: 404, body: { error: { code: "not_found", message: "consent request not found", details: {} } } } }, { signedIn: false });
  open(fake);
  await user.click(await screen.findByRole("button", { name: "Yes, send me news and offers" }));
  expect(await screen.findByRole("heading", { name: "This link has expired or was already used" })).toBeInTheDocument();
});

test("in German, and a link without its code", async () => {
  vi.spyOn(navigator, "languages", "get").mockReturnValue(["de-DE"]);
  open(fakeApi({}, { signedIn: false }), "/confirm-consent");
  expect(await screen.findByRole("heading", { name: "Dieser Link ist unvollständig" })).toBeInTheDocument();
});
