import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, vi } from "vitest";
import { fakeApi, invalid } from "../../../testing/fake-api";
import { renderScreen } from "../../../testing/render";
import { business as aBusiness, me } from "../../../testing/fixtures";
import { SettingsScreen } from "./settings-screen";

function setup(role: "owner" | "admin" | "staff" = "owner", business = aBusiness(), path = "/settings") {
  const fake = fakeApi({
    "GET /auth/me": { body: me({ role, business }) },
    "GET /business": { body: business },
  });
  const view = renderScreen(<SettingsScreen />, fake, { path, route: "/settings" });
  return { fake, ...view };
}

// Typing into a whole form is slow in jsdom on a busy machine.
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

test("sends only what changed, nested, with the version it was read at", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  fake.on("PATCH /business", () => ({ body: aBusiness({ version: 3, name: "Demo Salon & Spa", booking_policy: { ...aBusiness().booking_policy, slot_interval_min: 30, auto_confirm: false } }) }));
  const name = await screen.findByLabelText("Business name");
  await user.clear(name);
  await user.type(name, "Demo Salon & Spa");
  const interval = screen.getByLabelText("Time slot interval (minutes)");
  await user.clear(interval);
  await user.type(interval, "30");
  await user.click(screen.getByLabelText("Confirm new bookings automatically"));
  await user.type(screen.getByLabelText(/^Phone/), "+44 20 7946 0000");
  expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  await screen.findByText("Settings saved.");
  expect(fake.callsTo("PATCH /business")[0]?.body).toEqual({
    name: "Demo Salon & Spa",
    contact: { phone: "+44 20 7946 0000" },
    booking_policy: { slot_interval_min: 30, auto_confirm: false },
    version: 2,
  });
  // The next save goes with the new version.
  await user.clear(screen.getByLabelText("Business name"));
  await user.type(screen.getByLabelText("Business name"), "Demo");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  await waitFor(() => expect(fake.callsTo("PATCH /business")).toHaveLength(2));
  expect(fake.callsTo("PATCH /business")[1]?.body).toEqual({ name: "Demo", version: 3 });
});

test("an emptied contact field is sent as null, and nothing is sent when nothing changed", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  fake.on("PATCH /business", { body: aBusiness({ version: 3, contact: { email: null, phone: null, website: null, address: null } }) });
  await user.click(await screen.findByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Nothing to save: no changes.")).toBeInTheDocument();
  expect(fake.callsTo("PATCH /business")).toHaveLength(0);
  await user.clear(screen.getByLabelText(/^E-mail/));
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  await waitFor(() => expect(fake.callsTo("PATCH /business")).toHaveLength(1));
  expect(fake.callsTo("PATCH /business")[0]?.body).toEqual({ contact: { email: null }, version: 2 });
});

test("a 422 on a nested policy field shows on that field and clears once it is fixed", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  fake.on("PATCH /business", invalid({ "booking_policy.slot_interval_min": "must divide 60 evenly" }));
  const interval = await screen.findByLabelText("Time slot interval (minutes)");
  await user.clear(interval);
  await user.type(interval, "7");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Must divide 60 evenly.")).toBeInTheDocument();
  expect(interval).toHaveAttribute("aria-invalid", "true");
  expect(screen.getByText("Please correct the highlighted fields.")).toBeInTheDocument();
  await user.clear(interval);
  await user.type(interval, "10");
  await waitFor(() => expect(screen.queryByText("Must divide 60 evenly.")).not.toBeInTheDocument());
  expect(interval).not.toHaveAttribute("aria-invalid");
});

test("numbers outside the policy's limits are refused before anything is sent", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  const days = await screen.findByLabelText("Book up to (days)");
  await user.clear(days);
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Enter a whole number.")).toBeInTheDocument();
  await user.type(days, "1000");
  expect(await screen.findByText("Use 730 or less.")).toBeInTheDocument();
  expect(fake.callsTo("PATCH /business")).toHaveLength(0);
});

test("minutes are also said in days and hours", async () => {
  setup();
  const cutoff = await screen.findByLabelText("Cancellation cutoff (minutes)");
  expect(cutoff).toHaveValue(1440);
  expect(screen.getAllByText("= 1 day").length).toBeGreaterThan(0);
});

