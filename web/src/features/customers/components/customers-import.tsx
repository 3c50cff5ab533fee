// Bring a customer list over from a CSV file: the file's text goes to POST /customers/import as it
// is (the API reads the header, matches rows to existing customers and reports on each line), and
// the report shows what happened to every line, rejected ones with their reason.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Field } from "../../../components/ui/field";
import { PageHeader } from "../../../components/ui/page-header";
import type { Schemas } from "../../../lib/api-client";
import { roleAtLeast } from "../../../lib/format";
import { applyApiError } from "../../../lib/forms";
import { useMe } from "../../../lib/session";
import { useImportCustomers } from "../api/customers";
import "./customers.css";

const COLUMNS: { name: string; about: string }[] = [
  { name: "name", about: "Required. The customer's full name." },
  { name: "email", about: "Optional. Matched against your customers first." },
  { name: "phone", about: "Optional. With the country code, e.g. +44 7700 900123; matched when the e-mail does not." },
  { name: "tags", about: "Optional. Several tags separated by semicolons, e.g. vip;colour." },
  { name: "marketing_opt_in", about: "Optional. true/false, yes/no or 1/0: whether they agreed to marketing messages." },
];

const SAMPLE = "name,email,phone,tags,marketing_opt_in\nAmelia Walker,amelia@example.com,+44 7700 900144,vip;colour,yes\n";
const SAMPLE_URL = `data:text/csv;charset=utf-8,${encodeURIComponent(SAMPLE)}`;

/** The API takes request bodies up to 1 MiB: a larger file is refused here, before it is sent. */
const MAX_BODY_BYTES = 1024 * 1024;
const TOO_LARGE = "This file is too large to send at once (over 1 MB). Split it into smaller files and import each.";

interface ImportValues {
  file: FileList | null;
  update_existing: boolean;
}

const STATUS_WORDS: Record<Schemas["ImportLine"]["status"], string> = { created: "Added", updated: "Updated", rejected: "Skipped" };

export function CustomersImport() {
  const importCsv = useImportCustomers();
  const me = useMe();
  // The API lets owners and admins import; a staff member is told before choosing a file.
  const notAllowed = me.isSuccess && !roleAtLeast(me.data.role, "admin");
  const [report, setReport] = useState<Schemas["ImportReport"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ImportValues>({ mode: "onSubmit", reValidateMode: "onChange", defaultValues: { file: null, update_existing: true } });

  const submit = handleSubmit(async ({ file, update_existing }) => {
    setProblem(null);
    setReport(null);
    const chosen = file?.[0];
    if (!chosen) return;
    try {
      const csv = await chosen.text();
      const body = { csv, update_existing };
      // JSON escaping makes the body larger than the file itself.
      if (new TextEncoder().encode(JSON.stringify(body)).length > MAX_BODY_BYTES) {
        setError("file", { type: "size", message: TOO_LARGE });
        return;
      }
      setReport(await importCsv.mutateAsync(body));
    } catch (error) {
      // The API names the file's problem (header, columns, size) under "csv": it belongs to the file field.
      setProblem(applyApiError(error, setError, ["file", "update_existing"], (f) => (f === "csv" ? "file" : f)));
    }
  });

  return (
    <div className="page customers-import">
      <p className="customer-back">
        <Link to="/customers">← Customers</Link>
      </p>
      <PageHeader title="Import customers" lead="Bring your customer list over from another system or a spreadsheet, saved as a CSV file." />
      <div className="customer-columns">
        <section className="card" aria-labelledby="import-form-title">
          <h2 id="import-form-title" className="card-title">
            Choose the file
          </h2>
          <form className="stack" onSubmit={submit} noValidate>
            {notAllowed && <Alert tone="info">Only the business's owners and admins can import customers. Ask one of them to import the file.</Alert>}
            {problem && <Alert tone="error">{problem}</Alert>}
            <Field label="CSV file" error={errors.file?.message} hint="UTF-8 text, with a header row naming the columns (in any order).">
              <input
                type="file"
                accept=".csv,text/csv"
                {...register("file", {
                  validate: (files) => {
                    const f = files?.[0];
                    if (!f) return "Choose a CSV file.";
                    return f.size <= MAX_BODY_BYTES || TOO_LARGE;
                  },
                })}
              />
            </Field>
            <label className="check-row">
              <input type="checkbox" {...register("update_existing")} />
              <span>Update customers who are already on your list (matched by e-mail address, then phone number). Unticked, their lines are skipped.</span>
            </label>
            <div className="form-buttons">
              <Button type="submit" variant="primary" busy={isSubmitting} disabled={notAllowed}>
                Import
              </Button>
              {report && (
                <Button
                  variant="ghost"
                  onClick={() => {
                    setReport(null);
                    reset();
                  }}
                >
                  Import another file
                </Button>
              )}
            </div>
          </form>
        </section>
        <section className="card" aria-labelledby="import-columns-title">
          <h2 id="import-columns-title" className="card-title">
            Expected columns
          </h2>
          <dl className="customer-facts">
            {COLUMNS.map((c) => (
              <div key={c.name} className="customer-fact">
                <dt>
                  <code>{c.name}</code>
                </dt>
                <dd>{c.about}</dd>
              </div>
            ))}
          </dl>
          <p className="muted">
            A line with an empty cell keeps what the customer already has. A line naming someone an earlier line already named is skipped.{" "}
            <a href={SAMPLE_URL} download="customers-template.csv">
              Download a template
            </a>
          </p>
        </section>
      </div>
      {report && <ImportReportView report={report} />}
    </div>
  );
}

function ImportReportView({ report }: { report: Schemas["ImportReport"] }) {
  const skipped = report.rows.filter((r) => r.status === "rejected");
  return (
    <section className="card" aria-labelledby="import-report-title">
      <h2 id="import-report-title" className="card-title">
        Import report
      </h2>
      <Alert tone={report.rejected ? "warning" : "success"}>
        {report.created} added, {report.updated} updated, {report.rejected} skipped.
        {skipped.length > 0 && " Fix the skipped lines in your file and import it again: lines already imported are matched, not added twice."}
      </Alert>
      {report.rows.length === 0 ? (
        <p className="muted">The file has no customer lines under its header.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">What happened to each line of the file</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Result</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.row} className={r.status === "rejected" ? "import-rejected" : undefined}>
                  <td>{r.row}</td>
                  <td>
                    <span className={`badge ${r.status === "rejected" ? "badge-warning" : "badge-success"}`}>{STATUS_WORDS[r.status]}</span>
                  </td>
                  <td>
                    {r.reason && <span>{reasonWords(r.reason)} </span>}
                    {r.customer_id && <Link to={`/customers/${r.customer_id}`}>Open customer</Link>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The importer's terse reasons ("bad email", "duplicate of row 3") in plain words. */
export function reasonWords(reason: string): string {
  const bad = /^bad (\w+)$/.exec(reason);
  if (bad) return `The ${bad[1] === "email" ? "e-mail address" : bad[1]} isn't valid.`;
  const dup = /^duplicate of row (\d+)$/.exec(reason);
  if (dup) return `Same customer as line ${dup[1]}.`;
  const words: Record<string, string> = {
    "missing name": "The name is missing.",
    "more cells than columns": "The line has more cells than the header has columns.",
    "customer exists": "Already on your list (updating was turned off).",
    "email and phone belong to two different customers": "The e-mail address and the phone number belong to two different customers.",
  };
  return words[reason] ?? `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}
