import { useStore } from "zustand";
import type { Autosave } from "./autosave";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import { UnsavedChanges } from "./unsaved-changes";

/** Messages above the canvas: YAML that does not parse, a refused edit, a save conflict, view-only mode. */
export function BuilderBanners({
  workflowId,
  autosave,
  notice,
  onDismissNotice,
}: {
  workflowId: string;
  autosave: Autosave | undefined;
  notice: string | undefined;
  onDismissNotice(): void;
}) {
  const { document } = useBuilderStores();
  const parses = useDocument((s) => s.parses);
  const firstProblem = useDocument((s) =>
    s.parses ? undefined : s.problems.find((p) => p.severity === "error"),
  );
  const editFailure = useDocument((s) => s.editFailure);
  const readOnly = useSession((s) => s.readOnly);
  return (
    <div className="fdb-banners">
      {readOnly && (
        <div className="fdb-banner fdb-banner--info" data-testid="read-only-banner">
          View only: your role can read this workflow but not change it.
        </div>
      )}
      {!parses && (
        <div className="fdb-banner fdb-banner--warning" role="alert" data-testid="parse-banner">
          The YAML cannot be read
          {firstProblem ? ` (line ${firstProblem.line}:${firstProblem.column}: ${firstProblem.message})` : ""}
          . The canvas shows the last version that could be read; canvas editing resumes when the YAML parses.
        </div>
      )}
      {editFailure && (
        <div className="fdb-banner fdb-banner--error" role="alert" data-testid="edit-failure-banner">
          {editFailure.message} {editFailure.hint}
          <button
            type="button"
            className="fdb-button fdb-button--small"
            onClick={() => document.getState().clearEditFailure()}
          >
            Dismiss
          </button>
        </div>
      )}
      {notice && (
        <div className="fdb-banner fdb-banner--info" role="status">
          {notice}
          <button type="button" className="fdb-button fdb-button--small" onClick={onDismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      {autosave && <ConflictBanner autosave={autosave} />}
      {autosave && <UnsavedChanges workflowId={workflowId} autosave={autosave} />}
    </div>
  );
}

function ConflictBanner({ autosave }: { autosave: Autosave }) {
  const conflict = useStore(autosave.store, (s) => s.conflict);
  const error = useStore(autosave.store, (s) => (s.status === "error" ? s.error : undefined));
  if (error) {
    return (
      <div className="fdb-banner fdb-banner--warning" role="alert" data-testid="save-error-banner">
        The draft could not be saved ({error}). Your text is kept here; saving is retried.
      </div>
    );
  }
  if (!conflict) return null;
  return (
    <div className="fdb-banner fdb-banner--error" role="alert" data-testid="conflict-banner">
      <p>
        Someone else saved this workflow after you opened it. Your text was not saved and is still here. Keep
        yours (replacing theirs), or load theirs (yours stays one Undo away).
      </p>
      <div className="fdb-banner__actions">
        <button
          type="button"
          className="fdb-button"
          onClick={() => void autosave.keepMine()}
          data-testid="conflict-keep-mine"
        >
          Keep mine
        </button>
        <button
          type="button"
          className="fdb-button"
          onClick={() => autosave.loadTheirs()}
          data-testid="conflict-load-theirs"
        >
          Load theirs
        </button>
      </div>
      <details>
        <summary>Their version</summary>
        <pre className="fdb-banner__yaml">{conflict.serverYaml}</pre>
      </details>
    </div>
  );
}
