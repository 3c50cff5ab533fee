import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Schemas } from "../../../lib/api-client";
import { fakeApi, invalid, type Handler } from "../../../testing/fake-api";
import { formatDateTime } from "../../../lib/zoned";
import { business, me as fixtureMe } from "../../../testing/fixtures";
import { renderScreen } from "../../../testing/render";
import { describeOffsets, fillTemplate, insertPlaceholder, parseOffset } from "../utils/notifications";
import { NotificationsPage } from "./notifications-page";

function me(role: Schemas["Me"]["role"] = "owner", features: Partial<Schemas["Features"]> = {}): Schemas["Me"] {
  const base = fixtureMe();
  return fixtureMe({
    role,
    business: business({ plan: "pro", trial_ends_at: null }),
    features: { ...base.features, max_staff: null, max_locations: null, ...features },
  });
}

const SETTINGS: Schemas["NotificationSettings"] = {
  email_enabled: true,
  whatsapp_enabled: false,
  whatsapp_phone_number_id: null,
  whatsapp_access_token_set: false,
  reminder_offsets_min: [1440, 120],
  sender_name: null,
  reply_to: null,
  version: 4,
  updated_at: "2026-11-20T10:00:00Z",
};

const EMAIL_TEMPLATE: Schemas["NotificationTemplate"] = {
  key: "booking_confirmed.email",
  message: "booking_confirmed",
  channel: "email",
  audience: "customer",
  custom: false,
  content: { subject: "Your booking at {business_name}", body: "Hello {customer_name}, see you {start_time}." },
  placeholders: ["customer_name", "service", "staff", "location", "start_time", "manage_link", "business_name"],
  version: null,
  updated_at: null,
};

const WHATSAPP_TEMPLATE: Schemas["NotificationTemplate"] = {
  key: "booking_confirmed.whatsapp",
  message: "booking_confirmed",
  channel: "whatsapp",
  audience: "customer",
  custom: true,
  content: { name: "booking_confirmed", language: "en", parameters: ["customer_name", "start_time"] },
  placeholders: ["customer_name", "service", "start_time"],
  version: 2,
  updated_at: "2026-11-21T10:00:00Z",
};

function delivery(n: number, extra: Partial<Schemas["Delivery"]> = {}): Schemas["Delivery"] {
  return {
    id: `7a000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    outbox_id: `7b000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    message: "reminder",
    channel: "email",
    recipient: `customer${n}@mail.test`,
    customer_id: "7c000000-0000-4000-8000-000000000001",
    appointment_id: "7d000000-0000-4000-8000-000000000001",
    status: "delivered",
    provider_message_id: `msg-${n}`,
    error: null,
    fallback_of: null,
    attempts: 1,
    created_at: "2026-12-01T09:30:00Z",
    updated_at: "2026-12-01T09:30:05Z",
    ...extra,
  };
}

function page(handlers: Record<string, Handler> = {}, role: Schemas["Me"]["role"] = "owner", features: Partial<Schemas["Features"]> = {}, path = "/settings/notifications") {
  const fake = fakeApi({
    "GET /auth/me": { body: me(role, features) },
    "GET /notifications/settings": { body: SETTINGS },
    "GET /notifications/templates": { body: { items: [EMAIL_TEMPLATE, WHATSAPP_TEMPLATE], next_cursor: null } },
    "GET /notifications/log": { body: { items: [], next_cursor: null } },
    ...handlers,
  });
  const view = renderScreen(<NotificationsPage />, fake, { path, route: "/settings/notifications" });
  return { fake, view, user: userEvent.setup() };
}

describe("words", () => {
  test("offsets", () => {
    expect(describeOffsets([120, 1440])).toBe("24 hours and 2 hours before");
    expect(parseOffset("1.5", "hours")).toEqual({ minutes: 90 });
    expect(parseOffset("10", "minutes")).toEqual({ error: "Reminders go at least 15 minutes before." });
  });
  test("placeholders", () => {
    expect(insertPlaceholder("Hi !", 3, 3, "customer_name")).toEqual({ text: "Hi {customer_name}!", caret: 18 });
    expect(fillTemplate("{{literal}} {customer_name} {unknown}", { customer_name: "Alex" })).toBe("{literal} Alex {unknown}");
  });
});

