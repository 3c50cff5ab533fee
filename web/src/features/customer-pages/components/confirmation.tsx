// After booking: what was booked (in the zone the customer chose), confirmed or waiting for the
// business, the link to change or cancel it, and add-to-calendar.
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { formatDateTime, zoneAbbreviation, zoneName } from "../../../lib/zoned";
import type { Booked, PublicLocation, PublicService } from "../api/public";
import { useWords } from "../i18n/use-words";
import { AddToCalendar } from "./add-to-calendar";

export const manageHref = (token: string) => `/manage-booking?token=${encodeURIComponent(token)}`;

export function Confirmation({ answer, businessName, slug, service, staffName, place, zone, email }: {
  answer: Booked;
  businessName: string;
  slug: string;
  service: PublicService;
  staffName: string | null;
  place: PublicLocation | null;
  zone: string;
  email: string | null;
}) {
  const { t, locale } = useWords();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const a = answer.appointment;
  const pending = a.status === "pending";
  const href = manageHref(answer.manage_token);
  const fullLink = new URL(href, window.location.href).href;
  const when = `${formatDateTime(a.start_at, zone, locale, { weekday: "long", month: "long", year: "numeric" })} (${zoneName(zone)}, ${zoneAbbreviation(zone, a.start_at, locale)})`;

  useEffect(() => {
    heading.current?.focus();
    window.scrollTo?.(0, 0);
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(fullLink);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  const event = {
    uid: `${a.id}@booking`,
    title: t("cal.title", { service: service.name, business: businessName }),
    description: [staffName ? t("cal.with", { staff: staffName }) : "", t("cal.manage", { url: fullLink })].filter(Boolean).join("\n"),
    location: [place?.name, place?.address].filter(Boolean).join(", ") || businessName,
    start: a.start_at,
    end: a.end_at,
    url: fullLink,
  };

  return (
    <div className={`result ${pending ? "result-info" : "result-success"} book-done`}>
      <span className="result-icon" aria-hidden="true">
        {pending ? "…" : "✓"}
      </span>
      <h1 ref={heading} tabIndex={-1}>
        {pending ? t("done.pendingTitle") : t("done.confirmedTitle")}
      </h1>
      <p>{pending ? t("done.pendingText", { business: businessName }) : t("done.confirmedText", { business: businessName })}</p>
      <dl className="facts facts-center">
        <div className="fact">
          <dt>{t("fact.what")}</dt>
          <dd>{service.name}</dd>
        </div>
        <div className="fact">
          <dt>{t("fact.when")}</dt>
          <dd>{when}</dd>
        </div>
        {staffName && (
          <div className="fact">
            <dt>{t("fact.with")}</dt>
            <dd>{staffName}</dd>
          </div>
        )}
        {place && (
          <div className="fact">
            <dt>{t("fact.where")}</dt>
            <dd>
              {place.name}
              {place.address && <span className="block muted">{place.address}</span>}
            </dd>
          </div>
        )}
        <div className="fact">
          <dt>{t("fact.status")}</dt>
          <dd>
            <span className={`status status-${a.status}`}>{pending ? t("status.pending") : t("status.confirmed")}</span>
          </dd>
        </div>
      </dl>
      {email && <p className="muted">{t("done.emailNote", { email })}</p>}
      <AddToCalendar event={event} />
      <div className="manage-link field">
        <label htmlFor="manage-link">{t("done.manageLabel")}</label>
        <div className="input-row">
          <input type="text" id="manage-link" readOnly value={fullLink} className="input-sm" onFocus={(e) => e.target.select()} />
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void copy()}>
            {copied === "yes" ? t("done.copied") : copied === "failed" ? t("done.copyFailed") : t("done.copy")}
          </button>
        </div>
        <p className="hint">{t("done.keepLink")}</p>
      </div>
      <div className="result-actions">
        <Link to={href} className="btn btn-primary">
          {t("done.manage")}
        </Link>
        <a href={`/book/${encodeURIComponent(slug)}`} className="btn btn-secondary">
          {t("done.bookAnother")}
        </a>
      </div>
    </div>
  );
}
