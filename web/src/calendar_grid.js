// The calendar's layout maths (pure: tested under node). Positions are minutes elapsed since the local
// day began, not wall-clock minutes, so a 23-hour day is 1380 minutes tall and nothing overlaps when
// the clocks go back.
import { addDays, dayBounds, localDate, toMs, weekRange, zonedParts, zonedTimeToInstant } from "./zoned.js";

/** The dates a view covers: one day, or the Monday-to-Sunday week around `date`. */
export function viewRange(view, date) {
  if (view === "week") return weekRange(date);
  return { from: date, to: date, days: [date] };
}

/** Where the view goes on "previous"/"next". */
export function stepDate(view, date, direction) {
  return addDays(date, (view === "week" ? 7 : 1) * direction);
}

/** The part of [start, end) inside the day, as {top, height} in minutes from its start; null if outside. */
export function placeInDay(start, end, bounds) {
  const from = Math.max(toMs(start), bounds.start.getTime());
  const until = Math.min(toMs(end), bounds.end.getTime());
  if (until <= from) return null;
  const top = (from - bounds.start.getTime()) / 60_000;
  return {
    top, height: Math.max(0, (until - from) / 60_000),
    clippedStart: toMs(start) < bounds.start.getTime(), clippedEnd: toMs(end) > bounds.end.getTime(),
  };
}

/** A mark at every hour the day really has, labelled with its wall-clock time ("00:00", "02:00", …). */
export function hourMarks(bounds, timeZone) {
  const marks = [];
  for (let minute = 0; minute < bounds.minutes; minute += 60) {
    const p = zonedParts(bounds.start.getTime() + minute * 60_000, timeZone);
    marks.push({ minute, hour: p.hour, label: `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}` });
  }
  return marks;
}

/**
 * The stretch of the day worth drawing: the usual hours (08:00–20:00 on the wall clock) widened to
 * whole hours around every placement, as {start, end} in minutes from the day's start.
 */
export function visibleWindow(bounds, placements, timeZone, { fromHour = 8, toHour = 20 } = {}) {
  const elapsed = (hour) => (zonedTimeToInstant(bounds.date, hour * 60, timeZone) - bounds.start) / 60_000;
  let start = elapsed(fromHour);
  let end = toHour >= 24 ? bounds.minutes : elapsed(toHour);
  for (const p of placements) {
    if (!p) continue;
    start = Math.min(start, Math.floor(p.top / 60) * 60);
    end = Math.max(end, Math.ceil((p.top + Math.max(p.height, 15)) / 60) * 60);
  }
  start = Math.max(0, start);
  return { start, end: Math.min(bounds.minutes, Math.max(end, start + 60)) };
}

/**
 * Side-by-side lanes for overlapping items (a cancelled booking and the one that took its place, a
 * group session): [{item, lane, lanes}], `lanes` being the width of the cluster the item is in.
 */
export function assignLanes(items, startOf, endOf) {
  const sorted = items
    .map((item) => ({ item, start: toMs(startOf(item)), end: toMs(endOf(item)) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const placed = [];
  let cluster = [];
  let clusterEnd = -Infinity;
  const closeCluster = () => {
    const lanes = cluster.reduce((max, c) => Math.max(max, c.lane + 1), 0);
    for (const c of cluster) c.lanes = lanes;
    cluster = [];
  };
  for (const entry of sorted) {
    if (entry.start >= clusterEnd && cluster.length) closeCluster();
    const laneEnds = [];
    for (const c of cluster) laneEnds[c.lane] = Math.max(laneEnds[c.lane] ?? -Infinity, c.end);
    let lane = laneEnds.findIndex((end) => end === undefined || end <= entry.start);
    if (lane === -1) lane = laneEnds.length;
    const placedEntry = { item: entry.item, lane, lanes: 1, end: entry.end };
    cluster.push(placedEntry);
    placed.push(placedEntry);
    clusterEnd = Math.max(clusterEnd === -Infinity ? entry.end : clusterEnd, entry.end);
  }
  if (cluster.length) closeCluster();
  return placed.map(({ item, lane, lanes }) => ({ item, lane, lanes }));
}

/** Appointments by local start date, then by staff id, each list in start order. */
export function groupByDayAndStaff(appointments, timeZone) {
  const days = new Map();
  const sorted = [...appointments].sort((a, b) => toMs(a.start_at) - toMs(b.start_at));
  for (const appointment of sorted) {
    const day = localDate(appointment.start_at, timeZone);
    if (!days.has(day)) days.set(day, new Map());
    const byStaff = days.get(day);
    if (!byStaff.has(appointment.staff_id)) byStaff.set(appointment.staff_id, []);
    byStaff.get(appointment.staff_id).push(appointment);
  }
  return days;
}

/**
 * The staff columns to draw: active staff, plus anyone (inactive, or unknown to the staff list) who has
 * an appointment in view. `onlyStaffId`: a staff-role member sees their own column alone.
 */
export function staffColumns(staff, appointments, { onlyStaffId = null } = {}) {
  const busy = new Set(appointments.map((a) => a.staff_id));
  const known = new Set(staff.map((s) => s.id));
  const columns = staff
    .filter((s) => s.active !== false || busy.has(s.id))
    .map((s) => ({ id: s.id, name: s.name, active: s.active !== false }));
  for (const id of busy) if (!known.has(id)) columns.push({ id, name: "Former staff member", active: false });
  return onlyStaffId ? columns.filter((c) => c.id === onlyStaffId) : columns;
}

/**
 * A group session's bookings (same staff member, service, start and end; `groupable(a)` says whether
 * the service takes several people) as one entry; every other appointment is an entry of its own.
 * Entries: {key, start_at, end_at, staff_id, service_id, appointments}, in the order first seen.
 */
export function groupSessions(appointments, groupable = () => false) {
  const entries = [];
  const sessions = new Map();
  for (const a of appointments) {
    if (!groupable(a)) {
      entries.push({ key: a.id, start_at: a.start_at, end_at: a.end_at, staff_id: a.staff_id, service_id: a.service_id, appointments: [a] });
      continue;
    }
    const key = `${a.staff_id}|${a.service_id}|${toMs(a.start_at)}|${toMs(a.end_at)}`;
    if (!sessions.has(key)) {
      const entry = { key, start_at: a.start_at, end_at: a.end_at, staff_id: a.staff_id, service_id: a.service_id, appointments: [] };
      sessions.set(key, entry);
      entries.push(entry);
    }
    sessions.get(key).appointments.push(a);
  }
  return entries;
}

/** Where "now" is in the day, in minutes from its start, or null on another day. */
export function nowLine(bounds, now = Date.now()) {
  const at = toMs(now);
  return at >= bounds.start.getTime() && at < bounds.end.getTime() ? (at - bounds.start.getTime()) / 60_000 : null;
}

export { dayBounds };
