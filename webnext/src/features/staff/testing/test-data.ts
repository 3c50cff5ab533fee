// Answers of the API as it sends them (copied from the demo API), for the staff and team tests.
import type { Schemas } from "../../../lib/api-client";

export const OWNER_ID = "2c676430-35ba-4267-a6d0-f94218a67249";
export const SOHO = "dc0e2344-a94d-46e1-8eb4-78f1092181ea";
export const SHOREDITCH = "5b7a1c52-0d7e-4c55-9a0e-1f3f8f0b6a21";
export const DANA = "12da215c-cb88-4212-83ee-9d14cf195604";
export const AMARA = "098f0c24-eb84-47e2-95cd-9e765eeeba0a";

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

export function location(id: string, name: string, timeZone = "Europe/London"): Schemas["Location"] {
  return {
    id,
    name,
    address: "12 Greek Street, London W1D 4DJ",
    phone: "+44 20 7946 0012",
    time_zone: timeZone,
    opening_hours: [{ weekday: 1, opens: "09:00", closes: "19:00" }],
    archived: false,
    archived_at: null,
    version: 1,
    created_at: "2026-12-02T13:43:14.926581+00:00",
    updated_at: "2026-12-02T13:43:14.926581+00:00",
  };
}

export function staffMember(overrides: Partial<Schemas["StaffMember"]> = {}): Schemas["StaffMember"] {
  return {
    id: DANA,
    name: "Dana Demo",
    email: "owner@demo-salon.test",
    phone: "+44 7700 900001",
    bio: "Owner. Consultations, cuts and the odd blow-dry.",
    time_zone: null,
    user_id: OWNER_ID,
    location_ids: [SOHO],
    bookable: true,
    active: true,
    photo_key: null,
    version: 3,
    created_at: "2026-12-02T13:43:14.931170+00:00",
    updated_at: "2026-12-02T13:43:14.931170+00:00",
    ...overrides,
  };
}

export function member(overrides: Partial<Schemas["Member"]> = {}): Schemas["Member"] {
  return {
    user_id: OWNER_ID,
    email: "owner@demo-salon.test",
    name: "Dana Demo",
    role: "owner",
    email_verified: true,
    joined_at: "2026-12-02T13:43:14.786246+00:00",
    ...overrides,
  };
}

export function team(items: Schemas["Member"][], invitations: Schemas["OpenInvitation"][] = [], next_cursor: string | null = null): Schemas["Team"] {
  return { items, next_cursor, invitations };
}

export function page<T>(items: T[], next_cursor: string | null = null) {
  return { items, next_cursor };
}

export function refusal(status: number, code: string, message: string) {
  return { status, body: { error: { code, message, details: {} } } };
}
