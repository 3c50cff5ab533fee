// Billing's API bodies for tests (the billing and admin screens, and the screens that show a plan
// refusal): the catalogue exactly as GET /billing/plans answers it (chalicelib/billing/plans.py), a
// trial subscription of the demo salon, usage, invoices, and the refusals of the one gate.
import type { Schemas } from "../lib/api-client";

export const PLANS: Schemas["PlanCatalogue"] = {
    "items": [
      {
        "key": "basic",
        "name": "Basic",
        "prices": [
          {
            "interval": "month",
            "price": {
              "amount": 1900,
              "currency": "EUR"
            }
          },
          {
            "interval": "month",
            "price": {
              "amount": 1700,
              "currency": "GBP"
            }
          },
          {
            "interval": "month",
            "price": {
              "amount": 2100,
              "currency": "USD"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 19000,
              "currency": "EUR"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 17000,
              "currency": "GBP"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 21000,
              "currency": "USD"
            }
          }
        ],
        "limits": {
          "staff": 2,
          "locations": 1,
          "bookings_per_month": 300,
          "messages_per_month": 0
        },
        "overage": [],
        "features": {
          "whatsapp": false,
          "custom_templates": false,
          "google_calendar": false,
          "intake_forms": false,
          "reviews": false,
          "waitlist": false,
          "campaigns": false,
          "analytics": false,
          "api_access": false,
          "data_export": true
        }
      },
      {
        "key": "pro",
        "name": "Pro",
        "prices": [
          {
            "interval": "month",
            "price": {
              "amount": 4900,
              "currency": "EUR"
            }
          },
          {
            "interval": "month",
            "price": {
              "amount": 4200,
              "currency": "GBP"
            }
          },
          {
            "interval": "month",
            "price": {
              "amount": 5500,
              "currency": "USD"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 49000,
              "currency": "EUR"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 42000,
              "currency": "GBP"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 55000,
              "currency": "USD"
            }
          }
        ],
        "limits": {
          "staff": 10,
          "locations": 3,
          "bookings_per_month": 2000,
          "messages_per_month": 500
        },
        "overage": [
          {
            "meter": "bookings",
            "price": {
              "amount": 5,
              "currency": "EUR"
            }
          },
          {
            "meter": "bookings",
            "price": {
              "amount": 5,
              "currency": "GBP"
            }
          },
          {
            "meter": "bookings",
            "price": {
              "amount": 6,
              "currency": "USD"
            }
          },
          {
            "meter": "messages_whatsapp",
            "price": {
              "amount": 8,
              "currency": "EUR"
            }
          },
          {
            "meter": "messages_whatsapp",
            "price": {
              "amount": 7,
              "currency": "GBP"
            }
          },
          {
            "meter": "messages_whatsapp",
            "price": {
              "amount": 9,
              "currency": "USD"
            }
          }
        ],
        "features": {
          "whatsapp": true,
          "custom_templates": true,
          "google_calendar": true,
          "intake_forms": true,
          "reviews": true,
          "waitlist": true,
          "campaigns": true,
          "analytics": false,
          "api_access": false,
          "data_export": true
        }
      },
      {
        "key": "enterprise",
        "name": "Enterprise",
        "prices": [
          {
            "interval": "month",
            "price": {
              "amount": 14900,
              "currency": "EUR"
            }
          },
          {
            "interval": "month",
            "price": {
              "amount": 12900,
              "currency": "GBP"
            }
          },
          {
            "interval": "month",
            "price": {
              "amount": 16500,
              "currency": "USD"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 149000,
              "currency": "EUR"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 129000,
              "currency": "GBP"
            }
          },
          {
            "interval": "year",
            "price": {
              "amount": 165000,
              "currency": "USD"
            }
          }
        ],
        "limits": {
          "staff": null,
          "locations": null,
          "bookings_per_month": null,
          "messages_per_month": 5000
        },
        "overage": [
          {
            "meter": "messages_whatsapp",
            "price": {
              "amount": 6,
              "currency": "EUR"
            }
          },
          {
            "meter": "messages_whatsapp",
            "price": {
              "amount": 5,
              "currency": "GBP"
            }
          },
          {
            "meter": "messages_whatsapp",
            "price": {
              "amount": 7,
              "currency": "USD"
            }
          }
        ],
        "features": {
          "whatsapp": true,
          "custom_templates": true,
          "google_calendar": true,
          "intake_forms": true,
          "reviews": true,
          "waitlist": true,
          "campaigns": true,
          "analytics": true,
          "api_access": true,
          "data_export": true
        }
      }
    ]
  };

