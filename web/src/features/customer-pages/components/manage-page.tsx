// "/manage-booking?token=…": the customer's link to their booking (no account). Shows the booking in
// the customer's time zone; moves it to another free time of the same service, person and place while
// the business's cut-off allows (the picker opens at the booking's own date, and warns when the new
// time would be inside the cut-off, so that it could no longer be changed online); cancels it, after
// asking; and explains what is closed once the cut-off has passed.
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useSearchParams } from "react-router";
import { Alert, type Tone } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { ApiError } from "../../../lib/api-client";
import { useApi } from "../../../lib/api-context";
import { formatMoney } from "../../../lib/format";
import { browserTimeZone, formatDateTime, localDate, zoneAbbreviation, zoneName } from "../../../lib/zoned";
import { moveSlotSource, useCancelBooking, useManaged, useProfile, useRescheduleBooking, type Managed } from "../api/public";
import type { MessageId } from "../i18n/messages";
import { useWords } from "../i18n/use-words";
import { refusal } from "../utils/refusals";
import type { Slot } from "../utils/slots";
import { formatDuration } from "../utils/words";
import { CustomerShell, PageLoading, ProblemPanel } from "./customer-shell";
import { SlotPicker } from "./slot-picker";
import { ZoneSelect } from "./zone-select";

export function ManagePage() {
  return (
    <CustomerShell>
      <ManageLoader />
    </CustomerShell>
  );
}

function ManageLoader() {
  const [search] = useSearchParams();
  const token = search.get("token");
  const { t } = useWords();
  const managed = useManaged(token);
  useEffect(() => {
    document.title = t("manage.documentTitle");
  }, [t]);
  if (!token) return <ProblemPanel title={t("manage.incompleteTitle")} text={t("manage.incompleteText")} />;
  if (managed.isPending) return <PageLoading label={t("manage.loading")} />;
  if (managed.isError) {
    const missing = managed.error instanceof ApiError && managed.error.status === 404;
    return missing ? (
      <ProblemPanel title={t("manage.notFoundTitle")} text={t("manage.notFoundText")} />
    ) : (
      <ProblemPanel title={t("manage.loadFailedTitle")} text={refusal(t, managed.error)} onRetry={() => void managed.refetch()} />
    );
  }
  return <ManageView token={token} managed={managed.data} />;
}

const MINUTE = 60_000;
const STATUS_WORDS: Record<Managed["appointment"]["status"], MessageId> = {
  pending: "manage.statusPending",
  confirmed: "status.confirmed",
  completed: "status.completed",
  no_show: "status.no_show",
  cancelled: "status.cancelled",
};

type Notice = { tone: Tone; text: string } | null;

