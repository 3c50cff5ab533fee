// One customer: contact details (tappable), tags, internal notes, the consent history, the
// appointment history, editing, and the GDPR erase. Times are the business's, labelled with its zone.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { Field } from "../../../components/ui/field";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { dashboardLocale, formatMoney, roleAtLeast } from "../../../lib/format";
import { applyApiError } from "../../../lib/forms";
import { LOCALE_NAMES } from "../../../lib/locale";
import { useMe } from "../../../lib/session";
import { formatDateTime, formatTimeRange, zoneName } from "../../../lib/zoned";
import { useServices } from "../../services/api/services";
import { useStaffList } from "../../staff/api/staff";
import { useAddNote, useCustomer, useCustomerAppointments, useEraseCustomer, type CustomerRecord } from "../api/customers";
import { CustomerForm } from "./customer-form";
import "./customers.css";


export function CustomerProfile({ customerId }: { customerId: string }) {
  const customer = useCustomer(customerId);
  const me = useMe();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [erasing, setErasing] = useState(false);

  if (customer.isPending || me.isPending) return <Loading label="Loading the customer…" />;
  if (customer.isError) {
    const missing = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <div className="page">
        <Alert tone="error" title={missing ? "No such customer" : "The customer could not be loaded"} actions={<Link to="/customers">Back to customers</Link>}>
          {missing ? "This customer does not exist, or belongs to another business." : customer.error.message}
        </Alert>
      </div>
    );
  }
  const c = customer.data;
  const timeZone = me.data?.business.time_zone ?? "UTC";
  const erased = c.erased_at !== null;
  const canErase = roleAtLeast(me.data?.role, "admin") && !erased;

  return (
    <div className="page customer-page">
      <p className="customer-back">
        <Link to="/customers">← Customers</Link>
      </p>
      <PageHeader
        title={c.name}
        lead={`Customer since ${formatDateTime(c.created_at, timeZone, dashboardLocale(), { weekday: undefined, hour: undefined, minute: undefined, year: "numeric" })}`}
        actions={
          !erased && (
            <>
              <Link className="btn btn-secondary" to={`/appointments/new?customer_id=${encodeURIComponent(c.id)}`}>
                Book an appointment
              </Link>
              <Button variant="primary" onClick={() => setEditing(true)}>
                Edit
              </Button>
            </>
          )
        }
      />
      {erased && c.erased_at && (
        <Alert tone="info" title="This customer was erased">
          Their personal details were removed on {formatDateTime(c.erased_at, timeZone, dashboardLocale())} ({zoneName(timeZone)} time). Their appointments and consent
          history stay for your records.
        </Alert>
      )}
      <div className="customer-columns">
        <div className="stack">
          <ContactCard customer={c} timeZone={timeZone} />
          <NotesCard customer={c} timeZone={timeZone} />
        </div>
        <div className="stack">
          <AppointmentHistory customerId={c.id} timeZone={timeZone} />
          <ConsentHistory consents={c.consents} timeZone={timeZone} />
        </div>
      </div>
      {canErase && (
        <section className="card customer-danger" aria-labelledby="erase-title">
          <h2 id="erase-title" className="card-title">
            Erase this customer
          </h2>
          <p className="muted">When a customer asks you to delete their data (GDPR), erase them here. This cannot be undone.</p>
          <Button variant="danger-ghost" onClick={() => setErasing(true)}>
            Erase customer…
          </Button>
        </section>
      )}
      <Dialog open={editing} title={`Edit ${c.name}`} onClose={() => setEditing(false)} wide>
        <CustomerForm
          customer={c}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            toast("Changes saved.");
          }}
        />
      </Dialog>
      <EraseDialog open={erasing} customer={c} onClose={() => setErasing(false)} />
    </div>
  );
}

const CHANNELS: Record<CustomerRecord["preferred_channel"], string> = { email: "E-mail", whatsapp: "WhatsApp" };