export function subscription(overrides: Partial<Schemas["SubscriptionState"]> = {}): Schemas["SubscriptionState"] {
  return {
    plan: "trial",
    status: "trialing",
    trial_ends_at: "2026-12-16T13:43:14.786246+00:00",
    trial_days_left: 12,
    billing_interval: null,
    currency: null,
    amount: null,
    current_period: null,
    cancel_at_period_end: false,
    past_due_since: null,
    suspended_by: null,
    suspended_reason: null,
    has_customer: false,
    ...overrides,
  };
}

/** Pro, monthly in GBP, paid through Stripe. */
export function proSubscription(overrides: Partial<Schemas["SubscriptionState"]> = {}): Schemas["SubscriptionState"] {
  return subscription({
    plan: "pro",
    status: "active",
    billing_interval: "month",
    currency: "GBP",
    amount: { amount: 4200, currency: "GBP" },
    current_period: { start: "2026-12-02T14:00:00+00:00", end: "2027-01-02T14:00:00+00:00" },
    has_customer: true,
    ...overrides,
  });
}

/** Pro taken during the free trial: the card is on file, the first charge falls at the trial's end. */
export function trialSubscription(overrides: Partial<Schemas["SubscriptionState"]> = {}): Schemas["SubscriptionState"] {
  return proSubscription({
    status: "trialing",
    trial_ends_at: "2026-12-16T13:43:14.786246+00:00",
    trial_days_left: 12,
    current_period: { start: "2026-12-02T14:00:00+00:00", end: "2026-12-16T13:43:14+00:00" },
    ...overrides,
  });
}

export function usage(overrides: Partial<Schemas["Usage"]> = {}): Schemas["Usage"] {
  return {
    period: { start: "2026-12-02T00:00:00+00:00", end: "2027-01-02T00:00:00+00:00" },
    meters: [
      { meter: "bookings", used: 2041, included: 2000, overage: 41, overage_price: { amount: 5, currency: "GBP" } },
      { meter: "messages_email", used: 318, included: null, overage: 0, overage_price: null },
      { meter: "messages_whatsapp", used: 120, included: 500, overage: 0, overage_price: { amount: 7, currency: "GBP" } },
    ],
    ...overrides,
  };
}

export function invoice(overrides: Partial<Schemas["Invoice"]> = {}): Schemas["Invoice"] {
  return {
    id: "5a0c6f9e-1b7d-4f43-9c55-3f0f8f7b6d01",
    number: "DEMO-0001",
    status: "paid",
    total: { amount: 4200, currency: "GBP" },
    amount_due: { amount: 4200, currency: "GBP" },
    amount_paid: { amount: 4200, currency: "GBP" },
    hosted_invoice_url: "https://invoice.stripe.com/i/acct_1/test_DEMO0001",
    invoice_pdf: "https://pay.stripe.com/invoice/acct_1/test_DEMO0001/pdf",
    period_start: "2026-12-02T14:00:00+00:00",
    period_end: "2027-01-02T14:00:00+00:00",
    issued_at: "2026-12-02T14:00:05+00:00",
    ...overrides,
  };
}

/** The gate's refusals, with the details the API sends (chalicelib/billing/gate.py). */
export function planRequired(feature: string, plan = "basic", upgradeTo: string | null = "pro") {
  return {
    status: 403,
    body: { error: { code: "plan_required", message: "Your plan does not include this.", details: { feature, current: false, plan, upgrade_to: upgradeTo } } },
  };
}

export function planLimit(limit: string, current: number, allowed: number, plan = "basic", upgradeTo: string | null = "pro") {
  return {
    status: 403,
    body: { error: { code: "plan_limit", message: "Your plan's limit is reached.", details: { limit, current, allowed, plan, upgrade_to: upgradeTo } } },
  };
}

// --- the platform console ------------------------------------------------------------------------

export const TENANT_ID = "82d0be44-4917-4173-9823-5fdd62336d58";
const OPERATOR = { user_id: "9b1f3a52-7c0e-4d7a-9f64-2f1f0c3e5a10", email: "ops@booking.example" };

