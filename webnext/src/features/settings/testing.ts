// Realistic answers of GET /business and GET /auth/me (shapes from openapi.json), for tests.
import type { Schemas } from "../../lib/api-client";

export function aBusiness(overrides: Partial<Schemas["Business"]> = {}): Schemas["Business"] {
  return {
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
    updated_at: "2026-12-02T13:43:14.923217+00:00",
    ...overrides,
  };
}

export function aMe(role: Schemas["Me"]["role"] = "owner", business: Schemas["Business"] = aBusiness()): Schemas["Me"] {
  return {
    user: { id: "2c676430-35ba-4267-a6d0-f94218a67249", email: "owner@demo-salon.test", name: "Dana Demo", email_verified: true },
    role,
    business,
    plan: business.plan,
    features: {
      max_staff: 5,
      max_locations: 1,
      whatsapp: false,
      google_calendar: false,
      campaigns: false,
      intake_forms: false,
      analytics: false,
      custom_templates: false,
    },
  };
}
