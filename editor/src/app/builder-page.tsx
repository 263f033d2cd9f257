// The builder route: a slim top bar (back to the list, workspace role) around the builder, which owns the rest of
// the window. Viewers get `readOnly`; the server refuses their writes as well.
import { Link } from "wouter";
import { WorkflowBuilder } from "../builder/workflow-builder";
import { Icon } from "../ui/icon";
import { useApi, useSession } from "./api-context";
import { canEdit, ROLE_LABELS } from "./roles";

export function BuilderPage({ workflowId }: { workflowId: string }) {
  const api = useApi();
  const session = useSession();
  const role = session?.tenant.role;
  const readOnly = !canEdit(role);
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
        <WorkflowBuilder
          key={`${session?.tenant.id}:${workflowId}`}
          workflowId={workflowId}
          api={api}
          readOnly={readOnly}
        />
      </main>
    </div>
  );
}