function ManageView({ token, managed }: { token: string; managed: Managed }) {
  const { t, locale } = useWords();
  const a = managed.appointment;
  const business = managed.business;
  const [zone, setZone] = useState(browserTimeZone);
  const [panel, setPanel] = useState<"none" | "move" | "cancel">("none");
  const [notice, setNotice] = useState<Notice>(null);
  const profile = useProfile(business.slug);
  const suggestedZones = useMemo(() => [business.time_zone, ...(managed.location.time_zone ? [managed.location.time_zone] : [])], [business.time_zone, managed.location.time_zone]);

  const when = (instant: string) => `${formatDateTime(instant, zone, locale, { weekday: "long", month: "long", year: "numeric" })}`;
  const labelled = (instant: string) => `${when(instant)} (${zoneName(zone)}, ${zoneAbbreviation(zone, instant, locale)})`;
  const contact = [business.contact.phone, business.contact.email].filter(Boolean).join(", ");
  const who = contact ? `${business.name} (${contact})` : business.name;
  const past = Date.parse(a.end_at) <= Date.now() || a.status === "completed" || a.status === "no_show";
  const active = (a.status === "pending" || a.status === "confirmed") && !past;

  function done(next: Notice) {
    setPanel("none");
    setNotice(next);
  }

  let closed: string | null = null;
  if (active && !managed.can_reschedule && !managed.can_cancel) closed = t("manage.closedBoth", { date: labelled(managed.cancel_until), business: who });
  else if (active && !managed.can_reschedule) closed = t("manage.closedChange", { date: labelled(managed.reschedule_until), business: who });
  else if (active && !managed.can_cancel) closed = t("manage.closedCancel", { date: labelled(managed.cancel_until), business: who });

  return (
    <>
      <header className="book-header">
        <p className="book-eyebrow">{business.name}</p>
        <h1 tabIndex={-1}>{t("manage.title")}</h1>
      </header>
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <section className="card book-step" aria-label={t("manage.details")}>
        <dl className="facts">
          <div className="fact">
            <dt>{t("fact.what")}</dt>
            <dd>{managed.service.name}</dd>
          </div>
          <div className="fact">
            <dt>{t("fact.when")}</dt>
            <dd>
              {when(a.start_at)}
              <span className="block muted">{t("manage.zoneNote", { zone: zoneName(zone), abbr: zoneAbbreviation(zone, a.start_at, locale) })}</span>
            </dd>
          </div>
          {managed.staff.name && (
            <div className="fact">
              <dt>{t("fact.with")}</dt>
              <dd>{managed.staff.name}</dd>
            </div>
          )}
          {managed.location.name && (
            <div className="fact">
              <dt>{t("fact.where")}</dt>
              <dd>
                {managed.location.name}
                {managed.location.address && <span className="block muted">{managed.location.address}</span>}
              </dd>
            </div>
          )}
          <div className="fact">
            <dt>{t("fact.price")}</dt>
            <dd>{formatMoney(a.price, locale)}</dd>
          </div>
          <div className="fact">
            <dt>{t("fact.status")}</dt>
            <dd>
              <span className={`status status-${a.status}`}>{t(STATUS_WORDS[a.status])}</span>
            </dd>
          </div>
        </dl>
        {panel === "none" && <ZoneSelect value={zone} onChange={setZone} suggested={suggestedZones} />}

        {a.status === "cancelled" && (
          <div className="manage-state">
            <p>{t("manage.cancelledState")}</p>
            <Link className="btn btn-secondary" to={`/book/${encodeURIComponent(business.slug)}`}>
              {t("manage.bookAgain")}
            </Link>
          </div>
        )}
        {past && a.status !== "cancelled" && <p className="manage-state">{t("manage.pastState")}</p>}
        {closed && <p className="manage-note">{closed}</p>}
        {active && managed.can_cancel && <p className="hint">{t("manage.cancelUntil", { date: labelled(managed.cancel_until) })}</p>}
        {active && managed.can_reschedule && managed.reschedule_until !== managed.cancel_until && (
          <p className="hint">{t("manage.changeUntil", { date: labelled(managed.reschedule_until) })}</p>
        )}

        {active && panel === "none" && (managed.can_reschedule || managed.can_cancel) && (
          <div className="manage-actions">
            {managed.can_reschedule && (
              <Button variant="primary" onClick={() => { setNotice(null); setPanel("move"); }}>
                {t("manage.change")}
              </Button>
            )}
            {managed.can_cancel && (
              <Button variant="danger-ghost" onClick={() => { setNotice(null); setPanel("cancel"); }}>
                {t("manage.cancel")}
              </Button>
            )}
          </div>
        )}
        {panel === "move" && (
          <MovePanel
            token={token}
            managed={managed}
            zone={zone}
            onZoneChange={setZone}
            suggestedZones={suggestedZones}
            maxAdvanceDays={profile.data?.business.booking_policy.max_advance_days ?? null}
            labelled={labelled}
            who={who}
            onClose={() => setPanel("none")}
            onDone={done}
          />
        )}
        {panel === "cancel" && <CancelPanel token={token} onClose={() => setPanel("none")} onDone={done} />}
      </section>
    </>
  );
}

/** A refusal of a change that means the booking is not what the page shows: say so (it is reloaded). */
function changedUnderUs(t: ReturnType<typeof useWords>["t"], error: unknown, tooLate: MessageId): Notice {
  if (!(error instanceof ApiError)) return null;
  if (error.code === "cutoff_passed") return { tone: "warning", text: t(tooLate) };
  if (error.code === "invalid_transition") return { tone: "warning", text: t("error.changed") };
  return null;
}

