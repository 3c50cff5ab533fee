import { ApiError } from "../../../lib/api-client";
import { ANNA, BEN, CAMDEN, SOHO, slot } from "../testing/fixtures";
import { googleCalendarUrl, icsEscape, icsFile, icsFold, outlookCalendarUrl, type CalendarEvent } from "./calendar-links";
import { createKeyKeeper } from "./idempotency";
import { groupByDay, lastBookableDay, mergeByStart, stripDays, windowRange, windowsCovering, windowStart } from "./slots";

describe("free times", () => {
  test("anyone available: one slot per start time, whoever and wherever offers it (the API's first pick)", () => {
    const merged = mergeByStart([
      slot("2027-03-10T14:30:00Z", ANNA, SOHO),
      slot("2027-03-10T14:00:00Z", BEN, SOHO),
      slot("2027-03-10T14:00:00Z", ANNA, CAMDEN),
      slot("2027-03-10T14:00:00+00:00", ANNA, SOHO),
    ]);
    expect(merged.map((s) => [s.start_at, s.staff_id])).toEqual([
      ["2027-03-10T14:00:00Z", BEN],
      ["2027-03-10T14:30:00Z", ANNA],
    ]);
  });

  test("days are the zone's own: 23:30 UTC is the next day in Berlin and the same day in New York", () => {
    const slots = [slot("2027-03-10T23:30:00Z")];
    expect([...groupByDay(slots, "Europe/Berlin").keys()]).toEqual(["2027-03-11"]);
    expect([...groupByDay(slots, "America/New_York").keys()]).toEqual(["2027-03-10"]);
  });

  test("windows of 14 days from today, cut at the last bookable day", () => {
    expect(windowStart("2027-03-21", "2027-03-08")).toBe("2027-03-08");
    expect(windowStart("2027-03-22", "2027-03-08")).toBe("2027-03-22");
    expect(windowRange("2027-03-22", "2027-03-28")).toEqual({ from: "2027-03-22", to: "2027-03-28" });
    expect(windowsCovering("2027-03-20", "2027-03-26", "2027-03-08", "2027-03-28")).toEqual(["2027-03-08", "2027-03-22"]);
    expect(windowsCovering("2027-04-01", "2027-04-30", "2027-03-08", "2027-03-28")).toEqual([]);
    expect(stripDays("2027-03-16", "2027-03-08")).toEqual([
      "2027-03-15", "2027-03-16", "2027-03-17", "2027-03-18", "2027-03-19", "2027-03-20", "2027-03-21",
    ]);
    expect(lastBookableDay(20, "America/New_York", Date.parse("2027-03-08T03:00:00Z"))).toBe("2027-03-27");
  });
});

describe("Idempotency-Key", () => {
  test("the same booking sent again after no answer, a 429 or a 5xx keeps its key; an answer settles it", () => {
    let n = 0;
    const keeper = createKeyKeeper(() => `key-${++n}`);
    const body = { service_id: "s", start_at: "2027-03-10T14:00:00Z" };
    expect(keeper.keyFor(body)).toBe("key-1");
    keeper.settle(new ApiError("down", { status: 503 }));
    expect(keeper.keyFor({ ...body })).toBe("key-1");
    keeper.settle(new ApiError("slow down", { status: 429, kind: "rate_limited" }));
    expect(keeper.keyFor(body)).toBe("key-1");
    expect(keeper.keyFor({ ...body, start_at: "2027-03-10T15:00:00Z" })).toBe("key-2");
    keeper.settle(new ApiError("taken", { status: 409, code: "slot_taken" }));
    expect(keeper.keyFor({ ...body, start_at: "2027-03-10T15:00:00Z" })).toBe("key-3");
    keeper.settle();
    expect(keeper.keyFor({ ...body, start_at: "2027-03-10T15:00:00Z" })).toBe("key-4");
  });
});

describe("add to calendar", () => {
  const event: CalendarEvent = {
    uid: "7d1e@booking",
    title: "Cut, wash & blow-dry at Demo Salon",
    description: "With Anna.\nChange or cancel: https://app.test/manage-booking?token=a;b",
    location: "Soho, 1 High Street, London",
    start: "2027-03-10T09:00:00-05:00",
    end: "2027-03-10T09:30:00-05:00",
    url: "https://app.test/manage-booking?token=abc",
  };

  test("Google and Outlook links carry the times in UTC", () => {
    const google = new URL(googleCalendarUrl(event));
    expect(google.origin + google.pathname).toBe("https://calendar.google.com/calendar/render");
    expect(google.searchParams.get("action")).toBe("TEMPLATE");
    expect(google.searchParams.get("dates")).toBe("20270310T140000Z/20270310T143000Z");
    expect(google.searchParams.get("text")).toBe(event.title);
    expect(google.searchParams.get("location")).toBe(event.location);
    const outlook = new URL(outlookCalendarUrl(event));
    expect(outlook.origin + outlook.pathname).toBe("https://outlook.live.com/calendar/0/deeplink/compose");
    expect(outlook.searchParams.get("startdt")).toBe("2027-03-10T14:00:00Z");
    expect(outlook.searchParams.get("enddt")).toBe("2027-03-10T14:30:00Z");
    expect(outlook.searchParams.get("subject")).toBe(event.title);
    expect(outlook.searchParams.get("rru")).toBe("addevent");
  });

  test("the .ics file: UTC times, escaped text, CRLF lines folded at 75 octets", () => {
    expect(icsEscape("a\\b;c,d\ne")).toBe("a\\\\b\\;c\\,d\\ne");
    const text = icsFile(event, new Date("2027-03-08T10:00:00Z"));
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(text).toContain("\r\nDTSTART:20270310T140000Z\r\n");
    expect(text).toContain("\r\nDTEND:20270310T143000Z\r\n");
    expect(text).toContain("\r\nDTSTAMP:20270308T100000Z\r\n");
    expect(text).toContain("\r\nSUMMARY:Cut\\, wash & blow-dry at Demo Salon\r\n");
    expect(text).toContain("\r\nLOCATION:Soho\\, 1 High Street\\, London\r\n");
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).toContain("DESCRIPTION:With Anna.\\nChange or cancel: https://app.test/manage-booking?token=a\\;b\r\n");
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const folded = icsFold(`DESCRIPTION:${"é".repeat(60)}`);
    expect(folded.split("\r\n ").join("")).toBe(`DESCRIPTION:${"é".repeat(60)}`);
  });
});
