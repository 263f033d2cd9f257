// Placeholder so the app's builder route compiles; the builder engineer owns and replaces this file.
import type { FlowdeckApi } from "../api";

export interface WorkflowBuilderProps {
  readonly workflowId: string;
  readonly api: FlowdeckApi;
  /** Viewers (and anyone without edit rights) get the builder with every edit control hidden or disabled. */
  readonly readOnly: boolean;
}

export function WorkflowBuilder({ workflowId, readOnly }: WorkflowBuilderProps) {
  return (
    <section aria-label="Workflow builder" className="fd-builder-placeholder">
      <p>
        Workflow {workflowId} {readOnly ? "(read-only)" : ""}
      </p>
    </section>
  );
}
