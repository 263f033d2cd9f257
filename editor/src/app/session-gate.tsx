// Pages behind sign-in. On a fresh page load the access token is gone (it lives in memory only), so the stored
// refresh token is spent once to restore the session before deciding to send the user to the sign-in page.
import { useEffect, useState, type ReactNode } from "react";
import { Redirect, useLocation } from "wouter";
import { useApi, useSession } from "./api-context";

export function SessionGate({ children }: { children: ReactNode }) {
  const api = useApi();
  const session = useSession();
  const [location] = useLocation();
  const [restoring, setRestoring] = useState(() => !api.session && api.canRestore);

  useEffect(() => {
    if (!restoring) return;
    let live = true;
    api
      .restore()
      .catch(() => false)
      .finally(() => {
        if (live) setRestoring(false);
      });
    return () => {
      live = false;
    };
  }, [api, restoring]);

  if (session) return <>{children}</>;
  if (restoring) {
    return (
      <div className="fd-page-loading" role="status">
        Signing you in…
      </div>
    );
  }
  const next = location === "/" ? "" : `?next=${encodeURIComponent(location)}`;
  return <Redirect to={`/sign-in${next}`} />;
}