function ContactCard({ customer: c, timeZone }: { customer: CustomerRecord; timeZone: string }) {
  const language = c.locale ? (LOCALE_NAMES[c.locale as keyof typeof LOCALE_NAMES] ?? c.locale) : "The business's language";
  return (
    <section className="card" aria-labelledby="contact-title">
      <h2 id="contact-title" className="card-title">
        Contact
      </h2>
      <dl className="customer-facts">
        <dt>E-mail</dt>
        <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : <span className="muted">None</span>}</dd>
        <dt>Phone</dt>
        <dd>{c.phone ? <a href={`tel:${c.phone_normalized ?? c.phone}`}>{c.phone}</a> : <span className="muted">None</span>}</dd>
        <dt>Reminders by</dt>
        <dd>{CHANNELS[c.preferred_channel]}</dd>
        <dt>Language</dt>
        <dd>{language}</dd>
        <dt>Marketing</dt>
        <dd>{c.marketing_opt_in ? "Agreed to receive marketing" : "No marketing messages"}</dd>
        <dt>Terms</dt>
        <dd>
          {c.terms_accepted
            ? `Accepted${c.terms_accepted_at ? ` ${formatDateTime(c.terms_accepted_at, timeZone, dashboardLocale())}` : ""}`
            : "Not accepted"}
        </dd>
        <dt>Tags</dt>
        <dd>
          {c.tags.length ? (
            <span className="chip-list">
              {c.tags.map((t) => (
                <Link key={t} className="chip" to={`/customers?tag=${encodeURIComponent(t)}`}>
                  {t}
                </Link>
              ))}
            </span>
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
      </dl>
    </section>
  );
}

function NotesCard({ customer: c, timeZone }: { customer: CustomerRecord; timeZone: string }) {
  const add = useAddNote(c.id);
  const [problem, setProblem] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<{ body: string }>({ mode: "onSubmit", reValidateMode: "onChange", defaultValues: { body: "" } });
  const submit = handleSubmit(async ({ body }) => {
    setProblem(null);
    try {
      await add.mutateAsync(body.trim());
      reset({ body: "" });
    } catch (error) {
      setProblem(applyApiError(error, setError, ["body"]));
    }
  });
  return (
    <section className="card" aria-labelledby="notes-title">
      <h2 id="notes-title" className="card-title">
        Internal notes
      </h2>
      <p className="muted">Only your team sees these; the customer never does.</p>
      {c.erased_at === null && (
        <form className="stack" onSubmit={submit} noValidate>
          {problem && <Alert tone="error">{problem}</Alert>}
          <Field label="New note" error={errors.body?.message}>
            <textarea rows={3} maxLength={5000} {...register("body", { validate: (v) => v.trim() !== "" || "Write the note first." })} />
          </Field>
          <div className="form-buttons">
            <Button type="submit" busy={isSubmitting}>
              Add note
            </Button>
          </div>
        </form>
      )}
      {c.notes.length === 0 ? (
        <p className="muted">No notes yet.</p>
      ) : (
        <ul className="customer-notes">
          {c.notes.map((n) => (
            <li key={n.id}>
              <p className="customer-note-body">{n.body}</p>
              <p className="muted customer-note-meta">
                {n.author ? n.author.name : "A former team member"} · {formatDateTime(n.created_at, timeZone, dashboardLocale())}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const CONSENT_KINDS: Record<Schemas["ConsentRecord"]["kind"], string> = { marketing: "Marketing messages", terms: "Terms" };
const CONSENT_STATUS: Record<string, string> = {
  granted: "Given",
  withdrawn: "Withdrawn",
  requested: "Asked, awaiting e-mail confirmation",
  confirmed: "Confirmed by e-mail",
  expired: "Asked, never confirmed",
};
const CONSENT_SOURCES: Record<string, string> = {
  booking_page: "Booking page",
  staff: "Your team",
  import: "CSV import",
  unsubscribe: "Unsubscribe link",
  manage_link: "Manage link",
};

function ConsentHistory({ consents, timeZone }: { consents: Schemas["ConsentRecord"][]; timeZone: string }) {
  return (
    <section className="card" aria-labelledby="consents-title">
      <h2 id="consents-title" className="card-title">
        Consent history
      </h2>
      {consents.length === 0 ? (
        <p className="muted">No consent recorded.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Consent history, newest first ({zoneName(timeZone)} time)</caption>
            <thead>
              <tr>
                <th scope="col">When ({zoneName(timeZone)})</th>
                <th scope="col">Consent</th>
                <th scope="col">Status</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {consents.map((r, i) => (
                <tr key={`${r.recorded_at}-${r.kind}-${i}`}>
                  <td>{formatDateTime(r.recorded_at, timeZone, dashboardLocale())}</td>
                  <td>{CONSENT_KINDS[r.kind]}</td>
                  <td>{CONSENT_STATUS[r.status] ?? r.status}</td>
                  <td>{CONSENT_SOURCES[r.source] ?? r.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const STATUS_WORDS: Record<Schemas["Appointment"]["status"], string> = {
  pending: "Pending",
  confirmed: "Confirmed",
  completed: "Completed",
  cancelled: "Cancelled",
  no_show: "No-show",
};

function AppointmentHistory({ customerId, timeZone }: { customerId: string; timeZone: string }) {
  const history = useCustomerAppointments(customerId);
  const services = useServices({ includeArchived: true });
  const staff = useStaffList({ includeInactive: true });
  const serviceName = (id: string) => services.data?.find((s) => s.id === id)?.name ?? "Service";
  const staffName = (id: string) => staff.data?.find((s) => s.id === id)?.name;
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title" className="card-title">
        Appointments
      </h2>
      <p className="muted">Latest first; times in {zoneName(timeZone)} time.</p>
      {history.isPending && <Loading label="Loading appointments…" />}
      {history.isError && <Alert tone="error">{history.error.message}</Alert>}
      {history.isSuccess && items.length === 0 && <p className="muted">No appointments yet.</p>}
      {items.length > 0 && (
        <ul className="customer-appointments">
          {items.map((a) => {
            const who = staffName(a.staff_id);
            return (
              <li key={a.id}>
                <Link to={`/appointments/${a.id}`} className="customer-appointment">
                  <span className="customer-appointment-when">
                    {formatDateTime(a.start_at, timeZone, dashboardLocale(), { hour: undefined, minute: undefined, year: "numeric" })},{" "}
                    {formatTimeRange(a.start_at, a.end_at, timeZone, dashboardLocale())}
                  </span>
                  <span>
                    {serviceName(a.service_id)}
                    {who ? ` with ${who}` : ""} · {formatMoney(a.price, dashboardLocale())}
                  </span>
                  <span className={`status status-${a.status === "no_show" ? "no" : a.status}`}>{STATUS_WORDS[a.status]}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      {history.hasNextPage && (
        <Button size="sm" busy={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          Load more
        </Button>
      )}
    </section>
  );
}

/** Two names are the same when they match ignoring case and extra spaces. */
function sameName(typed: string, name: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLocaleLowerCase();
  return norm(typed) !== "" && norm(typed) === norm(name);
}

function EraseDialog({ open, customer, onClose }: { open: boolean; customer: CustomerRecord; onClose: () => void }) {
  const erase = useEraseCustomer(customer.id);
  const navigate = useNavigate();
  const toast = useToast();
  const [typed, setTyped] = useState("");
  const matches = sameName(typed, customer.name);
  const close = () => {
    setTyped("");
    erase.reset();
    onClose();
  };
  const confirm = () =>
    erase.mutate(undefined, {
      onSuccess: () => {
        toast(`${customer.name} was erased.`);
        navigate("/customers");
      },
    });
  return (
    <Dialog open={open} title={`Erase ${customer.name}?`} onClose={close}>
      <div className="stack">
        <p>
          Erasing is <strong>permanent</strong> and cannot be undone. It is how you honour a request to delete someone's personal data (the GDPR right to
          erasure).
        </p>
        <ul>
          <li>Their name is replaced, and their e-mail, phone, tags, language and internal notes are deleted.</li>
          <li>What was written on their appointments is cleared and their manage links stop working.</li>
          <li>The appointments themselves and the consent history stay, for your records.</li>
        </ul>
        {erase.isError && <Alert tone="error">{erase.error.message}</Alert>}
        <Field label={`Type the customer's name, ${customer.name}, to confirm`}>
          <input type="text" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <div className="form-buttons">
          <Button variant="danger" disabled={!matches} busy={erase.isPending} onClick={confirm}>
            Erase permanently
          </Button>
          <Button variant="ghost" onClick={close}>
            Cancel
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
