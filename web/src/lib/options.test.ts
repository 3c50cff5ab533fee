import { afterEach, vi } from "vitest";
import { currencyOptions, guessCurrency, timeZoneOptions, timeZones } from "./options";

afterEach(() => vi.restoreAllMocks());

test("every zone the browser knows, sorted, with UTC and a stored zone the list lacks", () => {
  const zones = timeZones("Asia/Calcutta");
  expect(zones).toContain("Europe/London");
  expect(zones).toContain("UTC");
  expect(zones).toContain("Asia/Calcutta");
  expect(zones).toEqual([...zones].sort());
  expect(new Set(zones).size).toBe(zones.length);
  expect(timeZoneOptions().find((o) => o.value === "America/New_York")?.label).toBe("America/New York");
});

test("a browser without Intl.supportedValuesOf still offers the common zones", () => {
  vi.spyOn(Intl, "supportedValuesOf").mockImplementation(() => {
    throw new TypeError("not supported");
  });
  expect(timeZones("Europe/Kyiv")).toEqual(expect.arrayContaining(["Europe/London", "America/New_York", "UTC", "Europe/Kyiv"]));
});

test("currencies read 'code · name', keeping a stored one the list lacks", () => {
  expect(currencyOptions().find((o) => o.value === "GBP")?.label).toBe("GBP · Pound sterling");
  expect(currencyOptions("GBP")).toHaveLength(currencyOptions().length);
  expect(currencyOptions("ISK").at(-1)).toEqual({ value: "ISK", label: "ISK" });
});

test("the first currency guess comes from the browser's languages", () => {
  expect(guessCurrency(["en-GB", "en"])).toBe("GBP");
  expect(guessCurrency(["fr", "de-CH"])).toBe("CHF");
  expect(guessCurrency(["en"])).toBe("EUR");
});
