import { expect, test } from "vitest";
import { formatDateTime } from "../../../lib/zoned";
import { ago, busyCount, returnNotice, revertedWords } from "./words";

const now = Date.parse("2026-12-07T12:00:00Z");
const at = { now, timeZone: "Europe/London", locale: "en-GB" };

test("how long ago: just now, minutes, hours, then the date and time", () => {
  expect(ago("2026-12-07T11:59:30Z", at)).toBe("just now");
  expect(ago("2026-12-07T11:57:00Z", at)).toBe("3 min ago");
  expect(ago("2026-12-07T09:10:00Z", at)).toBe("2 h ago");
  expect(ago("2026-12-05T09:30:00Z", at)).toBe(`on ${formatDateTime("2026-12-05T09:30:00Z", "Europe/London", "en-GB")}`);
});

test("Google's redirect back: connected, each known error, any other error, or nothing", () => {
  expect(returnNotice("connected", null)?.tone).toBe("success");
  expect(returnNotice("error", "access_denied")?.message).toBe("You declined on Google's page, so nothing was connected.");
  expect(returnNotice("error", "invalid_state")?.message).toMatch(/expired or was already used/);
  expect(returnNotice("error", "scope")?.message).toMatch(/didn't grant the permission/);
  expect(returnNotice("error", "failed")?.message).toBe("Something went wrong while connecting. Please try again in a moment.");
  expect(returnNotice("error", null)?.title).toBe("Google Calendar was not connected.");
  expect(returnNotice(null, null)).toBeNull();
  expect(returnNotice("something", null)).toBeNull();
});

test("counts in words", () => {
  expect(busyCount(0)).toBe("No busy times");
  expect(busyCount(1)).toBe("1 busy time");
  expect(busyCount(1200)).toBe(`${(1200).toLocaleString()} busy times`);
  expect(revertedWords(1)).toBe("1 change made in Google Calendar to a booking was put back.");
  expect(revertedWords(3)).toBe("3 changes made in Google Calendar to bookings were put back.");
});
