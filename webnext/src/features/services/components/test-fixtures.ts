// Realistic API bodies for the services and locations tests (shapes from openapi.json, values from
// the demo salon).
import type { Schemas } from "../../../lib/api-client";

export function meFixture(role: Schemas["Me"]["role"] = "owner"): Schemas["Me"] {
  return {
    user: { id: "2c676430-35ba-4267-a6d0-f94218a67249", email: "owner@demo-salon.test", name: "Dana Demo", email_verified: true },
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
        buffer_after_min: 10,
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

export const AMARA = "098f0c24-eb84-47e2-95cd-9e765eeeba0a";
export const BEN = "1144ace4-c597-4aa7-b38d-474fb69c77e2";
export const CLEO = "e06f8e58-8064-4325-aae4-51a0b483e219";

export function staffFixture(id: string, name: string, overrides: Partial<Schemas["StaffMember"]> = {}): Schemas["StaffMember"] {
  return {
    id,
    name,
    email: `${name.split(" ")[0]?.toLowerCase()}@demo-salon.test`,
    phone: null,
    bio: null,
    time_zone: null,
    user_id: null,
    location_ids: ["dc0e2344-a94d-46e1-8eb4-78f1092181ea"],
    bookable: true,
    active: true,
    photo_key: null,
    version: 1,
    created_at: "2026-12-02T13:43:14.937746+00:00",
    updated_at: "2026-12-02T13:43:14.937746+00:00",
    ...overrides,
  };
}

export const staffPage = (items: Schemas["StaffMember"][]) => ({ items, next_cursor: null });

export function serviceFixture(overrides: Partial<Schemas["Service"]> = {}): Schemas["Service"] {
  return {
    id: "278a6f02-a058-4b3a-bcd4-a468500cebe3",
    name: "Haircut",
    description: "Wash, cut and finish.",
    category: "Hair",
    color: "#4f46e5",
    duration_min: 45,
    price: { amount: 4500, currency: "GBP" },
    capacity: 1,
    requires_confirmation: false,
    staff: [
      { staff_id: AMARA, duration_min: null, price: null },
      { staff_id: BEN, duration_min: 60, price: { amount: 5500, currency: "GBP" } },
    ],
    buffer_before_min: null,
    buffer_after_min: null,
    active: true,
    bookable_online: true,
    intake_form_id: null,
    archived: false,
    archived_at: null,
    version: 2,
    created_at: "2026-12-02T13:43:14.987980+00:00",
    updated_at: "2026-12-02T13:43:14.994661+00:00",
    ...overrides,
  };
}

export const servicePage = (items: Schemas["Service"][]) => ({ items, next_cursor: null });

export function locationFixture(overrides: Partial<Schemas["Location"]> = {}): Schemas["Location"] {
  return {
    id: "dc0e2344-a94d-46e1-8eb4-78f1092181ea",
    name: "Soho",
    address: "12 Greek Street, London W1D 4DJ",
    phone: "+44 20 7946 0012",
    time_zone: "Europe/London",
    opening_hours: [
      ...[1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: "09:00", closes: "19:00" })),
      { weekday: 6, opens: "09:00", closes: "17:00" },
    ],
    archived: false,
    archived_at: null,
    version: 1,
    created_at: "2026-12-02T13:43:14.926581+00:00",
    updated_at: "2026-12-02T13:43:14.926581+00:00",
    ...overrides,
  };
}

export const locationPage = (items: Schemas["Location"][]) => ({ items, next_cursor: null });

/** The API's 409 for a PATCH carrying an old `version`. */
export function staleVersion(what: string) {
  return {
    status: 409,
    body: { error: { code: "stale_version", message: `The ${what} was changed by someone else; reload and try again.`, details: {} } },
  };
}
