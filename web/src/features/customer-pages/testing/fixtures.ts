// Realistic answers of the public routes (shapes from openapi.json), for the customer pages' tests.
import type { Managed, Profile, Slots } from "../api/public";
import { publicAppointment } from "../../../testing/fixtures";
import type { Slot } from "../utils/slots";

export const BUSINESS_ID = "82d0be44-4917-4173-9823-5fdd62336d58";
export const CUT = "8580d700-699e-4957-9e00-557836a93090";
export const COLOUR = "62b26256-a6c5-4ac8-b3b2-0b230ea1d1c4";
export const ANNA = "1144ace4-c597-4aa7-b38d-474fb69c77e2";
export const BEN = "e06f8e58-8064-4325-aae4-51a0b483e219";
export const SOHO = "5b7c8f0e-3d0a-4a51-9a8e-6f1f7c2d9b10";
export const CAMDEN = "0a3f6e2b-91c4-4f3e-b7d2-2c5e8a1f4d63";

export function profile(overrides: { maxAdvanceDays?: number; requiresConfirmation?: boolean } = {}): Profile {
  return {
    business: {
      id: BUSINESS_ID,
      name: "Demo Salon",
      slug: "demo-salon",
      time_zone: "Europe/London",
      currency: "GBP",
      locale: "en",
      contact: { email: "hello@demo-salon.test", phone: "+44 20 7946 0000", website: null, address: "1 High Street, London" },
      logo_key: `businesses/${BUSINESS_ID}/logo/abc.png`,
      booking_policy: {
        slot_interval_min: 15,
        min_notice_min: 60,
        max_advance_days: overrides.maxAdvanceDays ?? 20,
        cancel_cutoff_min: 1440,
        reschedule_cutoff_min: 1440,
        auto_confirm: true,
      },
    },
    services: [
      {
        id: CUT,
        name: "Cut, wash & blow-dry",
        description: "Wash, cut and finish.",
        category: "Hair",
        color: "#0d9488",
        duration_min: 30,
        price: { amount: 4500, currency: "GBP" },
        capacity: 1,
        requires_confirmation: overrides.requiresConfirmation ?? false,
        staff: [
          { staff_id: ANNA, duration_min: null, price: null },
          { staff_id: BEN, duration_min: 45, price: { amount: 5000, currency: "GBP" } },
        ],
      },
      {
        id: COLOUR,
        name: "Colour",
        description: null,
        category: "Colour",
        color: "#db2777",
        duration_min: 90,
        price: { amount: 9500, currency: "GBP" },
        capacity: 1,
        requires_confirmation: false,
        staff: [{ staff_id: ANNA, duration_min: null, price: null }],
      },
    ],
    staff: [
      { id: ANNA, name: "Anna", bio: "Colour specialist, ten years at the chair.", photo_key: `businesses/${BUSINESS_ID}/staff/anna.jpg`, location_ids: [SOHO, CAMDEN] },
      { id: BEN, name: "Ben", bio: null, photo_key: null, location_ids: [SOHO] },
    ],
    locations: [
      { id: SOHO, name: "Soho", address: "1 High Street, London", phone: null, time_zone: "Europe/London", opening_hours: null },
      { id: CAMDEN, name: "Camden", address: "2 Market Road, London", phone: null, time_zone: "Europe/London", opening_hours: null },
    ],
  };
}

export function slot(startUtc: string, staffId: string = ANNA, locationId: string = SOHO, minutes = 30): Slot {
  return {
    start_at: startUtc,
    end_at: new Date(Date.parse(startUtc) + minutes * 60_000).toISOString(),
    staff_id: staffId,
    location_id: locationId,
    seats_left: 1,
  };
}

/** An availability answer holding those of `all` that fall in [from, to] of `tz` (as the API cuts them). */
export function slotsAnswer(all: Slot[], query: URLSearchParams): Slots {
  const tz = query.get("tz") ?? "Europe/London";
  const from = query.get("from") ?? "";
  const to = query.get("to") ?? "";
  const day = (s: Slot) => new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(s.start_at));
  return {
    service_id: query.get("service_id") ?? CUT,
    staff_id: query.get("staff_id"),
    location_id: query.get("location_id"),
    tz,
    from,
    to,
    slots: all.filter((s) => day(s) >= from && day(s) <= to),
  };
}

export function managed(overrides: Partial<Managed> & { start?: string; status?: Managed["appointment"]["status"] } = {}): Managed {
  const start = overrides.start ?? "2027-03-20T14:00:00Z";
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  const dayBefore = new Date(Date.parse(start) - 1440 * 60_000).toISOString();
  const { start: _start, status, ...rest } = overrides;
  return {
    appointment: publicAppointment({
      id: "7d1e0f55-2a9b-4c1e-8f6d-3b2a1c0d9e8f",
      status: status ?? "confirmed",
      start_at: start,
      end_at: end,
      service_id: CUT,
      staff_id: ANNA,
      location_id: SOHO,
      customer_id: "c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b",
      cancelled_by: status === "cancelled" ? "customer" : null,
      cancelled_at: status === "cancelled" ? "2027-03-08T10:00:00Z" : null,
      created_at: "2027-03-01T09:00:00Z",
      updated_at: "2027-03-01T09:00:00Z",
    }),
    can_cancel: true,
    can_reschedule: true,
    cancel_until: dayBefore,
    reschedule_until: dayBefore,
    business_id: BUSINESS_ID,
    business: { name: "Demo Salon", slug: "demo-salon", time_zone: "Europe/London", contact: { email: "hello@demo-salon.test", phone: "+44 20 7946 0000", website: null, address: null } },
    service: { id: CUT, name: "Cut, wash & blow-dry" },
    staff: { id: ANNA, name: "Anna" },
    location: { id: SOHO, name: "Soho", address: "1 High Street, London", time_zone: "Europe/London" },
    ...rest,
  };
}