describe("settings", () => {
  test("shows the settings tabs, the channels and the reminders", async () => {
    page();
    expect(await screen.findByLabelText("Send e-mails")).toBeChecked();
    const tabs = screen.getByRole("navigation", { name: "Settings" });
    expect(within(tabs).getByRole("link", { name: "Business" })).toHaveAttribute("href", "/settings");
    expect(within(tabs).getByRole("link", { name: "Notifications" })).toHaveAttribute("aria-current", "page");
    expect(within(tabs).getByRole("link", { name: "Team" })).toHaveAttribute("href", "/team");
    expect(screen.getByText("Reminders go 24 hours and 2 hours before the appointment.")).toBeInTheDocument();
    expect(screen.getByText("No token yet")).toBeInTheDocument();
  });

  test("sends only what changed, with the version, and the write-only token", async () => {
    const { fake, user } = page({ "PUT /notifications/settings": (req) => ({ body: { ...SETTINGS, ...(req.body as object), whatsapp_access_token_set: true, version: 5 } }) });
    await user.click(await screen.findByLabelText("Send WhatsApp messages"));
    await user.click(screen.getByLabelText(/Phone number ID/));
    await user.paste("104857362910384");
    await user.click(screen.getByLabelText(/Access token/));
    await user.paste("EAAG-a-long-enough-token-value");
    await user.click(screen.getByRole("button", { name: "Remove the reminder 2 hours before" }));
    await user.type(screen.getByLabelText("How long before the appointment"), "30");
    await user.selectOptions(screen.getByLabelText("Unit"), "minutes");
    await user.click(screen.getByRole("button", { name: "Add reminder" }));
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Notification settings saved.")).toBeInTheDocument();
    expect(fake.callsTo("PUT /notifications/settings")[0]?.body).toEqual({
      whatsapp_enabled: true,
      whatsapp_phone_number_id: "104857362910384",
      whatsapp_access_token: "EAAG-a-long-enough-token-value",
      reminder_offsets_min: [1440, 30],
      version: 4,
    });
    // The form starts again from the saved settings: the token is stored and not shown.
    expect(await screen.findByText("Token stored")).toBeInTheDocument();
    expect(screen.getByLabelText(/Access token/)).toHaveValue("");
  }, 15_000);

  test("nothing changed: nothing is sent", async () => {
    const { fake, user } = page();
    await user.click(await screen.findByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Nothing to save: no changes.")).toBeInTheDocument();
    expect(fake.callsTo("PUT /notifications/settings")).toHaveLength(0);
  });

  test("a reminder the API would refuse is explained before sending", async () => {
    const { user } = page();
    await user.type(await screen.findByLabelText("How long before the appointment"), "5");
    await user.selectOptions(screen.getByLabelText("Unit"), "minutes");
    await user.click(screen.getByRole("button", { name: "Add reminder" }));
    expect(screen.getByText("Reminders go at least 15 minutes before.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("How long before the appointment"), "0");
    expect(screen.queryByText("Reminders go at least 15 minutes before.")).not.toBeInTheDocument();
  });

  test("a 422 goes onto its fields and clears when fixed", async () => {
    const { user } = page({ "PUT /notifications/settings": invalid({ sender_name: "Expected `str` of length <= 100", "reminder_offsets_min.1": "Expected `int` >= 15" }) });
    await user.type(await screen.findByLabelText(/Sender name/), "Bella");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Use at most 100 characters.")).toBeInTheDocument();
    expect(screen.getByText("Reminder 2: Use 15 or more.")).toBeInTheDocument();
    expect(screen.getByLabelText(/Sender name/)).toHaveAttribute("aria-invalid", "true");
    await user.type(screen.getByLabelText(/Sender name/), "!");
    await waitFor(() => expect(screen.queryByText("Use at most 100 characters.")).not.toBeInTheDocument());
    await user.click(screen.getByRole("button", { name: "Remove the reminder 2 hours before" }));
    await waitFor(() => expect(screen.queryByText("Reminder 2: Use 15 or more.")).not.toBeInTheDocument());
  });

  test("a wrong phone number ID is caught before sending", async () => {
    const { fake, user } = page();
    await user.type(await screen.findByLabelText(/Phone number ID/), "+44 7700 900123");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText(/Digits only \(5 to 32\)/)).toBeInTheDocument();
    expect(fake.callsTo("PUT /notifications/settings")).toHaveLength(0);
  });

  test("a stale version offers to reload", async () => {
    const { fake, user } = page({
      "PUT /notifications/settings": { status: 409, body: { error: { code: "stale_version", message: "Changed meanwhile.", details: {} } } },
    });
    await user.type(await screen.findByLabelText(/Sender name/), "Bella");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText(/These settings changed elsewhere/)).toBeInTheDocument();
    fake.on("GET /notifications/settings", { body: { ...SETTINGS, sender_name: "Bella's", version: 5 } });
    await user.click(screen.getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(screen.getByLabelText(/Sender name/)).toHaveValue("Bella's"));
    expect(screen.queryByText(/These settings changed elsewhere/)).not.toBeInTheDocument();
  });

  test("WhatsApp outside the plan: the switch is off limits and a refusal says why", async () => {
    const { user } = page({}, "owner", { whatsapp: false });
    expect(await screen.findByLabelText("Send WhatsApp messages")).toBeDisabled();
    expect(screen.getByText("Not in your plan")).toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: "Compare plans" })[0]).toHaveAttribute("href", "/settings/plans");
    await user.type(screen.getByLabelText(/Phone number ID/), "104857362910384");
    expect(screen.getByLabelText(/Phone number ID/)).toHaveValue("104857362910384");
  });

  test("a plan refusal is shown as such", async () => {
    const { user } = page({
      "PUT /notifications/settings": {
        status: 403,
        body: { error: { code: "plan_required", message: "Your plan does not include this feature.", details: { feature: "whatsapp", current: false, plan: "basic", upgrade_to: "pro" } } },
      },
    });
    await user.click(await screen.findByLabelText("Send WhatsApp messages"));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findAllByText("WhatsApp messages are not included in the Basic plan. Upgrade to Pro to use them.")).toHaveLength(2);
    expect(screen.getByRole("link", { name: "Compare plans" })).toHaveAttribute("href", "/settings/plans");
  });

  test("staff see the settings but cannot change them, and no Team tab", async () => {
    page({}, "staff");
    expect(await screen.findByLabelText("Send e-mails")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save changes" })).not.toBeInTheDocument();
    expect(screen.getByText(/Only admins and owners can change the settings/)).toBeInTheDocument();
    expect(within(screen.getByRole("navigation", { name: "Settings" })).queryByRole("link", { name: "Team" })).not.toBeInTheDocument();
  });

  test("a failed load offers to try again", async () => {
    const { fake, user } = page({ "GET /notifications/settings": { status: 500, body: { error: { code: "internal", message: "Boom.", details: {} } } } });
    expect(await screen.findByText(/Couldn't load the notification settings/)).toBeInTheDocument();
    fake.on("GET /notifications/settings", { body: SETTINGS });
    await user.click(screen.getAllByRole("button", { name: "Try again" })[0] as HTMLElement);
    expect(await screen.findByLabelText("Send e-mails")).toBeChecked();
  });
});

describe("templates", () => {
  test("lists each message by channel", async () => {
    page();
    const row = (await screen.findByRole("rowheader", { name: /Booking confirmed/ })).closest("tr") as HTMLElement;
    expect(within(row).getByText("Your booking at {business_name}")).toBeInTheDocument();
    expect(within(row).getByText("booking_confirmed (en)")).toBeInTheDocument();
    expect(within(row).getByText("Custom")).toBeInTheDocument();
  });

  test("edits an e-mail: a placeholder goes in, the preview fills it, the body is sent", async () => {
    const { fake, user } = page({
      "PUT /notifications/templates/{template_key}": (req) => ({ body: { ...EMAIL_TEMPLATE, custom: true, version: 1, content: req.body as object } }),
    });
    await user.click(await screen.findByRole("button", { name: "Edit Booking confirmed by E-mail" }));
    const dialog = screen.getByRole("dialog");
    const subject = within(dialog).getByLabelText("Subject");
    await user.clear(subject);
    await user.type(subject, "See you soon, ");
    await user.click(within(dialog).getByRole("button", { name: /Insert \{customer_name\}/ }));
    await waitFor(() => expect(subject).toHaveValue("See you soon, {customer_name}"));
    expect(within(dialog).getByTestId("preview")).toHaveTextContent("See you soon, Alex Morgan");
    expect(within(dialog).getByTestId("preview")).toHaveTextContent("Hello Alex Morgan");
    await user.click(within(dialog).getByRole("button", { name: "Save template" }));
    expect(await screen.findByText("Booking confirmed (E-mail) saved.")).toBeInTheDocument();
    expect(fake.callsTo("PUT /notifications/templates/{template_key}")[0]?.path).toBe("/notifications/templates/booking_confirmed.email");
    expect(fake.callsTo("PUT /notifications/templates/{template_key}")[0]?.body).toEqual({
      subject: "See you soon, {customer_name}",
      body: "Hello {customer_name}, see you {start_time}.",
    });
    const row = screen.getByRole("rowheader", { name: /Booking confirmed/ }).closest("tr") as HTMLElement;
    expect(within(row).getByText("See you soon, {customer_name}")).toBeInTheDocument();
  });

  test("a custom WhatsApp template is saved with its version; its 422 lands on the field", async () => {
    const { fake, user } = page({ "PUT /notifications/templates/{template_key}": invalid({ language: "Expected `str` matching regex '^[a-z]{2,3}(_[A-Z]{2})?$'" }) });
    await user.click(await screen.findByRole("button", { name: "Edit Booking confirmed by WhatsApp" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Move {{2}} up" }));
    await user.click(within(dialog).getByRole("button", { name: "Add variable" }));
    await user.click(within(dialog).getByRole("button", { name: "Save template" }));
    expect(await within(dialog).findByText("Use a WhatsApp language code such as en, en_GB or pt_BR.")).toBeInTheDocument();
    expect(fake.callsTo("PUT /notifications/templates/{template_key}")[0]?.body).toEqual({
      name: "booking_confirmed",
      language: "en",
      parameters: ["start_time", "customer_name", "customer_name"],
      version: 2,
    });
    await user.type(within(dialog).getByLabelText("Language"), "_GB");
    await waitFor(() => expect(within(dialog).queryByText("Use a WhatsApp language code such as en, en_GB or pt_BR.")).not.toBeInTheDocument());
  });

  test("resets a custom template after asking", async () => {
    const { fake, user } = page({ "DELETE /notifications/templates/{template_key}": { status: 204 } });
    await user.click(await screen.findByRole("button", { name: "Edit Booking confirmed by WhatsApp" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Reset to default" }));
    expect(within(dialog).getByText("Go back to the default wording?")).toBeInTheDocument();
    fake.on("GET /notifications/templates", { body: { items: [EMAIL_TEMPLATE, { ...WHATSAPP_TEMPLATE, custom: false, version: null }], next_cursor: null } });
    await user.click(within(dialog).getByRole("button", { name: "Yes, reset" }));
    expect(await screen.findByText("Booking confirmed (WhatsApp) is back to the default wording.")).toBeInTheDocument();
    expect(fake.callsTo("DELETE /notifications/templates/{template_key}")[0]?.path).toBe("/notifications/templates/booking_confirmed.whatsapp");
    await waitFor(() => expect(screen.queryByText("Custom")).not.toBeInTheDocument());
  });

  test("without the plan, templates can be read but not changed", async () => {
    const { user } = page({}, "owner", { custom_templates: false });
    await user.click(await screen.findByRole("button", { name: "View Booking confirmed by E-mail" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByText(/Your plan does not include custom message templates/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Subject")).toBeDisabled();
    expect(within(dialog).queryByRole("button", { name: "Save template" })).not.toBeInTheDocument();
  });
});

describe("delivery log", () => {
  test("empty", async () => {
    page();
    expect(await screen.findByText(/No messages yet/)).toBeInTheDocument();
  });

  test("shows entries with their status and loads more a page at a time", async () => {
    const { fake, user } = page({
      "GET /notifications/log": (req) =>
        req.query.get("cursor") === "page-2"
          ? { body: { items: [delivery(3, { status: "failed", error: "Mailbox full", attempts: 3 })], next_cursor: null } }
          : { body: { items: [delivery(1), delivery(2, { channel: "whatsapp", status: "read", recipient: "+447700900123" })], next_cursor: "page-2" } },
    });
    expect(await screen.findByText("customer1@mail.test")).toBeInTheDocument();
    expect(screen.getByText("Read")).toBeInTheDocument();
    expect(screen.getByRole("columnheader", { name: "Time (London)" })).toBeInTheDocument();
    expect(screen.getAllByText(formatDateTime("2026-12-01T09:30:00Z", "Europe/London", navigator.language))).toHaveLength(2);
    await user.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByText("Mailbox full")).toBeInTheDocument();
    expect(screen.getByText("3 attempts")).toBeInTheDocument();
    expect(screen.getByText("That's every message.")).toBeInTheDocument();
    const calls = fake.callsTo("GET /notifications/log");
    expect(calls[0]?.query.get("limit")).toBe("25");
    expect(calls[0]?.query.get("cursor")).toBeNull();
    expect(calls[1]?.query.get("cursor")).toBe("page-2");
  });

  test("filters by the appointment in the address", async () => {
    const { fake } = page({}, "owner", {}, "/settings/notifications?appointment_id=7d000000-0000-4000-8000-000000000001");
    expect(await screen.findByText("No messages for this filter yet.")).toBeInTheDocument();
    expect(fake.callsTo("GET /notifications/log")[0]?.query.get("appointment_id")).toBe("7d000000-0000-4000-8000-000000000001");
    expect(screen.getByRole("link", { name: "Show all" })).toHaveAttribute("href", "/settings/notifications");
  });
});
