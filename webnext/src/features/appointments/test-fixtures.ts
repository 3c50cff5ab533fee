// Realistic API bodies (shapes copied from the demo API's answers) for the appointment screens' tests.
import type { Schemas } from "../../lib/api-client";
import type { Handler } from "../../testing/fake-api";

export const IDS = {
  business: "82d0be44-4917-4173-9823-5fdd62336d58",
  me: "2c676430-35ba-4267-a6d0-f94218a67249",
  service: "278a6f02-a058-4b3a-bcd4-a468500cebe3",
  dana: "12da215c-cb88-4212-83ee-9d14cf195604",
  sam: "098f0c24-eb84-47e2-95cd-9e765eeeba0a",
  soho: "dc0e2344-a94d-46e1-8eb4-78f1092181ea",
  customer: "e8b8eb5e-da8e-4988-86a8-4e0cb130fab1",
  appointment: "64801758-f325-4b03-a225-0103df4d45e2",
  series: "5d1a3c7e-2f44-4b4e-9d61-0c7a1f2b9e11",
};

const stamp = "2026-11-22T01:35:00+00:00";

export const me: Schemas["Me"] = {
  user: { id: IDS.me, email: "owner@demo-salon.test", name: "Dana Demo", email_verified: true },
  role: "owner",
  business: {
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
    trial_ends_at: "2026-12-16T13:43:14+00:00",
    version: 2,
    created_at: stamp,
    updated_at: stamp,
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

export const service: Schemas["Service"] = {
  id: IDS.service,
  name: "Haircut",
  description: "Wash, cut and finish.",
  category: "Hair",
  color: "#4f46e5",
  duration_min: 45,
  price: { amount: 4500, currency: "GBP" },
  capacity: 1,
  requires_confirmation: false,
  staff: [
    { staff_id: IDS.dana, duration_min: null, price: null },
    { staff_id: IDS.sam, duration_min: 30, price: { amount: 3000, currency: "GBP" } },
  ],
  buffer_before_min: null,
  buffer_after_min: null,
  active: true,
  bookable_online: true,
  intake_form_id: null,
  archived: false,
  archived_at: null,
  version: 2,
  created_at: stamp,
  updated_at: stamp,
};

function staffMember(id: string, name: string): Schemas["StaffMember"] {
  return {
    id,
    name,
    email: null,
    phone: null,
    bio: null,
    time_zone: null,
    user_id: null,
    location_ids: [IDS.soho],
    bookable: true,
    active: true,
    photo_key: null,
    version: 1,
    created_at: stamp,
    updated_at: stamp,
  };
}

export const staff = [staffMember(IDS.dana, "Dana Demo"), staffMember(IDS.sam, "Sam Stylist")];

export const soho: Schemas["Location"] = {
  id: IDS.soho,
  name: "Soho",
  address: "12 Greek Street, London W1D 4DJ",
  phone: "+44 20 7946 0012",
  time_zone: "Europe/London",
  opening_hours: [{ weekday: 1, opens: "09:00", closes: "19:00" }],
  archived: false,
  archived_at: null,
  version: 1,
  created_at: stamp,
  updated_at: stamp,
};

export const customer: Schemas["CustomerRecord"] = {
  id: IDS.customer,
  name: "Oscar Smith",
  email: "oscar.smith@example.com",
  phone: "+44 7700 900148",
  phone_normalized: "+447700900148",
  tags: [],
  locale: null,
  preferred_channel: "email",
  marketing_opt_in: false,
  terms_accepted: false,
  terms_accepted_at: null,
  erased_at: null,
  version: 1,
  created_at: stamp,
  updated_at: stamp,
  notes: [],
  consents: [],
};

/** An appointment starting `hoursFromNow` hours from now (whole quarter hours), 45 minutes long. */
export function appointment(hoursFromNow: number, changes: Partial<Schemas["NamedAppointment"]> = {}): Schemas["NamedAppointment"] {
  const quarter = 15 * 60_000;
  const start = Math.round((Date.now() + hoursFromNow * 3_600_000) / quarter) * quarter;
  return {
    id: IDS.appointment,
    status: "confirmed",
    start_at: new Date(start).toISOString(),
    end_at: new Date(start + 45 * 60_000).toISOString(),
    service_id: IDS.service,
    staff_id: IDS.dana,
    location_id: IDS.soho,
    customer_id: IDS.customer,
    series_id: null,
    price: { amount: 4500, currency: "GBP" },
    notes: null,
    source: "staff",
    cancel_reason: null,
    cancelled_by: null,
    cancelled_at: null,
    version: 3,
    created_at: stamp,
    updated_at: stamp,
    internal_notes: null,
    customer: { id: IDS.customer, name: "Oscar Smith", email: "oscar.smith@example.com", phone: "+44 7700 900148" },
    ...changes,
  };
}

/** The answer of a change: the appointment without the customer brief. */
export function changed(a: Schemas["NamedAppointment"], changes: Partial<Schemas["Appointment"]>): Schemas["Appointment"] {
  const { customer: _brief, ...rest } = a;
  return { ...rest, ...changes, version: a.version + 1 };
}

export function slot(startAt: string, staffId: string = IDS.dana): Schemas["Slot"] {
  return { start_at: startAt, end_at: new Date(new Date(startAt).getTime() + 45 * 60_000).toISOString(), staff_id: staffId, location_id: IDS.soho, seats_left: 1 };
}

/** The reads every appointment screen makes. */
export function baseHandlers(): Record<string, Handler> {
  return {
    "GET /auth/me": { body: me },
    "GET /services": { body: { items: [service], next_cursor: null } },
    "GET /staff": { body: { items: staff, next_cursor: null } },
    "GET /locations": { body: { items: [soho], next_cursor: null } },
  };
}