export function tenant(overrides: Partial<Schemas["Tenant"]> = {}): Schemas["Tenant"] {
  return {
    id: TENANT_ID,
    name: "Demo Salon",
    slug: "demo-salon",
    plan: "pro",
    status: "active",
    state: "active",
    created_at: "2026-11-02T13:43:14.786246+00:00",
    owner: { user_id: "2c676430-35ba-4267-a6d0-f94218a67249", email: "owner@demo-salon.test", name: "Dana Demo" },
    usage: { bookings: 412, messages_email: 318, messages_whatsapp: 120 },
    ...overrides,
  };
}

export function tenantDetail(overrides: Partial<Schemas["TenantDetail"]> = {}): Schemas["TenantDetail"] {
  return {
    ...tenant(),
    subscription: {
      state: "active",
      billing_interval: "month",
      amount: { amount: 4200, currency: "GBP" },
      mrr: { amount: 4200, currency: "GBP" },
      stripe_customer_id: "cus_T0demo",
      stripe_subscription_id: "sub_T0demo",
      stripe_status: "active",
      trial_ends_at: "2026-11-16T13:43:14.786246+00:00",
      current_period: { start: "2026-12-02T14:00:00+00:00", end: "2027-01-02T14:00:00+00:00" },
      cancel_at_period_end: false,
      past_due_since: null,
      suspended_by: null,
      suspended_reason: null,
      synced_at: "2026-12-02T14:00:06+00:00",
    },
    entitlements: {
      plan: "pro",
      features: {
        whatsapp: true, custom_templates: true, google_calendar: true, intake_forms: true, reviews: true,
        waitlist: true, campaigns: true, analytics: true, api_access: false, data_export: true,
      },
      limits: { staff: 12, locations: 3, bookings_per_month: 2000, messages_per_month: 500 },
    },
    overrides: [
      {
        feature: "analytics",
        value: true,
        reason: "Beta tester",
        ends_at: "2099-01-01T00:00:00+00:00",
        set_by: OPERATOR,
        set_at: "2026-12-01T09:00:00+00:00",
      },
      {
        feature: "staff",
        value: 12,
        reason: "Seasonal staff",
        ends_at: null,
        set_by: OPERATOR,
        set_at: "2026-12-01T09:00:00+00:00",
      },
      {
        feature: "waitlist",
        value: false,
        reason: "Old trial",
        ends_at: "2026-11-01T00:00:00+00:00",
        set_by: OPERATOR,
        set_at: "2026-10-01T09:00:00+00:00",
      },
    ],
    counts: { staff: 4, locations: 2, members: 3 },
    period_usage: usage(),
    recent_actions: [
      {
        id: "0d9e5f1a-2b3c-4d5e-8f70-9a1b2c3d4e5f",
        action: "features",
        reason: "Beta programme",
        details: {},
        actor: OPERATOR,
        at: "2026-12-01T09:00:00+00:00",
      },
    ],
    ...overrides,
  };
}

export function metrics(overrides: Partial<Schemas["Metrics"]> = {}): Schemas["Metrics"] {
  return {
    at: "2026-12-02T15:00:00+00:00",
    tenants: {
      total: 1240,
      by_status: { active: 1180, suspended: 12, expired: 48 },
      by_plan: { trial: 310, basic: 520, pro: 380, enterprise: 30 },
      by_state: { trialing: 310, active: 850, past_due: 20, suspended: 12, expired: 40, cancelled: 8 },
    },
    mrr: [
      { amount: 1830000, currency: "EUR" },
      { amount: 960000, currency: "GBP" },
    ],
    bookings: { today: 5120, month: 10310 },
    messages: {
      today: 8800,
      month: 17600,
      by_channel: { email: { today: 6000, month: 12000 }, whatsapp: { today: 2800, month: 5600 } },
    },
    dead_letters: 3,
    errors: { deliveries_failed_today: 7, stripe_events_failed: 1 },
    ...overrides,
  };
}

export function deadLetter(overrides: Partial<Schemas["DeadLetter"]> = {}): Schemas["DeadLetter"] {
  return {
    outbox_id: "6a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    business_id: TENANT_ID,
    topic: "appointment.confirmed",
    aggregate_id: "554d1c47-19ae-46c4-9d00-d0d34a8b41ce",
    receive_count: 5,
    last_error: "SES: MessageRejected: Email address is not verified.",
    redrives: 0,
    created_at: "2026-12-02T10:00:00+00:00",
    dead_at: "2026-12-02T10:20:00+00:00",
    ...overrides,
  };
}