test("a stale version offers to reload, and the reload shows the latest settings", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  fake.on("PATCH /business", { status: 409, body: { error: { code: "stale_version", message: "The business was changed by someone else; reload and try again.", details: {} } } });
  const name = await screen.findByLabelText("Business name");
  await user.type(name, " Ltd");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("These settings were changed elsewhere")).toBeInTheDocument();
  fake.on("GET /business", { body: aBusiness({ version: 5, name: "Renamed Salon" }) });
  await user.click(screen.getByRole("button", { name: "Reload settings" }));
  await waitFor(() => expect(screen.getByLabelText("Business name")).toHaveValue("Renamed Salon"));
  expect(screen.queryByText("These settings were changed elsewhere")).not.toBeInTheDocument();
  fake.on("PATCH /business", { body: aBusiness({ version: 6 }) });
  await user.type(screen.getByLabelText("Business name"), "!");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  await waitFor(() => expect(fake.callsTo("PATCH /business")).toHaveLength(2));
  expect(fake.callsTo("PATCH /business")[1]?.body).toEqual({ name: "Renamed Salon!", version: 5 });
});

test("a taken booking address is said on its field", async () => {
  const user = userEvent.setup({ delay: null });
  const { fake } = setup();
  fake.on("PATCH /business", { status: 409, body: { error: { code: "slug_taken", message: "This address is taken by another business.", details: { slug: "rival" } } } });
  const slug = await screen.findByLabelText("Booking page address");
  await user.clear(slug);
  await user.type(slug, "Rival");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Another business already uses this address; choose another one.")).toBeInTheDocument();
  expect(fake.callsTo("PATCH /business")[0]?.body).toEqual({ slug: "rival", version: 2 });
});

test("staff see the settings but cannot change them", async () => {
  setup("staff");
  expect(await screen.findByLabelText("Business name")).toBeDisabled();
  expect(screen.getByText("Your business's profile and booking rules. Only admins and owners can change them.")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Upload a logo" })).not.toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Copy link" })).toBeInTheDocument();
});

test("the settings tabs are on top", async () => {
  setup();
  const tabs = await screen.findByRole("navigation", { name: "Settings" });
  expect(within(tabs).getByRole("link", { name: "Business" })).toHaveAttribute("href", "/settings");
  expect(within(tabs).getByRole("link", { name: "Notifications" })).toHaveAttribute("href", "/settings/notifications");
});

test("the booking link is shown with copy, open and a QR code", async () => {
  const user = userEvent.setup({ delay: null });
  const writeText = vi.fn().mockResolvedValue(undefined);
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
  setup();
  const url = `${window.location.origin}/book/demo-salon`;
  const section = await screen.findByRole("region", { name: "Your booking link" });
  expect(section).toHaveAttribute("id", "booking-link");
  expect(within(section).getByRole("link", { name: url })).toHaveAttribute("href", url);
  expect(within(section).getByRole("link", { name: /Open booking page/ })).toHaveAttribute("href", url);
  expect(within(section).getByRole("img", { name: `QR code for ${url}` })).toBeInTheDocument();
  await user.click(within(section).getByRole("button", { name: "Copy link" }));
  expect(writeText).toHaveBeenCalledWith(url);
  expect(await within(section).findByRole("button", { name: "Copied" })).toBeInTheDocument();
  expect(localStorage.getItem("booking.link-shared.82d0be44-4917-4173-9823-5fdd62336d58")).toBe("1");
});

test("where the clipboard is refused, copying says how to do it by hand", async () => {
  const user = userEvent.setup({ delay: null });
  Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn().mockRejectedValue(new Error("denied")) }, configurable: true });
  setup();
  await user.click(await screen.findByRole("button", { name: "Copy link" }));
  expect(await screen.findByText(/Select the text and press Ctrl\+C/)).toBeInTheDocument();
});

