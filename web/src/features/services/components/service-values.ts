// The service form's values (what a person types: strings in major units) and the API bodies made
// from them (integers, prices in minor units of the service's currency).
import type { Schemas } from "../../../lib/api-client";
import { toMinorUnits } from "../../../lib/format";
import type { Service } from "../api/services";
import type { StaffMember } from "../../staff/api/staff";

export interface PerformerValues {
  staff_id: string;
  selected: boolean;
  /** Minutes; empty: the service's own duration. */
  duration_min: string;
  /** Major units; empty: the service's own price. */
  price: string;
}

export interface ServiceValues {
  name: string;
  description: string;
  category: string;
  use_color: boolean;
  color: string;
  duration_min: string;
  price: string;
  capacity: string;
  /** Minutes; empty: the business's default buffer. */
  buffer_before_min: string;
  buffer_after_min: string;
  requires_confirmation: boolean;
  bookable_online: boolean;
  active: boolean;
  performers: PerformerValues[];
}

/** The fields of the form a 422 can land on (performer rows are added per row). */
export const SERVICE_FIELDS = [
  "name",
  "description",
  "category",
  "color",
  "duration_min",
  "price",
  "capacity",
  "buffer_before_min",
  "buffer_after_min",
  "requires_confirmation",
  "bookable_online",
  "active",
] as const;

export const DEFAULT_COLOR = "#0f766e";

function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** 4500 minor units of GBP → "45.00" (what the price field shows). */
export function toMajorUnits(amount: number, currency: string): string {
  const digits = fractionDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

/**
 * Who can be chosen to perform the service: every active staff member, and inactive ones who
 * perform it now (so saving does not drop them unseen).
 */
export function performerChoices(staff: StaffMember[], service: Service | null): StaffMember[] {
  const current = new Set((service?.staff ?? []).map((p) => p.staff_id));
  return staff.filter((member) => member.active || current.has(member.id));
}

export function serviceValues(service: Service | null, choices: StaffMember[]): ServiceValues {
  const performers = new Map((service?.staff ?? []).map((p) => [p.staff_id, p]));
  return {
    name: service?.name ?? "",
    description: service?.description ?? "",
    category: service?.category ?? "",
    use_color: Boolean(service?.color),
    color: service?.color ?? DEFAULT_COLOR,
    duration_min: service ? String(service.duration_min) : "60",
    price: service ? toMajorUnits(service.price.amount, service.price.currency) : "",
    capacity: service ? String(service.capacity) : "1",
    buffer_before_min: service?.buffer_before_min == null ? "" : String(service.buffer_before_min),
    buffer_after_min: service?.buffer_after_min == null ? "" : String(service.buffer_after_min),
    requires_confirmation: service?.requires_confirmation ?? false,
    bookable_online: service?.bookable_online ?? true,
    active: service?.active ?? true,
    performers: choices.map((member) => {
      const performer = performers.get(member.id);
      return {
        staff_id: member.id,
        selected: performer !== undefined,
        duration_min: performer?.duration_min == null ? "" : String(performer.duration_min),
        price: performer?.price ? toMajorUnits(performer.price.amount, performer.price.currency) : "",
      };
    }),
  };
}

const orNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());
const minutesOrNull = (text: string): number | null => (text.trim() === "" ? null : Number(text));

/** Every field of NewService (and of ServiceUpdate, which adds `version`). */
export function serviceBody(values: ServiceValues, currency: string): Schemas["NewService"] {
  return {
    name: values.name.trim(),
    description: orNull(values.description),
    category: orNull(values.category),
    color: values.use_color ? values.color.toLowerCase() : null,
    duration_min: Number(values.duration_min),
    price: { amount: toMinorUnits(values.price, currency) ?? 0, currency },
    capacity: Number(values.capacity),
    buffer_before_min: minutesOrNull(values.buffer_before_min),
    buffer_after_min: minutesOrNull(values.buffer_after_min),
    requires_confirmation: values.requires_confirmation,
    bookable_online: values.bookable_online,
    active: values.active,
  };
}

/**
 * The PUT /services/{id}/staff list, and for each entry the form row it came from (a 422 names an
 * entry by its place in the list: `staff.0.price.amount`).
 */
export function performersBody(values: ServiceValues, currency: string): { staff: Schemas["ServicePerformer"][]; rows: number[] } {
  const staff: Schemas["ServicePerformer"][] = [];
  const rows: number[] = [];
  values.performers.forEach((row, index) => {
    if (!row.selected) return;
    const price = row.price.trim() === "" ? null : toMinorUnits(row.price, currency);
    staff.push({
      staff_id: row.staff_id,
      duration_min: minutesOrNull(row.duration_min),
      price: price === null ? null : { amount: price, currency },
    });
    rows.push(index);
  });
  return { staff, rows };
}

/** A 422 path of the service or performer bodies → the form field it belongs to. */
export function serviceFieldOf(apiField: string, rows: number[]): string {
  if (apiField.startsWith("price.")) return "price";
  const performer = /^staff\.(\d+)\.(staff_id|duration_min|price)(?:\..*)?$/.exec(apiField);
  if (performer) {
    const row = rows[Number(performer[1])];
    if (row === undefined) return apiField;
    const field = performer[2] === "staff_id" ? "selected" : performer[2];
    return `performers.${row}.${field}`;
  }
  return apiField;
}

/** Whether the performer set differs from the service's own (a PUT is sent only then). */
export function performersChanged(service: Service, staff: Schemas["ServicePerformer"][]): boolean {
  const key = (p: { staff_id: string; duration_min?: number | null; price?: { amount: number } | null }) =>
    `${p.staff_id}|${p.duration_min ?? ""}|${p.price?.amount ?? ""}`;
  const before = service.staff.map(key).sort();
  const after = staff.map(key).sort();
  return before.length !== after.length || before.some((k, i) => k !== after[i]);
}

/** Whether any field of the service itself differs (a PATCH is sent only then). */
export function serviceChanged(service: Service, body: Schemas["NewService"]): boolean {
  const { price, ...rest } = body;
  const same = (Object.keys(rest) as (keyof typeof rest)[]).every((k) => (service[k] ?? null) === (rest[k] ?? null));
  return !same || service.price.amount !== price.amount;
}
