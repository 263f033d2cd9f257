// The builder route: a slim top bar (back to the list, workspace role) around the builder, which owns the rest of
// the window. Viewers get `readOnly`; the server refuses their writes as well.
import { useEffect, useState } from "react";
import { Link } from "wouter";
import { describeError } from "../api/api-error";
import { loadPackageNodeTypes } from "../builder/package-node-types";
import { WorkflowBuilder } from "../builder/workflow-builder";
import { Icon } from "../ui/icon";
import { useApi, useSession } from "./api-context";
import { canEdit, ROLE_LABELS } from "./roles";

export function BuilderPage({ workflowId }: { workflowId: string }) {
  const api = useApi();
  const session = useSession();
  const role = session?.tenant.role;
  const readOnly = !canEdit(role);
  // The builder reads its registry when it mounts, so the deployment's node packages are installed first.
  const [nodeTypes, setNodeTypes] = useState<"loading" | "ready" | { error: string }>("loading");
  useEffect(() => {
    let live = true;
    loadPackageNodeTypes(api).then(
      () => live && setNodeTypes("ready"),
      (error: unknown) => live && setNodeTypes({ error: describeError(error) }),
    );
    return () => {
      live = false;
    };
  }, [api]);
  return (
    <div className="fd-builder-frame">
      <header className="fd-topbar">
        <Link href="/" className="fd-topbar__brand" aria-label="Flowdeck home">
          <span className="fd-brand__mark" aria-hidden="true">
            <Icon name="flow" />
          </span>
        </Link>
        <Link href="/" className="fd-button fd-button--ghost fd-button--small">
          <Icon name="chevronLeft" />
          All workflows
        </Link>
        <span className="fd-topbar__spacer" />
        {readOnly ? (
          <span className="fd-badge fd-badge--warning" data-testid="read-only-badge">
            <Icon name="lock" />
            Read-only · {role ? ROLE_LABELS[role] : ""}
          </span>
        ) : null}
      </header>
      <main id="main" className="fd-builder-frame__body" tabIndex={-1}>
        {typeof nodeTypes === "object" ? (
          // Built-ins still work; nodes from packages show as unknown types until a reload succeeds.
          <p className="fd-alert fd-alert--warning" role="alert">
            The workspace&apos;s extra node types could not be loaded ({nodeTypes.error}). Reload to try
            again.
          </p>
        ) : null}
        {nodeTypes === "loading" ? (
          <p className="fd-loading" role="status">
            Loading node types…
          </p>
        ) : (
          <WorkflowBuilder
            key={`${session?.tenant.id}:${workflowId}`}
            workflowId={workflowId}
            api={api}
            readOnly={readOnly}
          />
        )}
      </main>
    </div>
  );
}
