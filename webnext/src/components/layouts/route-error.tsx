import { isRouteErrorResponse, Link, useRouteError } from "react-router";

/** A screen that failed to load (a new deploy replaced its chunk, or it threw). */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : "Unknown error";
  return (
    <main className="app-main">
      <div className="alert alert-error" role="alert">
        <div className="alert-body">
          <strong>This page couldn't be shown.</strong>
          <p>{message}</p>
          <div className="alert-actions">
            <button type="button" className="btn btn-secondary btn-sm" onClick={() => window.location.reload()}>
              Reload
            </button>
            <Link to="/" className="btn btn-ghost btn-sm">
              Go to the dashboard
            </Link>
          </div>
        </div>
      </div>
    </main>
  );
}
