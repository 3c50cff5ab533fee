import { Link, useLocation } from "react-router";
import { EmptyState } from "../../../components/ui/empty-state";

/** Any address the app does not have, inside the signed-in layout. */
export default function NotFound() {
  const { pathname } = useLocation();
  return (
    <div className="page">
      <h1 className="sr-only">Page not found</h1>
      <EmptyState
        title="We couldn't find this page"
        action={
          <Link to="/" className="btn btn-primary">
            Go to the dashboard
          </Link>
        }
      >
        There is nothing at {pathname}. The link may be old, or mistyped.
      </EmptyState>
    </div>
  );
}
