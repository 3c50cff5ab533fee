// "/book/:slug": a business's public booking page, for customers without an account. Service, then
// who (or anyone available) and where, then a free time in the customer's own time zone, then their
// details and consent. No token is ever sent, and no error sends anyone to a log-in page.
import { useEffect, useMemo, useRef, useState } from "react";
import { useParams, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { ApiError } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { useMediaUrl } from "../../../lib/config";
import { formatMoney } from "../../../lib/format";
import { browserTimeZone, formatDateTime, zoneAbbreviation, zoneName } from "../../../lib/zoned";
import { useQueryClient } from "@tanstack/react-query";
import { forgetSlots, publicSlotSource, useProfile, type Booked, type Profile, type PublicService, type PublicStaff } from "../api/public";
import { useWords } from "../i18n/use-words";
import { refusal } from "../utils/refusals";
import type { Slot } from "../utils/slots";
import { formatServiceLength } from "../utils/words";
import { BookingForm } from "./booking-form";
import { Confirmation } from "./confirmation";
import { CustomerShell, PageLoading, ProblemPanel } from "./customer-shell";
import { PolicyNote, usePolicyWords } from "./policy-note";
import { SlotPicker } from "./slot-picker";

export function BookingPage() {
  return (
    <CustomerShell>
      <BookingLoader />
    </CustomerShell>
  );
}

function BookingLoader() {
  const { slug = "" } = useParams();
  const { t } = useWords();
  const profile = useProfile(slug);
  if (profile.isPending) return <PageLoading label={t("book.loading")} />;
  if (profile.isError) {
    const missing = profile.error instanceof ApiError && profile.error.status === 404;
    return missing ? (
      <ProblemPanel title={t("book.notFoundTitle")} text={t("book.notFoundText")} />
    ) : (
      <ProblemPanel title={t("book.loadFailedTitle")} text={refusal(t, profile.error)} onRetry={() => void profile.refetch()} />
    );
  }
  return <BookingFlow profile={profile.data} />;
}

function ContactLine({ contact }: { contact: Profile["business"]["contact"] }) {
  const parts = [
    contact.phone ? <a key="phone" href={`tel:${contact.phone.replace(/[^+0-9]/g, "")}`}>{contact.phone}</a> : null,
    contact.email ? <a key="email" href={`mailto:${contact.email}`}>{contact.email}</a> : null,
    contact.website ? (
      <a key="web" href={/^https?:\/\//.test(contact.website) ? contact.website : `https://${contact.website}`} rel="noopener noreferrer">
        {contact.website.replace(/^https?:\/\//, "")}
      </a>
    ) : null,
    contact.address ? <span key="address">{contact.address}</span> : null,
  ].filter(Boolean);
  if (!parts.length) return null;
  return <p className="book-contact">{parts.flatMap((part, i) => (i ? [" · ", part] : [part]))}</p>;
}

function BusinessHeader({ business }: { business: Profile["business"] }) {
  const { t } = useWords();
  const logo = useMediaUrl(business.logo_key);
  const [failed, setFailed] = useState(false);
  return (
    <header className="book-header book-brand">
      {logo && !failed && <img className="book-logo" src={logo} alt="" onError={() => setFailed(true)} />}
      <div>
        <p className="book-eyebrow">{t("book.eyebrow")}</p>
        <h1 tabIndex={-1}>{business.name}</h1>
        <ContactLine contact={business.contact} />
      </div>
    </header>
  );
}

/** Services under their categories, in the order the business lists them. */
function byCategory(services: readonly PublicService[]): [string | null, PublicService[]][] {
  const groups = new Map<string | null, PublicService[]>();
  for (const service of services) {
    const key = service.category?.trim() || null;
    groups.set(key, [...(groups.get(key) ?? []), service]);
  }
  return [...groups.entries()];
}

function StaffPhoto({ person }: { person: PublicStaff }) {
  const url = useMediaUrl(person.photo_key);
  const [failed, setFailed] = useState(false);
  return url && !failed ? (
    <img className="staff-photo" src={url} alt="" onError={() => setFailed(true)} />
  ) : (
    <span className="staff-photo staff-initials" aria-hidden="true">
      {person.name.trim().charAt(0).toUpperCase()}
    </span>
  );
}

function StepTitle({ number, id, children }: { number: number; id: string; children: string }) {
  return (
    <h2 id={id} tabIndex={-1}>
      <span className="step-number" aria-hidden="true">
        {number}
      </span>
      {children}
    </h2>
  );
}

function BookingFlow({ profile }: { profile: Profile }) {
  const { business, services, staff, locations } = profile;
  const { t, locale } = useWords();
  const api = useApi();
  const queryClient = useQueryClient();
  const [search] = useSearchParams();
  const policyWords = usePolicyWords();
  const [serviceId, setServiceId] = useState<string | null>(() => services.find((s) => s.id === search.get("service"))?.id ?? null);
  const [staffId, setStaffId] = useState("");
  const [locationId, setLocationId] = useState("");
  const [zone, setZone] = useState(browserTimeZone);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [timeWarning, setTimeWarning] = useState<string | null>(null);
  const [booked, setBooked] = useState<{ answer: Booked; email: string | null } | null>(null);
  const timeStep = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = t("book.documentTitle", { business: business.name });
  }, [t, business.name]);

  const service = services.find((s) => s.id === serviceId) ?? null;
  const staffById = useMemo(() => new Map(staff.map((s) => [s.id, s])), [staff]);
  const placeById = useMemo(() => new Map(locations.map((l) => [l.id, l])), [locations]);
  const performers = (service?.staff ?? [])
    .map((p) => ({ performer: p, person: staffById.get(p.staff_id) }))
    .filter((p): p is { performer: typeof p.performer; person: PublicStaff } => Boolean(p.person))
    .filter(({ person }) => !locationId || person.location_ids.includes(locationId));
  const source = useMemo(
    () => (serviceId ? publicSlotSource(api, business.slug, { serviceId, staffId: staffId || null, locationId: locationId || null }) : null),
    [api, business.slug, serviceId, staffId, locationId],
  );
  const suggestedZones = useMemo(() => [business.time_zone, ...locations.map((l) => l.time_zone)], [business.time_zone, locations]);
  const needsConfirmation = Boolean(service?.requires_confirmation || !business.booking_policy.auto_confirm);

  function chooseService(id: string) {
    setServiceId(id);
    setStaffId("");
    setSlot(null);
    setTimeWarning(null);
  }

  function chooseLocation(id: string) {
    setLocationId(id);
    const person = staffById.get(staffId);
    if (id && person && !person.location_ids.includes(id)) setStaffId("");
    setSlot(null);
  }

  if (booked && service) {
    const a = booked.answer.appointment;
    return (
      <Confirmation
        answer={booked.answer}
        businessName={business.name}
        slug={business.slug}
        service={service}
        staffName={staffById.get(a.staff_id)?.name ?? null}
        place={placeById.get(a.location_id) ?? null}
        zone={zone}
        email={booked.email}
      />
    );
  }

  if (!services.length) {
    return (
      <>
        <BusinessHeader business={business} />
        <p className="card book-step">{t("book.closed")}</p>
      </>
    );
  }

  const describe = (s: Slot) => {
    const parts: string[] = [];
    if (locations.length > 1 && !locationId) parts.push(placeById.get(s.location_id)?.name ?? "");
    return parts.filter(Boolean).join(" · ") || null;
  };
  const chosenPerformer = service?.staff.find((p) => p.staff_id === staffId);
  const length = chosenPerformer?.duration_min ?? service?.duration_min ?? 0;
  const price = chosenPerformer?.price ?? service?.price ?? null;

  return (
    <>
      <BusinessHeader business={business} />

      <section className="card book-step" aria-labelledby="step-service">
        <StepTitle number={1} id="step-service">
          {t("book.stepService")}
        </StepTitle>
        <fieldset className="service-groups">
          <legend className="sr-only">{t("book.service")}</legend>
          {byCategory(services).map(([category, list]) => (
            <div key={category ?? ""} className="service-group">
              {category && <h3 className="service-category">{category}</h3>}
              <div className="service-list">
                {list.map((s) => (
                  <div key={s.id} className="service-option">
                    <input type="radio" name="service" id={`service-${s.id}`} value={s.id} checked={s.id === serviceId} onChange={() => chooseService(s.id)} />
                    <label htmlFor={`service-${s.id}`}>
                      <span className="service-name">{s.name}</span>
                      <span className="service-meta">{[formatServiceLength(s.duration_min, locale), formatMoney(s.price, locale)].filter(Boolean).join(" · ")}</span>
                      {s.description && <span className="service-description">{s.description}</span>}
                    </label>
                  </div>
                ))}
              </div>
            </div>
          ))}
        </fieldset>
      </section>

      {service && source && (
        <section className="card book-step" aria-labelledby="step-staff">
          <StepTitle number={2} id="step-staff">
            {t("book.stepStaff")}
          </StepTitle>
          {locations.length > 1 && (
            <div className="field">
              <label htmlFor="book-location">{t("book.location")}</label>
              <select id="book-location" value={locationId} onChange={(e) => chooseLocation(e.target.value)}>
                <option value="">{t("book.anyLocation")}</option>
                {locations.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.address ? `${l.name} (${l.address})` : l.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <fieldset className="staff-list">
            <legend className="sr-only">{t("book.staff")}</legend>
            <div className="service-option staff-option">
              <input type="radio" name="staff" id="staff-any" value="" checked={staffId === ""} onChange={() => { setStaffId(""); setSlot(null); }} />
              <label htmlFor="staff-any">
                <span className="staff-photo staff-initials" aria-hidden="true">
                  ★
                </span>
                <span className="staff-text">
                  <span className="service-name">{t("book.anyone")}</span>
                  <span className="service-description">{t("book.anyoneHint")}</span>
                </span>
              </label>
            </div>
            {performers.map(({ performer, person }) => {
              const own = [
                performer.duration_min != null && performer.duration_min !== service.duration_min ? formatServiceLength(performer.duration_min, locale) : "",
                performer.price ? formatMoney(performer.price, locale) : "",
              ].filter(Boolean);
              return (
                <div key={person.id} className="service-option staff-option">
                  <input type="radio" name="staff" id={`staff-${person.id}`} value={person.id} checked={staffId === person.id} onChange={() => { setStaffId(person.id); setSlot(null); }} />
                  <label htmlFor={`staff-${person.id}`}>
                    <StaffPhoto person={person} />
                    <span className="staff-text">
                      <span className="service-name">{person.name}</span>
                      {own.length > 0 && <span className="service-meta">{own.join(" · ")}</span>}
                      {person.bio && <span className="service-description">{person.bio}</span>}
                    </span>
                  </label>
                </div>
              );
            })}
          </fieldset>
        </section>
      )}

      {service && source && (
        <section className="card book-step" aria-labelledby="step-time" ref={timeStep}>
          <StepTitle number={3} id="step-time">
            {t("book.stepTime")}
          </StepTitle>
          <PolicyNote policy={business.booking_policy} needsConfirmation={needsConfirmation} />
          {timeWarning && <Alert tone="warning">{timeWarning}</Alert>}
          <SlotPicker
            key={JSON.stringify(source.key)}
            source={source}
            zone={zone}
            onZoneChange={setZone}
            suggestedZones={suggestedZones}
            maxAdvanceDays={business.booking_policy.max_advance_days}
            merge={!staffId}
            selected={slot}
            onSelect={(s) => {
              setSlot(s);
              if (s) setTimeWarning(null);
            }}
            describe={describe}
          />
        </section>
      )}

      {service && slot && (
        <section className="card book-step" aria-labelledby="step-details">
          <StepTitle number={4} id="step-details">
            {t("book.stepDetails")}
          </StepTitle>
          <p className="book-summary" aria-live="polite">
            <strong>{service.name}</strong>
            {` · ${formatDateTime(slot.start_at, zone, locale, { weekday: "long", month: "long" })} (${zoneName(zone)}, ${zoneAbbreviation(zone, slot.start_at, locale)})`}
            {staffId && staffById.get(staffId) ? ` · ${t("book.withStaff", { staff: staffById.get(staffId)?.name ?? "" })}` : ""}
            {locations.length > 1 && placeById.get(slot.location_id) ? ` · ${placeById.get(slot.location_id)?.name ?? ""}` : ""}
            {` · ${[formatServiceLength(length, locale), formatMoney(price, locale)].filter(Boolean).join(" · ")}`}
          </p>
          <BookingForm
            slug={business.slug}
            businessName={business.name}
            serviceId={service.id}
            staffId={staffId || null}
            slot={slot}
            submitLabel={needsConfirmation ? t("form.request") : t("form.book")}
            policyHint={policyWords(business.booking_policy, false).join(" ")}
            onBooked={(answer, email) => setBooked({ answer, email })}
            onSlotLost={(message) => {
              setSlot(null);
              setTimeWarning(message);
              void forgetSlots(queryClient);
              timeStep.current?.scrollIntoView?.({ block: "start", behavior: "smooth" });
              timeStep.current?.querySelector<HTMLElement>("h2")?.focus({ preventScroll: true });
            }}
          />
        </section>
      )}
    </>
  );
}
