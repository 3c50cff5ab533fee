// Add the booked appointment to the customer's calendar: Google and Outlook by link, Apple (and any
// other calendar) by an .ics file made here and downloaded.
import { useWords } from "../i18n/use-words";
import { googleCalendarUrl, icsFile, outlookCalendarUrl, type CalendarEvent } from "../utils/calendar-links";

function download(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled: the download has its own copy by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AddToCalendar({ event }: { event: CalendarEvent }) {
  const { t } = useWords();
  return (
    <div className="add-to-calendar" role="group" aria-label={t("done.addToCalendar")}>
      <p className="add-to-calendar-title">{t("done.addToCalendar")}</p>
      <div className="add-to-calendar-links">
        <a className="btn btn-secondary btn-sm" href={googleCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
          {t("done.google")}
        </a>
        <a className="btn btn-secondary btn-sm" href={outlookCalendarUrl(event)} target="_blank" rel="noopener noreferrer">
          {t("done.outlook")}
        </a>
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => download(icsFile(event), "booking.ics")}>
          {t("done.apple")}
        </button>
      </div>
    </div>
  );
}
