// Google sends the member back (through /account/google-callback, which finishes the connect) to
// /account?google=connected or ?google=error&reason=…: the notice is kept for this visit and the query
// string cleaned, so a reload or a shared link says nothing.
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { returnNotice, type Notice } from "./words";

export function useGoogleReturn(): { notice: Notice | null; dismiss: () => void } {
  const [params, setParams] = useSearchParams();
  const [notice, setNotice] = useState(() => returnNotice(params.get("google"), params.get("reason")));
  useEffect(() => {
    if (!params.has("google") && !params.has("reason")) return;
    const next = new URLSearchParams(params);
    next.delete("google");
    next.delete("reason");
    setParams(next, { replace: true });
  }, [params, setParams]);
  return { notice, dismiss: () => setNotice(null) };
}
