// Realistic API bodies for every feature's tests: the demo salon as the demo API answers it (shapes
// from openapi.json). Each factory returns a complete body; a test overrides only what it is about.
import type { Schemas } from "../lib/api-client";

/** Ids of the demo salon's records, so that references between bodies line up. */
export const IDS = {
  business: "82d0be44-4917-4173-9823-5fdd62336d58",
  owner: "2c676430-35ba-4267-a6d0-f94218a67249",
  soho: "dc0e2344-a94d-46e1-8eb4-78f1092181ea",
  haircut: "278a6f02-a058-4b3a-bcd4-a468500cebe3",
  colour: "62b26256-a6c5-4ac8-b3b2-0b230ea1d1c4",
  dana: "12da215c-cb88-4212-83ee-9d14cf195604",
  amara: "098f0c24-eb84-47e2-95cd-9e765eeeba0a",
  ben: "1144ace4-c597-4aa7-b38d-474fb69c77e2",
  cleo: "e06f8e58-8064-4325-aae4-51a0b483e219",
  customer: "67ff8f77-0c9f-46fe-aff0-b139482ab0e0",
  appointment: "554d1c47-19ae-46c4-9d00-d0d34a8b41ce",
} as const;

const CREATED = "2026-12-02T13:43:14.786246+00:00";

export function business(overrides: Partial<Schemas["Business"]> = {}): Schemas["Business"] {
  return {
    id: IDS.business,
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
    created_at: CREATED,
    updated_at: "2026-12-02T13:44:16.232464+00:00",
    ...overrides,
  };
}

/** GET /auth/me of the owner on the trial (which unlocks every feature). */
export function me(overrides: Partial<Schemas["Me"]> = {}): Schemas["Me"] {
  const biz = overrides.business ?? business();
  return {
    user: { id: IDS.owner, email: "owner@demo-salon.test", name: "Dana Demo", email_verified: true },
    role: "owner",
    business: biz,
    plan: biz.plan,
    features: {
      max_staff: 10,
      max_locations: 3,
      whatsapp: true,
      google_calendar: true,
      campaigns: true,
      intake_forms: true,
      analytics: true,
      custom_templates: true,
      reviews: true,
      waitlist: true,
      data_export: true,
      api_access: false,
      max_bookings_per_month: 2000,
      max_messages_per_month: 500,
    },
    platform_operator: false,
    ...overrides,
  };
}

