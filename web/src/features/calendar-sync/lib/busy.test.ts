import { expect, test } from "vitest";
import { formatTimeRange } from "../../../lib/zoned";
import { busy } from "../testing/fixtures";
import { busyPieces } from "./busy";

const LONDON = "Europe/London";
const AMARA = "amara";
const BEN = "ben";
const names: Record<string, string> = { [AMARA]: "Amara Okafor", [BEN]: "Ben Carter" };
const options = { staffIds: [AMARA, BEN], timeZone: LONDON, locale: "en-GB", nameOf: (id: string) => names[id] };
const spans = (pieces: ReturnType<typeof busyPieces>) => pieces.map((p) => [p.staffId, p.startsAt.toISOString(), p.endsAt.toISOString()]);

test("overlapping and touching blocks of one person are drawn as one; other people's stay apart", () => {
  const pieces = busyPieces(
    [
      busy(AMARA, "2026-12-07T13:00:00Z", "2026-12-07T14:00:00Z"),
      busy(AMARA, "2026-12-07T12:00:00Z", "2026-12-07T13:30:00Z"),
      busy(AMARA, "2026-12-07T14:00:00Z", "2026-12-07T14:15:00Z"),
      busy(BEN, "2026-12-07T12:00:00Z", "2026-12-07T12:30:00Z"),
    ],
    options,
  );
  expect(spans(pieces)).toEqual([
    [AMARA, "2026-12-07T12:00:00.000Z", "2026-12-07T14:15:00.000Z"],
    [BEN, "2026-12-07T12:00:00.000Z", "2026-12-07T12:30:00.000Z"],
  ]);
  expect(pieces[0]?.label).toBe(`Busy (Google), ${formatTimeRange("2026-12-07T12:00:00Z", "2026-12-07T14:15:00Z", LONDON, "en-GB")}, Amara Okafor`);
});

test("a block past local midnight is cut into each day it covers; a whole day says so", () => {
  const pieces = busyPieces([busy(AMARA, "2026-12-07T22:00:00Z", "2026-12-09T02:00:00Z")], options);
  expect(spans(pieces)).toEqual([
    [AMARA, "2026-12-07T22:00:00.000Z", "2026-12-08T00:00:00.000Z"],
    [AMARA, "2026-12-08T00:00:00.000Z", "2026-12-09T00:00:00.000Z"],
    [AMARA, "2026-12-09T00:00:00.000Z", "2026-12-09T02:00:00.000Z"],
  ]);
  expect(pieces.map((p) => p.label)).toEqual([
    "Busy (Google), 22:00–00:00, Amara Okafor",
    "Busy (Google), all day, Amara Okafor",
    "Busy (Google), 00:00–02:00, Amara Okafor",
  ]);
});

test("days are cut at the business's midnights, across a DST change (a 23-hour day is all day)", () => {
  // 28 March 2027: London's clocks go forward; the day runs 00:00 GMT to 23:00 UTC.
  const pieces = busyPieces([busy(AMARA, "2027-03-28T00:00:00Z", "2027-03-28T23:00:00Z")], options);
  expect(spans(pieces)).toEqual([[AMARA, "2027-03-28T00:00:00.000Z", "2027-03-28T23:00:00.000Z"]]);
  expect(pieces[0]?.label).toBe("Busy (Google), all day, Amara Okafor");
  const summer = busyPieces([busy(AMARA, "2027-03-29T22:30:00Z", "2027-03-30T00:30:00Z")], options);
  expect(spans(summer)).toEqual([
    [AMARA, "2027-03-29T22:30:00.000Z", "2027-03-29T23:00:00.000Z"],
    [AMARA, "2027-03-29T23:00:00.000Z", "2027-03-30T00:30:00.000Z"],
  ]);
});

test("only the people asked for, and never an empty block", () => {
  const pieces = busyPieces(
    [busy("someone-else", "2026-12-07T12:00:00Z", "2026-12-07T13:00:00Z"), busy(BEN, "2026-12-07T12:00:00Z", "2026-12-07T12:00:00Z")],
    options,
  );
  expect(pieces).toEqual([]);
});
