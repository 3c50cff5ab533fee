// /account/google-callback?state=…&code=… (or &error=…): where the API's public callback forwards
// Google's redirect. The connect is finished here, in the browser where the member is signed in, so the
// Google account that clicked Allow is stored only for the member who started the connect; a consent
// link sent to someone else is refused. Then on to the account page, which says how it went.
import { Navigate, useSearchParams } from "react-router";
import { Loading } from "../../../components/ui/spinner";
import { ApiError } from "../../../lib/api-client";
import { connectRefusal, useFinishGoogleConnect, type ConnectRefusal, type GoogleCallback } from "../api/calendar-sync";

const CONNECTED = "/account?google=connected";
const refused = (reason: ConnectRefusal) => `/account?google=error&reason=${reason}`;

export function FinishGoogleConnect() {
  const [params] = useSearchParams();
  const state = params.get("state");
  // Without a state there is nothing of this member's to finish (a link cut short, or opened by hand).
  if (!state) return <Navigate to={refused("invalid_state")} replace />;
  return <Finishing body={{ state, code: params.get("code"), error: params.get("error") }} />;
}

function Finishing({ body }: { body: GoogleCallback }) {
  const finish = useFinishGoogleConnect(body);
  if (finish.isSuccess) return <Navigate to={CONNECTED} replace />;
  // A session that could not be renewed: the client is already sending the member to log in, and back
  // here afterwards with the same query (the state is not spent by a refused request).
  const relogin = finish.error instanceof ApiError && finish.error.kind === "session_expired";
  if (finish.isError && !relogin) return <Navigate to={refused(connectRefusal(finish.error))} replace />;
  return <Loading label="Connecting your Google Calendar…" />;
}
