// The calendar's own test data on top of src/testing/fixtures.ts: its zone, and bookings by time
// (each with a fresh id, all for the same customer).
import type { Schemas } from "../../../lib/api-client";
import { namedAppointment, OSCAR } from "../../../testing/fixtures";

export const LONDON = "Europe/London";

let next = 0;

export function appointment(start_at: string, end_at: string, extra: Partial<Schemas["NamedAppointment"]> = {}): Schemas["NamedAppointment"] {
  next += 1;
  return namedAppointment({
    id: `a0000000-0000-4000-8000-${String(next).padStart(12, "0")}`,
    start_at,
    end_at,
    customer_id: OSCAR.id,
    customer: OSCAR,
    version: 3,
    ...extra,
  });
}
