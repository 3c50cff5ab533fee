// react-big-calendar lays out Dates by their fields in the browser's own zone (date-fns under its
// dateFnsLocalizer), but the calendar shows the business's zone. So instants go in as "wall clock as
// if local" Dates (the business's 09:00 becomes a Date whose local fields read 09:00) and come back out
// through the business's zone: date-fns-tz's toZonedTime / fromZonedTime, which read the zone's rules
// for that very day, so a DST change in the business's zone is right whatever the browser's zone.
import { format, getDay, parse, startOfWeek } from "date-fns";
import { enGB } from "date-fns/locale";
import { fromZonedTime, toZonedTime } from "date-fns-tz";
import { dateFnsLocalizer, type DateLocalizer, type Formats } from "react-big-calendar";
import { formatDay, formatTime, formatTimeRange, type Instant } from "../../../lib/zoned";

/** The instant shown as a local Date whose fields read the wall clock of `timeZone`. */
export function toWall(instant: Instant, timeZone: string): Date {
  return toZonedTime(instant instanceof Date ? instant : new Date(instant), timeZone);
}

/** The instant of a wall-clock Date (its local fields read as `timeZone`'s clock). */
export function fromWall(wall: Date, timeZone: string): Date {
  return fromZonedTime(wall, timeZone);
}

/** The wall-clock Date of local midnight of a "YYYY-MM-DD" date (for the calendar's `date` prop). */
export function wallDate(date: string): Date {
  return parse(date, "yyyy-MM-dd", new Date(2000, 0, 1));
}

/** The "YYYY-MM-DD" a wall-clock Date falls on. */
export function wallDateString(wall: Date): string {
  return format(wall, "yyyy-MM-dd");
}

/** Weeks start on Monday, as the API's weekdays do (ISO: Monday 1). */
export const localizer: DateLocalizer = dateFnsLocalizer({
  format,
  parse,
  startOfWeek: (date: Date) => startOfWeek(date, { weekStartsOn: 1 }),
  getDay,
  locales: { "en-GB": enGB },
});

/**
 * A wall-clock Date's fields as that same reading in UTC: formatted "in UTC" it prints exactly the
 * fields, even for a gutter row the business's clocks skip on the night they go forward.
 */
function fieldsInUtc(wall: Date): Date {
  return new Date(Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes()));
}

/** The calendar's labels: every clock time through formatTime / formatTimeRange (the app's one format). */
export function calendarFormats(locale: string): Formats {
  const time = (wall: Date) => formatTime(fieldsInUtc(wall), "UTC", locale);
  const range = ({ start, end }: { start: Date; end: Date }) => formatTimeRange(fieldsInUtc(start), fieldsInUtc(end), "UTC", locale);
  const day = (wall: Date, options: Intl.DateTimeFormatOptions) => formatDay(wallDateString(wall), locale, options);
  return {
    timeGutterFormat: time,
    eventTimeRangeFormat: range,
    eventTimeRangeStartFormat: ({ start }: { start: Date }) => `${time(start)} –`,
    eventTimeRangeEndFormat: ({ end }: { end: Date }) => `– ${time(end)}`,
    selectRangeFormat: range,
    agendaTimeFormat: time,
    agendaTimeRangeFormat: range,
    dayFormat: (wall: Date) => day(wall, { weekday: "short", day: "numeric" }),
    weekdayFormat: (wall: Date) => day(wall, { weekday: "short" }),
    dateFormat: (wall: Date) => day(wall, { day: "numeric" }),
    dayHeaderFormat: (wall: Date) => day(wall, { weekday: "long", day: "numeric", month: "long", year: "numeric" }),
    dayRangeHeaderFormat: ({ start, end }: { start: Date; end: Date }) =>
      `${day(start, { day: "numeric", month: "short" })} – ${day(end, { day: "numeric", month: "short", year: "numeric" })}`,
    monthHeaderFormat: (wall: Date) => day(wall, { month: "long", year: "numeric" }),
  };
}
