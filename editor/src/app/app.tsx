// The app: providers, then routes. Paths avoid the API's own (`/workflows/…`, `/auth/…`): in production the
// server serves both from one origin and its routes win (server/src/app/editor-static.ts).
import { lazy, Suspense, useState } from "react";
import { Redirect, Route, Router, Switch, useSearch } from "wouter";
import { createFlowdeckApi, type FlowdeckApi } from "../api";
import { safeNextPath } from "../auth/safe-next-path";
import { SignInPage } from "../auth/sign-in-page";
import { SignUpPage } from "../auth/sign-up-page";
import { ChannelsPage } from "../channels/channels-page";
import { InboxPage } from "../inbox/inbox-page";
import { RunsPage } from "../runs/runs-page";
import { SettingsPage } from "../settings/settings-page";
import { AcceptInvitationPage } from "../team/accept-invitation-page";
import { TeamPage } from "../team/team-page";
import { ToastProvider } from "../ui/toasts";
import { WorkflowListPage } from "../workflows/workflow-list-page";
import { ApiProvider, useSession } from "./api-context";
import { AppShell } from "./app-shell";
import { useGuardedBrowserLocation } from "./guarded-location";
import { SessionGate } from "./session-gate";

// The builder (canvas, stores, the workflow language) is most of the code: it loads when a workflow opens, so
// sign-in and the workflow list start fast. bench/src/editor-bundle-bench.ts measures the initial download.
const BuilderPage = lazy(async () => ({ default: (await import("./builder-page")).BuilderPage }));
// Versions and one run draw a canvas too, so they load with the builder's chunk, not with sign-in.
const VersionsPage = lazy(async () => ({
  default: (await import("../versions/versions-page")).VersionsPage,
}));
const RunPage = lazy(async () => ({ default: (await import("../runs/run-page")).RunPage }));

function Loading({ text }: { text: string }) {
  return (
    <div className="fd-page-loading" role="status">
      {text}
    </div>
  );
}
// Insights brings its chart library; it loads when the page opens.
const InsightsPage = lazy(async () => ({
  default: (await import("../insights/insights-page")).InsightsPage,
}));

export function App({ api: given }: { api?: FlowdeckApi }) {
  const [api] = useState(() => given ?? createFlowdeckApi());
  return (
    <ApiProvider api={api}>
      <ToastProvider>
        {/* Navigation asks the current screen first: the builder may hold YAML that could not be saved. */}
        <Router hook={useGuardedBrowserLocation}>
          <Routes />
        </Router>
      </ToastProvider>
    </ApiProvider>
  );
}

/** Signed in on the sign-in page: go where `?next=` says, the same place the sign-in form navigates to. */
function SignedIn() {
  return <Redirect to={safeNextPath(new URLSearchParams(useSearch()).get("next"))} />;
}

function Routes() {
  const session = useSession();
  return (
    <Switch>
      <Route path="/sign-in">{session ? <SignedIn /> : <SignInPage />}</Route>
      <Route path="/sign-up">{session ? <Redirect to="/" /> : <SignUpPage />}</Route>
      <Route path="/accept-invitation">
        <AcceptInvitationPage />
      </Route>
      <Route path="/team">
        <SessionGate>
          <AppShell>
            <TeamPage />
          </AppShell>
        </SessionGate>
      </Route>
      <Route path="/channel-setup">
        <SessionGate>
          <AppShell>
            <ChannelsPage />
          </AppShell>
        </SessionGate>
      </Route>
      <Route path="/workspace-settings">
        <SessionGate>
          <AppShell>
            <SettingsPage />
          </AppShell>
        </SessionGate>
      </Route>
      <Route path="/insights">
        <SessionGate>
          <AppShell>
            <Suspense
              fallback={
                <div className="fd-page-loading" role="status">
                  Opening insights…
                </div>
              }
            >
              <InsightsPage />
            </Suspense>
          </AppShell>
        </SessionGate>
      </Route>
      <Route path="/handoffs">
        <SessionGate>
          <AppShell>
            <InboxPage />
          </AppShell>
        </SessionGate>
      </Route>
      <Route path="/runs">
        <SessionGate>
          <AppShell>
            <RunsPage />
          </AppShell>
        </SessionGate>
      </Route>
      <Route path="/runs/:id">
        {(params) => (
          <SessionGate>
            <AppShell>
              <Suspense fallback={<Loading text="Opening the run…" />}>
                <RunPage runId={params.id} />
              </Suspense>
            </AppShell>
          </SessionGate>
        )}
      </Route>
      <Route path="/flows/:id/versions">
        {(params) => (
          <SessionGate>
            <AppShell>
              <Suspense fallback={<Loading text="Opening the versions…" />}>
                <VersionsPage workflowId={params.id} />
              </Suspense>
            </AppShell>
          </SessionGate>
        )}
      </Route>
      <Route path="/flows/:id">
        {(params) => (
          <SessionGate>
            <Suspense
              fallback={
                <div className="fd-page-loading" role="status">
                  Opening the workflow…
                </div>
              }
            >
              <BuilderPage workflowId={params.id} />
            </Suspense>
          </SessionGate>
        )}
      </Route>
      <Route path="/">
        <SessionGate>
          <AppShell>
            <WorkflowListPage />
          </AppShell>
        </SessionGate>
      </Route>
      <Route>
        <Redirect to="/" />
      </Route>
    </Switch>
  );
}
