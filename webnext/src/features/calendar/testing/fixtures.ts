// Answers of the API as the calendar's tests see them, shaped as /system/openapi.json says (copied
// from the demo API's answers).
import type { Schemas } from "../../../lib/api-client";

export const LONDON = "Europe/London";
export const SHOP = "dc0e2344-a94d-46e1-8eb4-78f1092181ea";
export const AMARA = "098f0c24-eb84-47e2-95cd-9e765eeeba0a";
export const DANA = "12da215c-cb88-4212-83ee-9d14cf195604";
export const HAIRCUT = "278a6f02-a058-4b3a-bcd4-a468500cebe3";
export const COLOUR = "62b26256-a6c5-4ac8-b3b2-0b230ea1d1c4";

export function me(role: Schemas["Me"]["role"] = "owner", userId = "2c676430-35ba-4267-a6d0-f94218a67249"): Schemas["Me"] {
  return {
    user: { id: userId, email: "owner@demo-salon.test", name: "Dana Demo", email_verified: true },
    role,
    business: {
      id: "82d0be44-4917-4173-9823-5fdd62336d58",
      name: "Demo Salon",
      slug: "demo-salon",
      time_zone: LONDON,
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

export function staffMember(id: string, name: string, extra: Partial<Schemas["StaffMember"]> = {}): Schemas["StaffMember"] {
  return {
    id,
    name,
    email: null,
    phone: null,
    bio: null,
    time_zone: null,
    user_id: null,
    location_ids: [SHOP],
    bookable: true,
    active: true,
    photo_key: null,
    version: 1,
    created_at: "2026-12-02T13:43:14.931170+00:00",
    updated_at: "2026-12-02T13:43:14.931170+00:00",
    ...extra,
  };
}

export function service(id: string, name: string, color: string | null): Schemas["Service"] {
  return {
    id,
    name,
    description: null,
    category: "Hair",
    color,
    duration_min: 45,
    price: { amount: 4500, currency: "GBP" },
    capacity: 1,
    requires_confirmation: false,
    staff: [],
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
  };
}

export const location: Schemas["Location"] = {
  id: SHOP,
  name: "High Street",
  address: "1 High Street, London",
  phone: null,
  time_zone: LONDON,
  opening_hours: null,
  archived: false,
  archived_at: null,
  version: 1,
  created_at: "2026-12-02T13:43:14.931170+00:00",
  updated_at: "2026-12-02T13:43:14.931170+00:00",
};

let next = 0;

export function appointment(
  start_at: string,
  end_at: string,
  extra: Partial<Schemas["NamedAppointment"]> = {},
): Schemas["NamedAppointment"] {
  next += 1;
  return {
    id: `a0000000-0000-4000-8000-${String(next).padStart(12, "0")}`,
    status: "confirmed",
    start_at,
    end_at,
    service_id: HAIRCUT,
    staff_id: AMARA,
    location_id: SHOP,
    customer_id: "e8b8eb5e-da8e-4988-86a8-4e0cb130fab1",
    series_id: null,
    price: { amount: 4500, currency: "GBP" },
    notes: null,
    source: "staff",
    cancel_reason: null,
    cancelled_by: null,
    cancelled_at: null,
    version: 3,
    created_at: "2026-11-22T01:35:00+00:00",
    updated_at: "2026-12-01T11:20:00+00:00",
    internal_notes: null,
    customer: { id: "e8b8eb5e-da8e-4988-86a8-4e0cb130fab1", name: "Oscar Smith", email: "oscar.smith@example.com", phone: "+44 7700 900148" },
    ...extra,
  };
}

/** Monday to Friday 09:00–17:00 with a 12:30–13:00 lunch break, at the shop. */
export function weekdays(overrides: Schemas["Schedule"]["overrides"] = []): Schemas["Schedule"] {
  return {
    weekly: [1, 2, 3, 4, 5].map((weekday) => ({
      location_id: SHOP,
      weekday,
      start: "09:00",
      end: "17:00",
      breaks: [{ start: "12:30", end: "13:00" }],
    })),
    overrides,
  };
}

export function timeOff(starts_at: string, ends_at: string, extra: Partial<Schemas["TimeOff"]> = {}): Schemas["TimeOff"] {
  return {
    id: "70000000-0000-4000-8000-000000000001",
    staff_id: AMARA,
    all_day: false,
    starts_at,
    ends_at,
    start_date: null,
    end_date: null,
    kind: "training",
    note: null,
    created_at: "2026-11-22T01:35:00+00:00",
    ...extra,
  };
}

export const page = <T,>(items: T[], next_cursor: string | null = null) => ({ items, next_cursor });
