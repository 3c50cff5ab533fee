// A business set up through the HTTP API (not the screens: journey 1 covers those), so a journey starts
// from a known calendar: one London location open on weekdays, one 45-minute service performed by two
// staff members who work 09:00-17:00 there on weekdays, and appointments on the next weekday at fixed
// London times. Its policy lets customers book, change and cancel online up to an hour ahead.
import { randomUUID } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { fromZonedTime } from "date-fns-tz";
import type { components } from "../../src/lib/api-schema";
import { API } from "../ports";

type Schemas = components["schemas"];

export const ZONE = "Europe/London";
export const PASSWORD = "a long enough password 2026";
export const SERVICE = { name: "Haircut", minutes: 45 } as const;
/** In this order on the calendar (its columns are sorted by name). */
export const STAFF_NAMES = ["Alex Archer", "Bea Brown"] as const;
const WEEKDAYS = [1, 2, 3, 4, 5];

export interface BookedAppointment {
  id: string;
  customer: string;
  customerId: string;
  staffId: string;
  /** "HH:MM" in London on `day`. */
  time: string;
  startAt: string;
}

export interface AppointmentWanted {
  customer: string;
  /** Index into STAFF_NAMES. */
  staff: 0 | 1;
  /** "HH:MM" in London. */
  time: string;
}

export interface Business {
  name: string;
  slug: string;
  owner: { email: string; password: string; accessToken: string };
  locationId: string;
  serviceId: string;
  staff: { id: string; name: string }[];
  /** The next weekday in London after today, "YYYY-MM-DD": the appointments' day. */
  day: string;
  appointments: BookedAppointment[];
  /** An appointment as the business's members see it now. */
  appointment(id: string): Promise<Schemas["NamedAppointment"]>;
  /** Log the owner in through the log-in page, then open `path`. */
  login(page: Page, path?: string): Promise<void>;
}

/** The instant of a London wall-clock time: `at("2026-12-03", "10:00")`. */
export function at(day: string, time: string): string {
  return fromZonedTime(`${day}T${time}:00`, ZONE).toISOString();
}

/** The next weekday (Monday to Friday) after `after` (by default today in London), "YYYY-MM-DD". */
export function nextWeekday(after = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date())): string {
  const day = new Date(`${after}T12:00:00Z`);
  do day.setUTCDate(day.getUTCDate() + 1);
  while (!WEEKDAYS.includes(day.getUTCDay() || 7));
  return day.toISOString().slice(0, 10);
}

/** Calls the API as one signed-in member (or anonymously), failing the test on any unexpected answer. */
export function apiCaller(request: APIRequestContext, token: () => string | null) {
  return async function call<T>(method: string, path: string, body?: unknown, expected = [200, 201], headers: Record<string, string> = {}): Promise<T> {
    const bearer = token();
    const answer = await request.fetch(`${API}${path}`, {
      method,
      headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...headers },
      ...(body === undefined ? {} : { data: body }),
    });
    const text = await answer.text();
    expect(expected, `${method} ${path} answered ${answer.status()}: ${text}`).toContain(answer.status());
    return (text ? JSON.parse(text) : null) as T;
  };
}

export async function setUpBusiness(request: APIRequestContext, wanted: AppointmentWanted[] = []): Promise<Business> {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
  const email = `owner-${stamp}@example.test`;
  const name = `Studio ${stamp}`;
  let accessToken: string | null = null;
  const call = apiCaller(request, () => accessToken);

  const signup: Schemas["Signup"] = { business_name: name, owner_name: "Olivia Owner", email, password: PASSWORD, time_zone: ZONE, currency: "GBP" };
  const created = await call<Schemas["NewBusiness"]>("POST", "/auth/signup", signup, [201]);
  accessToken = created.access_token;

  const policy: Schemas["BusinessUpdate"] = {
    booking_policy: { slot_interval_min: 15, min_notice_min: 0, max_advance_days: 60, auto_confirm: true, cancel_cutoff_min: 60, reschedule_cutoff_min: 60, buffer_before_min: 0, buffer_after_min: 0 },
  };
  await call<Schemas["Business"]>("PATCH", "/business", policy);

  const newLocation: Schemas["NewLocation"] = {
    name: "High Street",
    time_zone: ZONE,
    opening_hours: WEEKDAYS.map((weekday) => ({ weekday, opens: "08:00", closes: "18:00" })),
  };
  const location = await call<Schemas["Location"]>("POST", "/locations", newLocation, [201]);

  const newService: Schemas["NewService"] = { name: SERVICE.name, duration_min: SERVICE.minutes, price: { amount: 3500, currency: "GBP" } };
  const service = await call<Schemas["Service"]>("POST", "/services", newService, [201]);

  const staff: { id: string; name: string }[] = [];
  for (const staffName of STAFF_NAMES) {
    const body: Schemas["StaffNew"] = { name: staffName, location_ids: [location.id] };
    const member = await call<Schemas["StaffMember"]>("POST", "/staff", body, [201]);
    const schedule: Schemas["StaffSchedule"] = {
      weekly: WEEKDAYS.map((weekday) => ({ location_id: location.id, weekday, start: "09:00", end: "17:00", breaks: [] })),
      overrides: [],
    };
    await call("PUT", `/staff/${member.id}/schedule`, schedule);
    staff.push({ id: member.id, name: member.name });
  }
  const performers: Schemas["ServiceStaff"] = { staff: staff.map((s) => ({ staff_id: s.id })) };
  await call("PUT", `/services/${service.id}/staff`, performers);

  const day = nextWeekday();
  const appointments: BookedAppointment[] = [];
  for (const [i, want] of wanted.entries()) {
    const newCustomer: Schemas["NewCustomer"] = { name: want.customer, email: `customer-${i}-${stamp}@example.test` };
    const customer = await call<Schemas["chalicelib.customers.routes.Customer"]>("POST", "/customers", newCustomer, [201]);
    const staffId = staff[want.staff]?.id ?? "";
    const body: Schemas["NewAppointment"] = { service_id: service.id, customer_id: customer.id, staff_id: staffId, location_id: location.id, start_at: at(day, want.time) };
    const booked = await call<Schemas["Appointment"]>("POST", "/appointments", body, [201], { "Idempotency-Key": randomUUID() });
    appointments.push({ id: booked.id, customer: want.customer, customerId: customer.id, staffId, time: want.time, startAt: booked.start_at });
  }

  return {
    name,
    slug: created.business.slug,
    owner: { email, password: PASSWORD, accessToken: created.access_token },
    locationId: location.id,
    serviceId: service.id,
    staff,
    day,
    appointments,
    appointment: (id) => call<Schemas["NamedAppointment"]>("GET", `/appointments/${id}`),
    async login(page, path) {
      await page.goto("/login");
      await page.getByLabel("E-mail").fill(email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page).not.toHaveURL(/\/login/);
      if (path) await page.goto(path);
    },
  };
}
