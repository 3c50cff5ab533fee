// Choose the customer of a new appointment: search by name, e-mail or phone, or add a walk-in on the
// spot (name, e-mail, phone). It lives inside another form, so it has no <form> of its own: its
// buttons are plain buttons and Enter in its fields does not submit the outer form.
import { useState, type KeyboardEvent } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { applyApiError } from "../../../lib/forms";
import { useCreateCustomer, useCustomerSearch, useFetchCustomerRecord, type Customer, type CustomerRecord } from "../api/customers";
import { useDebounced } from "../hooks/use-debounced";
import { existingCustomerId } from "./customer-form";
import "./customers.css";

/** Characters typed before a search is sent: one letter matches half the list. */
const MIN_QUERY = 2;
const RESULTS = 8;

interface WalkIn {
  name: string;
  email: string;
  phone: string;
}

const WALK_IN_FIELDS = ["name", "email", "phone"] as const;

/** What was typed in the search, put where it belongs in the new customer's fields. */
function walkInFrom(text: string): WalkIn {
  const t = text.trim();
  if (t.includes("@")) return { name: "", email: t, phone: "" };
  if (/^\+?[\d\s()./-]{6,}$/.test(t)) return { name: "", email: "", phone: t };
  return { name: t, email: "", phone: "" };
}

export function CustomerPicker({ value, onChange }: { value: CustomerRecord | null; onChange: (c: CustomerRecord | null) => void }) {
  const [creating, setCreating] = useState(false);
  const [q, setQ] = useState("");
  const [picking, setPicking] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fetchRecord = useFetchCustomerRecord();

  // The appointment form wants the full record: a search row lacks the notes and consents.
  const pick = async (c: Pick<Customer, "id">) => {
    setProblem(null);
    setPicking(c.id);
    try {
      onChange(await fetchRecord(c.id));
      setCreating(false);
      setQ("");
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "The customer could not be loaded.");
    } finally {
      setPicking(null);
    }
  };

  if (value) {
    return (
      <fieldset className="field customer-picker">
        <legend className="field-legend">Customer</legend>
        <div className="customer-picked">
          <div>
            <strong>{value.name}</strong>
            <span className="muted customer-contact">{[value.email, value.phone].filter(Boolean).join(" · ") || "No contact details"}</span>
          </div>
          <Button size="sm" onClick={() => onChange(null)}>
            Change customer
          </Button>
        </div>
      </fieldset>
    );
  }

  return (
    <fieldset className="field customer-picker">
      <legend className="field-legend">Customer</legend>
      {problem && <Alert tone="error">{problem}</Alert>}
      {creating ? (
        <WalkInFields initial={walkInFrom(q)} busyId={picking} onPick={pick} onCancel={() => setCreating(false)} />
      ) : (
        <SearchFields q={q} setQ={setQ} busyId={picking} onPick={pick} onNew={() => setCreating(true)} />
      )}
    </fieldset>
  );
}

/** Enter in a field of the picker runs the picker's own action, not the outer form's submit. */
function onEnter(action: () => void) {
  return (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      action();
    }
  };
}

function SearchFields({ q, setQ, busyId, onPick, onNew }: {
  q: string;
  setQ: (q: string) => void;
  busyId: string | null;
  onPick: (c: Customer) => void;
  onNew: () => void;
}) {
  const settled = useDebounced(q.trim(), 250);
  const enabled = settled.length >= MIN_QUERY;
  const search = useCustomerSearch({ q: settled, tag: "" }, { limit: RESULTS, enabled });
  const found = search.data?.pages[0]?.items ?? [];
  let status = `Type at least ${MIN_QUERY} characters of a name, e-mail or phone number.`;
  if (enabled && search.isFetching) status = "Searching…";
  else if (enabled && search.isError) status = search.error.message;
  else if (enabled && search.isSuccess) {
    status = found.length === 0 ? `No customer matches “${settled}”.` : found.length === 1 ? "1 customer found." : `${found.length} customers found.`;
  }
  return (
    <div className="stack">
      <div className="field">
        <label className="field-label" htmlFor="customer-picker-q">
          Find a customer
        </label>
        <input
          id="customer-picker-q"
          type="search"
          autoComplete="off"
          spellCheck={false}
          maxLength={100}
          placeholder="Name, e-mail or phone"
          aria-describedby="customer-picker-status"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={onEnter(() => {
            if (found[0]) onPick(found[0]);
          })}
        />
        <p className="hint" id="customer-picker-status" role="status">
          {status}
        </p>
      </div>
      {enabled && found.length > 0 && (
        <ul className="customer-results" aria-label="Matching customers">
          {found.map((c) => (
            <li key={c.id}>
              <button type="button" className="customer-option" onClick={() => onPick(c)} disabled={busyId !== null} aria-busy={busyId === c.id || undefined}>
                <strong>{c.name}</strong>
                <span className="muted customer-contact">{[c.email, c.phone].filter(Boolean).join(" · ") || "No contact details"}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div>
        <Button size="sm" onClick={onNew}>
          New customer
        </Button>
      </div>
    </div>
  );
}

function WalkInFields({ initial, busyId, onPick, onCancel }: {
  initial: WalkIn;
  busyId: string | null;
  onPick: (c: Pick<Customer, "id">) => Promise<void>;
  onCancel: () => void;
}) {
  const create = useCreateCustomer();
  const [problem, setProblem] = useState<string | null>(null);
  const [existingId, setExistingId] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<WalkIn>({ mode: "onSubmit", reValidateMode: "onChange", defaultValues: initial });

  const add = handleSubmit(async (values) => {
    setProblem(null);
    setExistingId(null);
    try {
      const created = await create.mutateAsync({ name: values.name.trim(), email: values.email.trim() || null, phone: values.phone.trim() || null });
      await onPick(created);
    } catch (error) {
      const existing = existingCustomerId(error);
      if (existing) {
        setExistingId(existing);
        setProblem("A customer with this e-mail address or phone number is already on your list.");
        return;
      }
      setProblem(applyApiError(error, setError, WALK_IN_FIELDS));
    }
  });
  const submitOnEnter = onEnter(() => void add());

  return (
    <div className="stack customer-walk-in" role="group" aria-label="New customer">
      {problem && (
        <Alert
          tone="error"
          actions={
            existingId && (
              <Button size="sm" busy={busyId === existingId} onClick={() => void onPick({ id: existingId })}>
                Choose the existing customer
              </Button>
            )
          }
        >
          {problem}
        </Alert>
      )}
      <Field label="Name" error={errors.name?.message}>
        <input type="text" autoComplete="off" maxLength={120} onKeyDown={submitOnEnter} {...register("name", { validate: (v) => v.trim() !== "" || "Enter the customer's name." })} />
      </Field>
      <div className="grid-2">
        <Field label="E-mail" optional error={errors.email?.message}>
          <input type="email" autoComplete="off" maxLength={254} onKeyDown={submitOnEnter} {...register("email")} />
        </Field>
        <Field label="Phone" optional error={errors.phone?.message}>
          <input type="tel" autoComplete="off" maxLength={40} onKeyDown={submitOnEnter} {...register("phone")} />
        </Field>
      </div>
      <div className="form-buttons">
        <Button variant="primary" size="sm" busy={isSubmitting} onClick={() => void add()}>
          Add and choose
        </Button>
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Back to search
        </Button>
      </div>
    </div>
  );
}
