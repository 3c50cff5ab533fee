// Realistic API bodies for the customers tests (shapes as GET /customers, /customers/{id} and
// /auth/me answer them on the demo business).
import type { Schemas } from "../../../lib/api-client";
import type { Customer, CustomerRecord } from "../api/customers";

export const OWNER_ID = "2c676430-35ba-4267-a6d0-f94218a67249";

export function customer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: "67ff8f77-0c9f-46fe-aff0-b139482ab0e0",
    name: "Amelia Walker",
    email: "amelia.walker@example.com",
    phone: "+44 7700 900144",
    phone_normalized: "+447700900144",
    tags: ["sensitive-scalp", "colour"],
    locale: "en",
    preferred_channel: "email",
    marketing_opt_in: true,
    terms_accepted: true,
    terms_accepted_at: "2026-12-02T13:43:15.193476+00:00",
    erased_at: null,
    version: 3,
    created_at: "2026-12-02T13:43:15.193476+00:00",
    updated_at: "2026-12-02T13:43:15.193476+00:00",
    ...overrides,
  };
}

export function record(overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    ...customer(),
    notes: [
      {
        id: "0b6f7f0e-5a43-4a7b-9a39-0d4f1c7f2d11",
        body: "Prefers the quiet chair by the window.",
        author: { id: OWNER_ID, name: "Dana Demo" },
        created_at: "2026-12-01T10:05:00+00:00",
      },
    ],
    consents: [
      { kind: "marketing", granted: true, status: "granted", source: "staff", actor_id: OWNER_ID, recorded_at: "2026-12-02T13:43:15.193476+00:00" },
      { kind: "terms", granted: true, status: "granted", source: "booking_page", actor_id: null, recorded_at: "2026-11-20T09:00:00+00:00" },
    ],
    ...overrides,
  };
}

export function appointment(overrides: Partial<Schemas["Appointment"]> = {}): Schemas["Appointment"] {
  return {
    id: "554d1c47-19ae-46c4-9d00-d0d34a8b41ce",
    status: "confirmed",
    start_at: "2026-12-15T16:15:00+00:00",
    end_at: "2026-12-15T17:00:00+00:00",
    service_id: "278a6f02-a058-4b3a-bcd4-a468500cebe3",
    staff_id: "098f0c24-eb84-47e2-95cd-9e765eeeba0a",
    location_id: "dc0e2344-a94d-46e1-8eb4-78f1092181ea",
    customer_id: "67ff8f77-0c9f-46fe-aff0-b139482ab0e0",
    series_id: null,
    price: { amount: 4500, currency: "GBP" },
    notes: null,
    source: "staff",
    cancel_reason: null,
    cancelled_by: null,
    cancelled_at: null,
    version: 1,
    created_at: "2026-12-02T13:43:18.326157+00:00",
    updated_at: "2026-12-02T13:43:18.326157+00:00",
    internal_notes: null,
    ...overrides,
  };
}

export function me(role: Schemas["Me"]["role"] = "owner"): Schemas["Me"] {
  return {
    user: { id: OWNER_ID, email: "owner@demo-salon.test", name: "Dana Demo", email_verified: true },
    role,
    business: {
      id: "82d0be44-4917-4173-9823-5fdd62336d58",
      name: "Demo Salon",
      slug: "demo-salon",
      time_zone: "Europe/London",
      currency: "GBP",
      locale: "en",
      contact: { email: "owner@demo-salon.test", phone: null, website: null, address: null },
      logo_key: null,
      booking_policy: {
        slot_interval_min: 15,
        min_notice_min: 60,
        max_advance_days: 90,
        cancel_cutoff_min: 1440,
        reschedule_cutoff_min: 1440,
        auto_confirm: true,
        buffer_before_min: 0,
        buffer_after_min: 0,
      },
      plan: "trial",
      status: "active",
      trial_ends_at: "2026-12-16T13:43:14.786246+00:00",
      version: 2,
      created_at: "2026-12-02T13:43:14.786246+00:00",
      updated_at: "2026-12-02T13:44:16.232464+00:00",
    },
    plan: "trial",
    features: {
      max_staff: 10,
      max_locations: 3,
      whatsapp: true,
      google_calendar: true,
      campaigns: true,
      intake_forms: true,
      analytics: true,
      custom_templates: true,
    },
  };
}

export function page<T>(items: T[], next_cursor: string | null = null) {
  return { items, next_cursor };
}
