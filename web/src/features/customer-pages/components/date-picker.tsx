// The month calendar for jumping to any bookable day (react-day-picker), loaded only when opened.
// Its words come from Intl in the page's language, so no date-fns locale is shipped; days known to
// have no free time are marked.
import { format, parseISO } from "date-fns";
import { DayPicker } from "react-day-picker";
import "react-day-picker/style.css";
import { useWords } from "../i18n/use-words";

const asDate = (date: string) => parseISO(date);
const asDay = (date: Date) => format(date, "yyyy-MM-dd");

export interface DatePickerProps {
  day: string;
  month: string;
  today: string;
  lastDay: string | null;
  /** Free times per date, for the dates whose times are known. */
  counts: ReadonlyMap<string, number>;
  onPick: (date: string) => void;
  onMonth: (monthStart: string) => void;
}

export default function DatePicker({ day, month, today, lastDay, counts, onPick, onMonth }: DatePickerProps) {
  const { t, locale } = useWords();
  const words = (date: Date, options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, options).format(date);
  return (
    <DayPicker
      mode="single"
      required
      selected={asDate(day)}
      onSelect={(date) => onPick(asDay(date))}
      month={asDate(month)}
      onMonthChange={(m) => onMonth(asDay(m))}
      startMonth={asDate(today)}
      endMonth={lastDay ? asDate(lastDay) : undefined}
      disabled={[{ before: asDate(today) }, ...(lastDay ? [{ after: asDate(lastDay) }] : [])]}
      modifiers={{ empty: (date) => counts.get(asDay(date)) === 0 }}
      modifiersClassNames={{ empty: "rdp-day-empty" }}
      weekStartsOn={1}
      formatters={{
        formatCaption: (m) => words(m, { month: "long", year: "numeric" }),
        formatWeekdayName: (d) => words(d, { weekday: "narrow" }),
      }}
      labels={{
        labelNext: () => t("picker.nextMonth"),
        labelPrevious: () => t("picker.prevMonth"),
        labelNav: () => t("picker.calendar"),
        labelGrid: (m) => words(m, { month: "long", year: "numeric" }),
        labelWeekday: (d) => words(d, { weekday: "long" }),
        labelDayButton: (date, modifiers) => {
          const name = words(date, { weekday: "long", day: "numeric", month: "long" });
          const count = counts.get(asDay(date));
          if (modifiers.disabled) return `${name}: ${t("picker.notBookable")}`;
          return count === undefined ? name : t("picker.dayLabel", { day: name, count });
        },
      }}
    />
  );
}
