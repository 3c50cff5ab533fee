// Choosing a free time: a week of days (each with its number of free times, empty days marked), the
// previous and next week, a month calendar to jump to any bookable day, "next available", and the
// times of the chosen day in the zone the customer picked (labelled with it). Free times are read in
// windows of days, in that zone, and kept by TanStack Query, so going back costs nothing.
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Button } from "../../../components/ui/button";
import { addDays, formatDay, formatTime, monthEnd, todayIn, zoneAbbreviation, zoneName, zonedTimeToInstant } from "../../../lib/zoned";
import type { SlotSource } from "../api/public";
import { useWords } from "../i18n/use-words";
import {
  firstDayWithSlots,
  groupByDay,
  lastBookableDay,
  mergeByStart,
  SEARCH_LIMIT_DAYS,
  stripDays,
  windowRange,
  windowsCovering,
  windowStart,
  WINDOW_DAYS,
  type Slot,
} from "../utils/slots";
import { PageLoading } from "./customer-shell";
import { ZoneSelect } from "./zone-select";

const DatePicker = lazy(() => import("./date-picker"));

const monthOf = (date: string) => `${date.slice(0, 7)}-01`;


export interface SlotPickerProps {
  source: SlotSource;
  zone: string;
  onZoneChange: (zone: string) => void;
  suggestedZones: readonly string[];
  /** The business's bookable range (null: not known; "next available" then looks a year ahead). */
  maxAdvanceDays: number | null;
  /** The day to open at; without it, the picker opens at the first day with a free time. */
  openAt?: string | null;
  /** One time per start ("anyone available"), whoever and wherever offers it. */
  merge: boolean;
  selected: Slot | null;
  onSelect: (slot: Slot | null) => void;
  /** Extra words under a time (who, where), when the customer did not choose them. */
  describe?: (slot: Slot) => string | null;
}

