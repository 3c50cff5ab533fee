// Realistic answers of the lists the checklist and the dashboard read (shapes from openapi.json).
import type { Schemas } from "../../lib/api-client";

const STAMP = "2026-12-02T13:43:14.926581+00:00";

export const page = <T,>(items: T[]) => ({ items, next_cursor: null });

export function aLocation(overrides: Partial<Schemas["Location"]> = {}): Schemas["Location"] {
  return {
    id: "dc0e2344-a94d-46e1-8eb4-78f1092181ea",
    name: "Soho",
    address: "12 Greek Street, London W1D 4DJ",
    phone: "+44 20 7946 0012",
    time_zone: "Europe/London",
    opening_hours: [
      { weekday: 1, opens: "09:00", closes: "19:00" },
      { weekday: 2, opens: "09:00", closes: "19:00" },
    ],
    archived: false,
    archived_at: null,
    version: 1,
    created_at: STAMP,
    updated_at: STAMP,
    ...overrides,
  };
}

export function aService(overrides: Partial<Schemas["Service"]> = {}): Schemas["Service"] {
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
    staff: [{ staff_id: "12da215c-cb88-4212-83ee-9d14cf195604", duration_min: null, price: null }],
    buffer_before_min: null,
    buffer_after_min: null,
    active: true,
    bookable_online: true,
    intake_form_id: null,
    archived: false,
    archived_at: null,
    version: 1,
    created_at: STAMP,
    updated_at: STAMP,
    ...overrides,
  };
}

export function aStaffMember(overrides: Partial<Schemas["StaffMember"]> = {}): Schemas["StaffMember"] {
  return {
    id: "12da215c-cb88-4212-83ee-9d14cf195604",
    name: "Dana Demo",
    email: "owner@demo-salon.test",
    phone: "+44 7700 900001",
    bio: null,
    time_zone: null,
    user_id: null,
    location_ids: ["dc0e2344-a94d-46e1-8eb4-78f1092181ea"],
    bookable: true,
    active: true,
    photo_key: null,
    version: 1,
    created_at: STAMP,
    updated_at: STAMP,
    ...overrides,
  };
}

export function aSchedule(withHours: boolean): Schemas["Schedule"] {
  return {
    weekly: withHours ? [{ location_id: "dc0e2344-a94d-46e1-8eb4-78f1092181ea", weekday: 3, start: "09:00", end: "17:00", breaks: [{ start: "12:00", end: "12:30" }] }] : [],
    overrides: [],
  };
}

export function anAppointment(overrides: Partial<Schemas["NamedAppointment"]> = {}): Schemas["NamedAppointment"] {
  return {
    id: "8356200c-ca73-49c4-8a29-3ed37a5c10c3",
    status: "confirmed",
    start_at: "2026-12-02T09:00:00+00:00",
    end_at: "2026-12-02T09:45:00+00:00",
    service_id: "278a6f02-a058-4b3a-bcd4-a468500cebe3",
    staff_id: "12da215c-cb88-4212-83ee-9d14cf195604",
    location_id: "dc0e2344-a94d-46e1-8eb4-78f1092181ea",
    customer_id: "1b49d1c7-2bc2-46c8-a236-5bdf30402850",
    series_id: null,
    price: { amount: 4500, currency: "GBP" },
    notes: null,
    source: "online",
    cancel_reason: null,
    cancelled_by: null,
    cancelled_at: null,
    version: 1,
    created_at: "2026-11-29T07:15:00+00:00",
    updated_at: "2026-11-29T07:15:00+00:00",
    internal_notes: null,
    customer: { id: "1b49d1c7-2bc2-46c8-a236-5bdf30402850", name: "Leila Murphy", email: "leila.murphy@example.com", phone: "+44 7700 900125" },
    ...overrides,
  };
}
