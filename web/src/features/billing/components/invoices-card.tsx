// The invoices Stripe issued (GET /billing/invoices, mirrored from its events), a page at a time,
// each with Stripe's hosted page and PDF. Owners and admins see them.
import { Alert } from "../../../components/ui/alert";
import { Pager, usePageCursors } from "../../../components/ui/pager";
import { Loading } from "../../../components/ui/spinner";
import { dashboardLocale, formatMoney } from "../../../lib/format";
import { useInvoices, type Invoice } from "../api/billing";
import { billingDay } from "../lib/words";

const INVOICE_STATUS: Record<string, [string, string]> = {
  draft: ["Draft", "muted"],
  open: ["Due", "warning"],
  paid: ["Paid", "success"],
  uncollectible: ["Uncollectible", "danger"],
  void: ["Void", "muted"],
};

export function InvoicesCard({ timeZone }: { timeZone: string }) {
  const pages = usePageCursors();
  const invoices = useInvoices(pages.cursor);
  const locale = dashboardLocale();
  const day = (instant: string | null) => (instant ? billingDay(instant, timeZone, locale) : "");
  return (
    <section className="card card-flush" aria-labelledby="invoices-title">
      <div className="card-head">
        <h2 id="invoices-title" className="card-title">
          Invoices
        </h2>
      </div>
      {invoices.isPending ? (
        <Loading label="Loading invoices…" />
      ) : invoices.isError ? (
        <div className="card-head">
          <Alert tone="error">We couldn't load the invoices. {invoices.error.message}</Alert>
        </div>
      ) : invoices.data.items.length === 0 && pages.onFirst ? (
        <p className="muted card-head">No invoices yet. Stripe issues the first when you subscribe.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Invoice</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Period</th>
                  <th scope="col">Total</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoices.data.items.map((invoice) => (
                  <InvoiceRow key={invoice.id} invoice={invoice} day={day} locale={locale} />
                ))}
              </tbody>
            </table>
          </div>
          {(!pages.onFirst || invoices.data.next_cursor) && (
            <Pager pages={pages} next={invoices.data.next_cursor} labels={["Newer", "Older"]} />
          )}
        </>
      )}
    </section>
  );
}

function InvoiceRow({ invoice, day, locale }: { invoice: Invoice; day: (instant: string | null) => string; locale: string }) {
  const [label, tone] = INVOICE_STATUS[invoice.status] ?? [invoice.status, "muted"];
  const name = invoice.number ?? "Invoice";
  return (
    <tr>
      <td>{name}</td>
      <td>{day(invoice.issued_at)}</td>
      <td>{invoice.period_start && invoice.period_end ? `${day(invoice.period_start)} – ${day(invoice.period_end)}` : ""}</td>
      <td>{formatMoney(invoice.total, locale)}</td>
      <td>
        <span className={`badge status-badge tone-${tone}`}>{label}</span>
        {invoice.status === "open" && invoice.amount_due.amount > 0 && <span className="hint"> {formatMoney(invoice.amount_due, locale)} due</span>}
      </td>
      <td>
        <div className="row-actions">
          {invoice.hosted_invoice_url && (
            <a href={invoice.hosted_invoice_url} target="_blank" rel="noreferrer" aria-label={`View ${name}`}>
              {invoice.status === "open" ? "Pay" : "View"}
            </a>
          )}
          {invoice.invoice_pdf && (
            <a href={invoice.invoice_pdf} target="_blank" rel="noreferrer" aria-label={`PDF of ${name}`}>
              PDF
            </a>
          )}
        </div>
      </td>
    </tr>
  );
}
