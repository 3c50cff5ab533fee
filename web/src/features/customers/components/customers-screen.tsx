// The customer list: search by name, e-mail or phone (sent as typing pauses), a tag filter, pages
// loaded on demand. `?new=1` opens the create form (the getting-started checklist links there) and
// `?tag=` starts filtered (a customer's tags link back here).
import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { EmptyState } from "../../../components/ui/empty-state";
import { PageHeader } from "../../../components/ui/page-header";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { roleAtLeast } from "../../../lib/format";
import { useMe } from "../../../lib/session";
import { MAX_QUERY_LENGTH, useCustomerSearch } from "../api/customers";
import { useDebounced } from "../hooks/use-debounced";
import { CustomerForm } from "./customer-form";
import "./customers.css";

export function CustomersScreen() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const toast = useToast();
  const me = useMe();
  const [q, setQ] = useState("");
  const [tag, setTag] = useState(() => params.get("tag") ?? "");
  const filter = { q: useDebounced(q.trim()), tag: useDebounced(tag.trim()) };
  const search = useCustomerSearch(filter);
  const creating = params.get("new") === "1";
  const canImport = roleAtLeast(me.data?.role, "admin");

  const openCreate = () => setParams((p) => (p.set("new", "1"), p));
  const closeCreate = () => setParams((p) => (p.delete("new"), p), { replace: true });

  const customers = search.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filter.q !== "" || filter.tag !== "";
  const importLink = canImport ? (
    <Link className="btn btn-secondary" to="/customers/import">
      Import from CSV
    </Link>
  ) : null;

  return (
    <div className="page customers-page">
      <PageHeader
        title="Customers"
        lead="Everyone who has booked with you, or whom you have added."
        actions={
          <>
            {importLink}
            <Button variant="primary" onClick={openCreate}>
              Add customer
            </Button>
          </>
        }
      />
      <div className="customers-filters" role="search">
        <div className="field">
          <label className="field-label" htmlFor="customer-q">
            Search
          </label>
          <input id="customer-q" type="search" autoComplete="off" spellCheck={false} maxLength={MAX_QUERY_LENGTH} value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, e-mail or phone" />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="customer-tag">
            Tag
          </label>
          <input id="customer-tag" type="search" autoComplete="off" spellCheck={false} maxLength={32} value={tag} onChange={(e) => setTag(e.target.value)} placeholder="e.g. vip" />
        </div>
      </div>

      {search.isError && <Alert tone="error">{search.error.message}</Alert>}
      {search.isPending && <Loading label="Loading customers…" />}
      {search.isSuccess && customers.length === 0 && !filtered && (
        <EmptyState
          title="No customers yet"
          action={
            <>
              <Button variant="primary" onClick={openCreate}>
                Add customer
              </Button>
              {importLink}
            </>
          }
        >
          Customers appear here when they book online. You can also add them yourself, or bring your list over from a CSV file.
        </EmptyState>
      )}
      {search.isSuccess && customers.length === 0 && filtered && (
        <EmptyState
          title="No customer matches"
          action={
            <Button
              onClick={() => {
                setQ("");
                setTag("");
              }}
            >
              Clear the search
            </Button>
          }
        >
          Nobody matches {[filter.q && `“${filter.q}”`, filter.tag && `the tag “${filter.tag}”`].filter(Boolean).join(" with ")}.
        </EmptyState>
      )}
      {customers.length > 0 && (
        <>
          <p className="muted" role="status">
            {customers.length === 1 ? "1 customer" : `${customers.length} customers`}
            {search.hasNextPage ? " shown" : ""}
          </p>
          <ul className="customer-list">
            {customers.map((c) => (
              <li key={c.id} className="customer-row card">
                <div className="customer-row-main">
                  <Link className="customer-row-name" to={`/customers/${c.id}`}>
                    {c.name}
                  </Link>
                  <span className="muted customer-contact">{[c.email, c.phone].filter(Boolean).join(" · ") || "No contact details"}</span>
                </div>
                {c.tags.length > 0 && (
                  <div className="chip-list" aria-label={`Tags of ${c.name}`}>
                    {c.tags.map((t) => (
                      <button key={t} type="button" className="chip chip-button" aria-pressed={filter.tag === t} onClick={() => setTag(t)} title={`Show customers tagged “${t}”`}>
                        {t}
                      </button>
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ul>
          {search.hasNextPage && (
            <div className="row-end">
              <Button busy={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}

      <Dialog open={creating} title="Add customer" onClose={closeCreate} wide>
        <CustomerForm
          onCancel={closeCreate}
          onSaved={(saved) => {
            toast(`${saved.name} added.`);
            navigate(`/customers/${saved.id}`);
          }}
        />
      </Dialog>
    </div>
  );
}