export function SlotPicker({ source, zone, onZoneChange, suggestedZones, maxAdvanceDays, openAt = null, merge, selected, onSelect, describe }: SlotPickerProps) {
  const { t, locale } = useWords();
  const queryClient = useQueryClient();
  const today = todayIn(zone);
  const lastDay = maxAdvanceDays == null ? addDays(today, SEARCH_LIMIT_DAYS) : lastBookableDay(maxAdvanceDays, zone);
  const clamp = (date: string) => (date < today ? today : date > lastDay ? lastDay : date);

  const [day, setDay] = useState<string | null>(openAt ? clamp(openAt) : null);
  const [month, setMonth] = useState(monthOf(day ?? today));
  const [calendarOpen, setCalendarOpen] = useState(false);
  const [searching, setSearching] = useState(false);
  const [searchFailed, setSearchFailed] = useState(false);
  const [nothingUntil, setNothingUntil] = useState<string | null>(null);

  const windowQuery = (start: string) => ({
    queryKey: [...source.key, zone, start, lastDay],
    queryFn: () => {
      const { from, to } = windowRange(start, lastDay);
      return source.load(from, to, zone);
    },
    staleTime: 30_000,
  });

  /** The first date from `from` on with a free time, reading window after window (cached ones free). */
  async function findFrom(from: string): Promise<string | null> {
    for (let start = windowStart(from, today); start <= lastDay; start = addDays(start, WINDOW_DAYS)) {
      const answer = await queryClient.fetchQuery(windowQuery(start));
      const found = firstDayWithSlots(groupByDay(answer.slots, zone), from);
      if (found) return found;
    }
    return null;
  }

  function go(date: string) {
    const next = clamp(date);
    setDay(next);
    setMonth(monthOf(next));
    setNothingUntil(null);
    if (next !== day) onSelect(null);
  }

  async function search(from: string) {
    setSearching(true);
    setSearchFailed(false);
    try {
      const found = await findFrom(from);
      if (found) go(found);
      else {
        setDay((current) => current ?? today);
        setNothingUntil(lastDay);
      }
    } catch {
      setSearchFailed(true);
      setDay((current) => current ?? today);
    } finally {
      setSearching(false);
    }
  }

  // Opening without a day: go to the first day with a free time (once; the parent remounts the
  // picker when what is looked for changes).
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || openAt) return;
    opened.current = true;
    void search(today);
  }, []); // once, at opening

  // A zone change can move "today" and the last day: keep the shown day inside them.
  useEffect(() => {
    if (day && clamp(day) !== day) setDay(clamp(day));
  }, [today, lastDay]); // only when the range moves

  const shown = day ?? today;
  const strip = stripDays(shown, today).filter((d) => d <= lastDay);
  const starts = [
    ...new Set([
      ...windowsCovering(strip[0] ?? shown, strip[strip.length - 1] ?? shown, today, lastDay),
      ...(calendarOpen ? windowsCovering(month, monthEnd(month), today, lastDay) : []),
    ]),
  ];
  const results = useQueries({ queries: starts.map(windowQuery) });

  const all = results.flatMap((r) => r.data?.slots ?? []);
  const grouped = groupByDay(merge ? mergeByStart(all) : all, zone);
  // Free times per date, for the dates of the windows read so far (the others are not known yet).
  const counts = new Map<string, number>();
  starts.forEach((start, i) => {
    if (!results[i]?.data) return;
    const { from, to } = windowRange(start, lastDay);
    for (let d = from; d <= to; d = addDays(d, 1)) counts.set(d, grouped.get(d)?.length ?? 0);
  });

  const dayResult = results[starts.indexOf(windowStart(shown, today))];
  const times = grouped.get(shown) ?? [];
  const dayWords = formatDay(shown, locale, { weekday: "long", day: "numeric", month: "long" });
  const noonOfDay = zonedTimeToInstant(shown, 12 * 60, zone);
  const abbreviation = zoneAbbreviation(zone, times[0]?.start_at ?? noonOfDay, locale);
  const sameSlot = (a: Slot, b: Slot) =>
    Date.parse(a.start_at) === Date.parse(b.start_at) && (merge || (a.staff_id === b.staff_id && a.location_id === b.location_id));

  let status: string;
  if (searching || !day || dayResult?.isPending) status = t("picker.searching");
  else if (dayResult?.isError || searchFailed) status = "";
  else if (times.length) status = t("picker.count", { count: times.length, day: dayWords });
  else status = t("picker.none", { day: dayWords });

  return (
    <div className="slot-picker" aria-busy={searching || undefined}>
      <div className="picker-tools">
        <ZoneSelect value={zone} onChange={onZoneChange} suggested={suggestedZones} />
        <div className="picker-buttons">
          <Button size="sm" variant="secondary" busy={searching} onClick={() => void search(times.length ? addDays(shown, 1) : shown)}>
            {t("picker.nextAvailable")}
          </Button>
          <Button size="sm" variant="ghost" aria-expanded={calendarOpen} onClick={() => setCalendarOpen((open) => !open)}>
            {calendarOpen ? t("picker.hideCalendar") : t("picker.pickDate")}
          </Button>
        </div>
      </div>

      {calendarOpen && (
        <Suspense fallback={<PageLoading label={t("common.loading")} />}>
          <div className="picker-calendar">
            <DatePicker day={shown} month={month} today={today} lastDay={lastDay} counts={counts} onPick={go} onMonth={setMonth} />
          </div>
        </Suspense>
      )}

      <div className="slot-nav">
        <Button size="sm" variant="secondary" disabled={(strip[0] ?? today) <= today} onClick={() => go(addDays(shown, -7))}>
          <span aria-hidden="true">‹ </span>
          {t("picker.earlier")}
        </Button>
        <p className="slot-range">
          {strip.length > 0 &&
            `${formatDay(strip[0] ?? shown, locale, { day: "numeric", month: "short" })} – ${formatDay(strip[strip.length - 1] ?? shown, locale, { day: "numeric", month: "short", year: "numeric" })}`}
        </p>
        <Button size="sm" variant="secondary" disabled={(strip[strip.length - 1] ?? lastDay) >= lastDay} onClick={() => go(addDays(shown, 7))}>
          {t("picker.later")}
          <span aria-hidden="true"> ›</span>
        </Button>
      </div>

      <div className="day-strip" role="group" aria-label={t("picker.days")}>
        {strip.map((d) => {
          const count = counts.get(d);
          const words = formatDay(d, locale, { weekday: "long", day: "numeric", month: "long" });
          return (
            <button
              key={d}
              type="button"
              className={`day-chip${count === 0 ? " day-chip-empty" : ""}`}
              aria-pressed={d === day}
              aria-label={count === undefined ? words : t("picker.dayLabel", { day: words, count })}
              onClick={() => go(d)}
            >
              <span className="day-chip-weekday">{formatDay(d, locale, { weekday: "short" })}</span>
              <span className="day-chip-date">{formatDay(d, locale, { day: "numeric" })}</span>
              <span className="day-chip-month">{formatDay(d, locale, { month: "short" })}</span>
              <span className="day-chip-count">{count === undefined ? "…" : count === 0 ? "—" : String(count)}</span>
            </button>
          );
        })}
      </div>

      <p className="hint slot-zone">{t("picker.timesIn", { zone: zoneName(zone), abbr: abbreviation })}</p>
      {nothingUntil && (
        <p className="alert alert-info" role="status">
          {t("picker.noneAhead", { day: formatDay(nothingUntil, locale, { day: "numeric", month: "long", year: "numeric" }) })}
        </p>
      )}
      <p className="slot-status" role="status" aria-live="polite">
        {status}
      </p>

      {(dayResult?.isError || searchFailed) && !searching ? (
        <div className="alert alert-error" role="alert">
          <div className="alert-body">
            <p>{t("picker.loadFailed")}</p>
            <div className="alert-actions">
              <Button
                size="sm"
                onClick={() => {
                  if (searchFailed) void search(shown);
                  else void dayResult?.refetch();
                }}
              >
                {t("common.tryAgain")}
              </Button>
            </div>
          </div>
        </div>
      ) : (
        <div className="slot-times" role="group" aria-label={t("picker.times", { day: dayWords })}>
          {!searching &&
            times.map((slot) => {
              const time = formatTime(slot.start_at, zone, locale);
              const extra = describe?.(slot) ?? null;
              return (
                <button
                  key={`${slot.start_at}|${slot.staff_id}|${slot.location_id}`}
                  type="button"
                  className="time-chip"
                  data-slot={slot.start_at}
                  aria-pressed={Boolean(selected && sameSlot(selected, slot))}
                  aria-label={[`${time} ${abbreviation}`, extra].filter(Boolean).join(", ")}
                  onClick={() => onSelect(slot)}
                >
                  <span className="time-chip-time">{time}</span>
                  {extra && <span className="time-chip-extra">{extra}</span>}
                  {slot.seats_left > 1 && <span className="time-chip-extra">{t("picker.seats", { count: slot.seats_left })}</span>}
                </button>
              );
            })}
        </div>
      )}
    </div>
  );
}
