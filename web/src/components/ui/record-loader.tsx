// A screen about one record (a location, a service, a staff member): a spinner while it loads, and a
// page saying what went wrong, with the way back to its list, when it can't be loaded. The record
// reaches `children` with a `reload` that refetches it (an editor's answer to a stale version).
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Alert } from "./alert";
import { PageHeader } from "./page-header";
import { Loading } from "./spinner";

export function RecordLoader<T>({
  query,
  loading,
  failure,
  title,
  back,
  children,
}: {
  query: UseQueryResult<T, Error>;
  /** "Loading the location…" */
  loading: string;
  /** "We couldn't load this location." */
  failure: string;
  /** The page's heading while there is no record to name it. */
  title?: string;
  back: { to: string; label: string };
  children: (record: T, reload: () => Promise<T | undefined>) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loading} />;
  if (query.isError) {
    return (
      <div className="page">
        {title && <PageHeader title={title} />}
        <Alert tone="error" title={failure} actions={<Link to={back.to}>{back.label}</Link>}>
          {query.error.message}
        </Alert>
      </div>
    );
  }
  const reload = async () => (await query.refetch()).data;
  return children(query.data, reload);
}