test("the QR code downloads as SVG", async () => {
  const user = userEvent.setup({ delay: null });
  const blobs: Blob[] = [];
  vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn((b: Blob) => (blobs.push(b), "blob:qr")), revokeObjectURL: vi.fn() }));
  const clicked: HTMLAnchorElement[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push(this);
  });
  setup();
  await user.click(await screen.findByRole("button", { name: "Download SVG" }));
  expect(clicked[0]?.download).toBe("booking-qr-demo-salon.svg");
  expect(blobs[0]?.type).toBe("image/svg+xml");
  expect(await blobs[0]?.text()).toContain("<svg");
});

test("the logo is uploaded to the presigned address with its fields, then shown", async () => {
  const user = userEvent.setup({ delay: null, applyAccept: false });
  const s3 = vi.fn().mockResolvedValue(new Response(null, { status: 204 }));
  vi.stubGlobal("fetch", s3);
  const { fake } = setup();
  const key = "businesses/82d0be44-4917-4173-9823-5fdd62336d58/logo/6764979174d24c7e934495b0edf21c8b.png";
  fake.on("POST /business/logo", () => {
    fake.on("GET /business", { body: aBusiness({ logo_key: key }) });
    return {
      status: 201,
      body: {
        url: "https://uploads.example.test/booking-uploads",
        fields: { "Content-Type": "image/png", key, AWSAccessKeyId: "AKIA", policy: "eyJ", signature: "c2ln" },
        key,
        expires_in: 600,
        max_bytes: 2097152,
      },
    };
  });
  expect(await screen.findByText("No logo yet")).toBeInTheDocument();
  const file = new File([new Uint8Array([137, 80, 78, 71])], "logo.png", { type: "image/png" });
  await user.upload(screen.getByLabelText("Upload a logo"), file);
  expect(await screen.findByText("Logo uploaded.")).toBeInTheDocument();
  expect(fake.callsTo("POST /business/logo")[0]?.body).toEqual({ content_type: "image/png" });
  expect(s3).toHaveBeenCalledTimes(1);
  const [url, init] = s3.mock.calls[0] as [string, RequestInit];
  expect(url).toBe("https://uploads.example.test/booking-uploads");
  expect(init.method).toBe("POST");
  const sent = init.body as FormData;
  expect([...sent.keys()]).toEqual(["Content-Type", "key", "AWSAccessKeyId", "policy", "signature", "file"]);
  expect(sent.get("key")).toBe(key);
  expect(sent.get("file")).toBeInstanceOf(File);
  const img = await screen.findByRole("img", { name: "Demo Salon's logo" });
  expect(img).toHaveAttribute("src", `http://media.test/${key}`);
});

test("a logo of the wrong type or too big is refused before any upload", async () => {
  const user = userEvent.setup({ delay: null, applyAccept: false });
  const s3 = vi.fn();
  vi.stubGlobal("fetch", s3);
  const { fake } = setup();
  const input = await screen.findByLabelText("Upload a logo");
  await user.upload(input, new File(["GIF89a"], "logo.gif", { type: "image/gif" }));
  expect(await screen.findByText("Choose a PNG, JPEG or WebP image.")).toBeInTheDocument();
  const big = new File([new Uint8Array(2 * 1024 * 1024 + 1)], "big.png", { type: "image/png" });
  fireEvent.change(input, { target: { files: [big] } });
  expect(await screen.findByText(/the logo can be at most 2 MB/)).toBeInTheDocument();
  expect(fake.callsTo("POST /business/logo")).toHaveLength(0);
  expect(s3).not.toHaveBeenCalled();
});

test("a refused upload says so", async () => {
  const user = userEvent.setup({ delay: null, applyAccept: false });
  vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response("<Error/>", { status: 403 })));
  const { fake } = setup();
  fake.on("POST /business/logo", { status: 201, body: { url: "https://uploads.example.test/b", fields: { key: "k" }, key: "k", expires_in: 600, max_bytes: 2097152 } });
  await user.upload(await screen.findByLabelText("Upload a logo"), new File(["x"], "logo.webp", { type: "image/webp" }));
  expect(await screen.findByText("The upload was refused (HTTP 403). Please try again.")).toBeInTheDocument();
});

test("a link to #booking-link brings that section into focus", async () => {
  setup("owner", aBusiness(), "/settings#booking-link");
  const section = await screen.findByRole("region", { name: "Your booking link" });
  await waitFor(() => expect(section).toHaveFocus());
});