export function location(overrides: Partial<Schemas["Location"]> = {}): Schemas["Location"] {
  return {
    id: IDS.soho,
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

export function service(overrides: Partial<Schemas["Service"]> = {}): Schemas["Service"] {
  return {
    id: IDS.haircut,
    name: "Haircut",
    description: "Wash, cut and finish.",
    category: "Hair",
    color: "#4f46e5",
    duration_min: 45,
    price: { amount: 4500, currency: "GBP" },
    capacity: 1,
    requires_confirmation: false,
    staff: [
      { staff_id: IDS.amara, duration_min: null, price: null },
      { staff_id: IDS.ben, duration_min: 60, price: { amount: 5500, currency: "GBP" } },
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

/** Dana, the owner, who also takes bookings at Soho. */
export function staffMember(overrides: Partial<Schemas["StaffMember"]> = {}): Schemas["StaffMember"] {
  return {
    id: IDS.dana,
    name: "Dana Demo",
    email: "owner@demo-salon.test",
    phone: "+44 7700 900001",
    bio: "Owner. Consultations, cuts and the odd blow-dry.",
    time_zone: null,
    user_id: IDS.owner,
    location_ids: [IDS.soho],
    bookable: true,
    active: true,
    photo_key: null,
    version: 3,
    created_at: "2026-12-02T13:43:14.931170+00:00",
    updated_at: "2026-12-02T13:43:14.931170+00:00",
    ...overrides,
  };
}

/** A staff member without a login of their own, as most of the team are. */
export function stylist(id: string, name: string, overrides: Partial<Schemas["StaffMember"]> = {}): Schemas["StaffMember"] {
  return staffMember({ id, name, email: null, phone: null, bio: null, user_id: null, version: 1, ...overrides });
}

export function customer(overrides: Partial<Schemas["chalicelib.customers.routes.Customer"]> = {}): Schemas["chalicelib.customers.routes.Customer"] {
  return {
    id: IDS.customer,
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

/** GET /customers/{id}: the customer with a note and the consent history. */
export function customerRecord(overrides: Partial<Schemas["CustomerRecord"]> = {}): Schemas["CustomerRecord"] {
  return {
    ...customer(),
    notes: [
      {
        id: "0b6f7f0e-5a43-4a7b-9a39-0d4f1c7f2d11",
        body: "Prefers the quiet chair by the window.",
        author: { id: IDS.owner, name: "Dana Demo" },
        created_at: "2026-12-01T10:05:00+00:00",
      },
    ],
    consents: [
      { kind: "marketing", granted: true, status: "granted", source: "staff", actor_id: IDS.owner, recorded_at: "2026-12-02T13:43:15.193476+00:00" },
      { kind: "terms", granted: true, status: "granted", source: "booking_page", actor_id: null, recorded_at: "2026-11-20T09:00:00+00:00" },
    ],
    ...overrides,
  };
}

export function appointment(overrides: Partial<Schemas["Appointment"]> = {}): Schemas["Appointment"] {
  return {
    id: IDS.appointment,
    status: "confirmed",
    start_at: "2026-12-15T16:15:00+00:00",
    end_at: "2026-12-15T17:00:00+00:00",
    service_id: IDS.haircut,
    staff_id: IDS.amara,
    location_id: IDS.soho,
    customer_id: IDS.customer,
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

/** An appointment as the public routes show it to its customer: without the team's notes. */
export function publicAppointment(overrides: Partial<Schemas["PublicAppointment"]> = {}): Schemas["PublicAppointment"] {
  const { internal_notes: _team, ...rest } = appointment({ source: "online" });
  return { ...rest, ...overrides };
}

/** A second customer, as appointment lists name him. */
export const OSCAR: Schemas["CustomerBrief"] = {
  id: "e8b8eb5e-da8e-4988-86a8-4e0cb130fab1",
  name: "Oscar Smith",
  email: "oscar.smith@example.com",
  phone: "+44 7700 900148",
};

/** An appointment as the lists send it: with the customer's brief. */
export function namedAppointment(overrides: Partial<Schemas["NamedAppointment"]> = {}): Schemas["NamedAppointment"] {
  const c = customer();
  return {
    ...appointment(),
    customer: { id: c.id, name: c.name, email: c.email, phone: c.phone },
    ...overrides,
  };
}

export function member(overrides: Partial<Schemas["Member"]> = {}): Schemas["Member"] {
  return {
    user_id: IDS.owner,
    email: "owner@demo-salon.test",
    name: "Dana Demo",
    role: "owner",
    email_verified: true,
    joined_at: CREATED,
    ...overrides,
  };
}

export function team(items: Schemas["Member"][], invitations: Schemas["OpenInvitation"][] = [], next_cursor: string | null = null): Schemas["Team"] {
  return { items, next_cursor, invitations };
}

/** A staff member's week: Monday to Friday 09:00–17:00 at Soho with a 12:30–13:00 lunch break. */
export function schedule(overrides: Partial<Schemas["Schedule"]> = {}): Schemas["Schedule"] {
  return {
    weekly: [1, 2, 3, 4, 5].map((weekday) => ({
      location_id: IDS.soho,
      weekday,
      start: "09:00",
      end: "17:00",
      breaks: [{ start: "12:30", end: "13:00" }],
    })),
    overrides: [],
    ...overrides,
  };
}

export function timeOff(overrides: Partial<Schemas["TimeOff"]> = {}): Schemas["TimeOff"] {
  return {
    id: "70000000-0000-4000-8000-000000000001",
    staff_id: IDS.amara,
    all_day: false,
    starts_at: "2026-12-03T14:00:00+00:00",
    ends_at: "2026-12-03T16:00:00+00:00",
    start_date: null,
    end_date: null,
    kind: "training",
    note: null,
    created_at: "2026-11-22T01:35:00+00:00",
    ...overrides,
  };
}

/** A 45-minute slot with Dana at Soho. */
export function slot(overrides: Partial<Schemas["Slot"]> & { start_at: string }): Schemas["Slot"] {
  return {
    end_at: new Date(Date.parse(overrides.start_at) + 45 * 60_000).toISOString(),
    staff_id: IDS.dana,
    location_id: IDS.soho,
    seats_left: 1,
    ...overrides,
  };
}

/** One page of a cursor-paged list. */
export function page<T>(items: T[], next_cursor: string | null = null) {
  return { items, next_cursor };
}

/** An error answer as the API sends it. */
export function refusal(status: number, code: string, message: string) {
  return { status, body: { error: { code, message, details: {} } } };
}

/** The API's 409 for a PATCH carrying an old `version`. */
export function staleVersion(what: string) {
  return refusal(409, "stale_version", `The ${what} was changed by someone else; reload and try again.`);
}