function MovePanel({ token, managed, zone, onZoneChange, suggestedZones, maxAdvanceDays, labelled, who, onClose, onDone }: {
  token: string;
  managed: Managed;
  zone: string;
  onZoneChange: (zone: string) => void;
  suggestedZones: readonly string[];
  maxAdvanceDays: number | null;
  labelled: (instant: string) => string;
  who: string;
  onClose: () => void;
  onDone: (notice: Notice) => void;
}) {
  const { t, locale } = useWords();
  const api = useApi();
  const move = useRescheduleBooking(token);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const source = useMemo(() => moveSlotSource(api, token), [api, token]);
  const a = managed.appointment;
  // The business's cut-offs, as the booking's own dates show them (the answer carries no policy).
  const changeCutoff = (Date.parse(a.start_at) - Date.parse(managed.reschedule_until)) / MINUTE;
  const cancelCutoff = (Date.parse(a.start_at) - Date.parse(managed.cancel_until)) / MINUTE;

  // The booking's own time is free to it (the API leaves it out of the way), so it is offered too:
  // marked, and not a move.
  const isCurrent = (s: Slot) => Date.parse(s.start_at) === Date.parse(a.start_at);
  const moving = slot !== null && !isCurrent(slot);

  let warning: string | null = null;
  if (slot && moving) {
    const ahead = (Date.parse(slot.start_at) - Date.now()) / MINUTE;
    const endsChange = ahead <= changeCutoff;
    const endsCancel = ahead <= cancelCutoff;
    if (endsChange && endsCancel) warning = t("manage.warnBoth", { duration: formatDuration(Math.max(changeCutoff, cancelCutoff), locale), business: who });
    else if (endsChange) warning = t("manage.warnChange", { duration: formatDuration(changeCutoff, locale), business: who });
    else if (endsCancel) warning = t("manage.warnCancel", { duration: formatDuration(cancelCutoff, locale), business: who });
  }

  async function submit() {
    if (!slot || !moving) return;
    setProblem(null);
    try {
      const { appointment } = await move.mutateAsync(slot.start_at);
      onDone({ tone: "success", text: t("manage.moved", { when: labelled(appointment.start_at) }) });
    } catch (error) {
      const changed = changedUnderUs(t, error, "manage.tooLateChange");
      if (changed) return onDone(changed);
      if (error instanceof ApiError && (error.code === "slot_taken" || error.code === "slot_unavailable")) setSlot(null);
      setProblem(error instanceof ApiError && error.status === 422 ? t("manage.unavailable") : refusal(t, error));
    }
  }

  return (
    <div className="stack manage-form" role="group" aria-labelledby="move-title">
      <h2 id="move-title" tabIndex={-1}>
        {t("manage.moveTitle")}
      </h2>
      <p className="hint">
        {managed.location.name
          ? t("manage.moveHint", { staff: managed.staff.name ?? "", place: managed.location.name })
          : t("manage.moveHintNoPlace", { staff: managed.staff.name ?? "" })}
      </p>
      {problem && <Alert tone="warning">{problem}</Alert>}
      <SlotPicker
        source={source}
        zone={zone}
        onZoneChange={onZoneChange}
        suggestedZones={suggestedZones}
        maxAdvanceDays={maxAdvanceDays}
        openAt={localDate(a.start_at, zone)}
        merge={false}
        selected={slot}
        onSelect={setSlot}
        describe={(s) => (isCurrent(s) ? t("manage.currentTime") : null)}
      />
      <p className="appt-choice" aria-live="polite">
        {slot && moving ? t("manage.newTime", { when: labelled(slot.start_at) }) : t("manage.chooseNew")}
      </p>
      {warning && (
        <Alert tone="warning" title={t("manage.warnTitle")}>
          {warning}
        </Alert>
      )}
      <div className="form-buttons">
        <Button variant="primary" disabled={!moving} busy={move.isPending} onClick={() => void submit()}>
          {move.isPending ? t("manage.moving") : warning ? t("manage.moveAnyway") : t("manage.move")}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          {t("manage.keepTime")}
        </Button>
      </div>
    </div>
  );
}

function CancelPanel({ token, onClose, onDone }: { token: string; onClose: () => void; onDone: (notice: Notice) => void }) {
  const { t } = useWords();
  const cancel = useCancelBooking(token);
  const [problem, setProblem] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<{ reason: string }>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: { reason: "" },
  });

  const submit = handleSubmit(async ({ reason }) => {
    setProblem(null);
    try {
      await cancel.mutateAsync(reason.trim() || null);
      onDone({ tone: "success", text: t("manage.cancelledDone") });
    } catch (error) {
      const changed = changedUnderUs(t, error, "manage.tooLateCancel");
      if (changed) return onDone(changed);
      if (error instanceof ApiError && error.status === 422 && error.fields.reason) {
        setError("reason", { type: "server", message: t("manage.reasonTooLong") }, { shouldFocus: true });
        return;
      }
      setProblem(refusal(t, error));
    }
  });

  return (
    <form className="stack manage-form" aria-labelledby="cancel-title" onSubmit={submit} noValidate>
      <h2 id="cancel-title" tabIndex={-1}>
        {t("manage.cancelTitle")}
      </h2>
      {problem && <Alert tone="error">{problem}</Alert>}
      <Field label={`${t("manage.reason")} ${t("form.optional")}`} hint={t("manage.reasonHint")} error={formState.errors.reason?.message}>
        <textarea rows={2} maxLength={500} {...register("reason", { maxLength: { value: 500, message: t("manage.reasonTooLong") } })} />
      </Field>
      <div className="form-buttons">
        <Button type="submit" variant="danger" busy={cancel.isPending}>
          {t("manage.confirmCancel")}
        </Button>
        <Button variant="ghost" onClick={onClose}>
          {t("manage.keep")}
        </Button>
      </div>
    </form>
  );
}
