// The appointment screens' test data on top of src/testing/fixtures.ts: Oscar's appointment with Dana
// at a time relative to now, and the reads every appointment screen makes.
import type { Schemas } from "../../lib/api-client";
import type { Handler } from "../../testing/fake-api";
import * as fx from "../../testing/fixtures";

export const IDS = {
  me: fx.IDS.owner,
  service: fx.IDS.haircut,
  dana: fx.IDS.dana,
  sam: fx.IDS.amara,
  soho: fx.IDS.soho,
  customer: fx.OSCAR.id,
  appointment: "64801758-f325-4b03-a225-0103df4d45e2",
  series: "5d1a3c7e-2f44-4b4e-9d61-0c7a1f2b9e11",
};

export const me = fx.me();

/** Dana at the service's own length and price, Sam shorter and cheaper. */
const service = fx.service({
  staff: [
    { staff_id: IDS.dana, duration_min: null, price: null },
    { staff_id: IDS.sam, duration_min: 30, price: { amount: 3000, currency: "GBP" } },
  ],
});

export const staff = [fx.stylist(IDS.dana, "Dana Demo"), fx.stylist(IDS.sam, "Sam Stylist")];

export const customer = fx.customerRecord({
  ...fx.OSCAR,
  phone_normalized: "+447700900148",
  tags: [],
  locale: null,
  marketing_opt_in: false,
  terms_accepted: false,
  terms_accepted_at: null,
  version: 1,
  notes: [],
  consents: [],
});

/** An appointment starting `hoursFromNow` hours from now (whole quarter hours), 45 minutes long. */
export function appointment(hoursFromNow: number, changes: Partial<Schemas["NamedAppointment"]> = {}): Schemas["NamedAppointment"] {
  const quarter = 15 * 60_000;
  const start = Math.round((Date.now() + hoursFromNow * 3_600_000) / quarter) * quarter;
  return fx.namedAppointment({
    id: IDS.appointment,
    start_at: new Date(start).toISOString(),
    end_at: new Date(start + 45 * 60_000).toISOString(),
    staff_id: IDS.dana,
    customer_id: IDS.customer,
    customer: fx.OSCAR,
    version: 3,
    ...changes,
  });
}

/** The answer of a change: the appointment without the customer brief. */
export function changed(a: Schemas["NamedAppointment"], changes: Partial<Schemas["Appointment"]>): Schemas["Appointment"] {
  const { customer: _brief, ...rest } = a;
  return { ...rest, ...changes, version: a.version + 1 };
}

export function slot(startAt: string, staffId: string = IDS.dana): Schemas["Slot"] {
  return fx.slot({ start_at: startAt, staff_id: staffId });
}

/** The reads every appointment screen makes. */
export function baseHandlers(): Record<string, Handler> {
  return {
    "GET /auth/me": { body: me },
    "GET /services": { body: fx.page([service]) },
    "GET /staff": { body: fx.page(staff) },
    "GET /locations": { body: fx.page([fx.location()]) },
  };
}
