import type { FallbackProps } from "react-error-boundary";

/** A screen that failed to load (a new deploy replaced its chunk) or threw while drawing. */
export function RouteError({ error }: FallbackProps) {
  const message = error instanceof Error ? error.message : String(error);
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
            <a href="/" className="btn btn-ghost btn-sm">
              Go to the dashboard
            </a>
          </div>
        </div>
      </div>
    </main>
  );
}
