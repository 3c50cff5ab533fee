import { performersBody, performersChanged, serviceChanged, serviceBody, serviceFieldOf, serviceValues, toMajorUnits } from "./service-values";
import * as fx from "../../../testing/fixtures";

test("prices show in major units with the currency's own decimals", () => {
  expect(toMajorUnits(4550, "GBP")).toBe("45.50");
  expect(toMajorUnits(4500, "JPY")).toBe("4500");
  expect(toMajorUnits(12345, "BHD")).toBe("12.345");
});

test("a form with nothing changed sends nothing", () => {
  const service = fx.service();
  const values = serviceValues(service, [fx.stylist(fx.IDS.amara, "Amara"), fx.stylist(fx.IDS.ben, "Ben"), fx.stylist(fx.IDS.cleo, "Cleo")]);
  expect(serviceChanged(service, serviceBody(values, "GBP"))).toBe(false);
  expect(performersChanged(service, performersBody(values, "GBP").staff)).toBe(false);
});

test("a 422 on a performer names its place in the body, which maps back to the form's row", () => {
  const rows = [0, 2];
  expect(serviceFieldOf("staff.1.price.amount", rows)).toBe("performers.2.price");
  expect(serviceFieldOf("staff.0.staff_id", rows)).toBe("performers.0.selected");
  expect(serviceFieldOf("staff.0.duration_min", rows)).toBe("performers.0.duration_min");
  expect(serviceFieldOf("price.currency", rows)).toBe("price");
  expect(serviceFieldOf("capacity", rows)).toBe("capacity");
  // An entry the form does not know stays as the API named it (it becomes the form's message).
  expect(serviceFieldOf("staff.7.price", rows)).toBe("staff.7.price");
});
