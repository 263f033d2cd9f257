import { Link } from "wouter";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import { Icon } from "../ui/icon";
import type { SaveState } from "./autosave";
import type { BuilderActions } from "./builder-actions";
import { useDocument, useSession, useBuilderStores } from "./builder-context";
import type { ViewMode } from "./session-store";

const VIEW_MODES: ReadonlyArray<{ mode: ViewMode; label: string }> = [
  { mode: "canvas", label: "Canvas" },
  { mode: "split", label: "Split" },
  { mode: "yaml", label: "YAML" },
];

const SAVE_TEXT: Record<SaveState["status"], string> = {
  // One word: "All changes saved" was cut to "All changes …" in a 900 px window.
  saved: "Saved",
  pending: "Unsaved changes…",
  saving: "Saving…",
  "waiting-for-yaml": "Not saved: the YAML does not parse",
  conflict: "Not saved: someone else saved",
  error: "Not saved: retrying",
};

export function BuilderToolbar({
  name,
  actions,
  save,
  testRun,
  publish,
}: {
  name: string;
  actions: BuilderActions;
  save: StoreApi<SaveState> | undefined;
  /** The test-run panel's switch; absent when the draft cannot be test-run here. */
  testRun?: { open: boolean; toggle(): void };
  /** Opens the publish dialog; absent for viewers and bare draft APIs. */
  publish?: { open(): void; versionsHref: string };
}) {
  const { session } = useBuilderStores();
  const canUndo = useDocument((s) => s.history.past.length > 0);
  const canRedo = useDocument((s) => s.history.future.length > 0);
  const parses = useDocument((s) => s.parses);
  const viewMode = useSession((s) => s.viewMode);
  const readOnly = useSession((s) => s.readOnly);
  const editable = !readOnly && parses;
  return (
    <header className="fdb-toolbar" role="toolbar" aria-label="Builder tools">
      <h1 className="fdb-toolbar__title" data-testid="workflow-name" title={name}>
        {name}
      </h1>
      <div className="fdb-toolbar__group">
        {/* Icons, as in most editors: their words cost the room that kept the row on one line at 900 px. */}
        <button
          type="button"
          className="fdb-button fdb-button--icon"
          onClick={actions.undo}
          disabled={readOnly || !canUndo}
          aria-label="Undo"
          title="Undo (Ctrl+Z)"
          data-testid="undo"
        >
          <Icon name="undo" />
        </button>
        <button
          type="button"
          className="fdb-button fdb-button--icon"
          onClick={actions.redo}
          disabled={readOnly || !canRedo}
          aria-label="Redo"
          title="Redo (Ctrl+Shift+Z)"
          data-testid="redo"
        >
          <Icon name="redo" />
        </button>
        <button
          type="button"
          className="fdb-button"
          onClick={() => void actions.autoLayout()}
          disabled={!editable}
          title="Auto-layout (Shift+L)"
          data-testid="auto-layout"
        >
          <Icon name="layout" />
          <span className="fdb-toolbar__label">Auto-layout</span>
        </button>
        <button
          type="button"
          className="fdb-button"
          onClick={actions.fitView}
          title="Zoom to fit (Shift+1)"
          data-testid="fit-view"
        >
          Fit
        </button>
      </div>
      <div className="fdb-toolbar__group" role="group" aria-label="View">
        {VIEW_MODES.map(({ mode, label }) => (
          <button
            key={mode}
            type="button"
            className={`fdb-button${viewMode === mode ? " fdb-button--active" : ""}`}
            aria-pressed={viewMode === mode}
            onClick={() => session.getState().setViewMode(mode)}
            data-testid={`view-${mode}`}
          >
            {label}
          </button>
        ))}
      </div>
      {testRun && (
        <button
          type="button"
          className={`fdb-button${testRun.open ? " fdb-button--active" : ""}`}
          aria-pressed={testRun.open}
          onClick={testRun.toggle}
          data-testid="test-run-toggle"
        >
          Test run
        </button>
      )}
      {save ? <SaveIndicator save={save} /> : <span className="fdb-save fdb-muted">View only</span>}
      {/* Publish stays last and whole at any width; Versions keeps its icon when the row is short of room. */}
      {publish && (
        <>
          <Link
            className="fdb-button"
            href={publish.versionsHref}
            title="Versions: published versions, compare, roll back"
            data-testid="versions-link"
          >
            <Icon name="history" />
            <span className="fdb-toolbar__label">Versions</span>
          </Link>
          <button
            type="button"
            className="fdb-button fdb-button--primary"
            onClick={publish.open}
            disabled={!parses}
            data-testid="publish-open"
          >
            Publish…
          </button>
        </>
      )}
    </header>
  );
}

function SaveIndicator({ save }: { save: StoreApi<SaveState> }) {
  const status = useStore(save, (s) => s.status);
  return (
    <span
      className={`fdb-save fdb-save--${status}`}
      role="status"
      title={SAVE_TEXT[status]}
      data-testid="save-status"
      data-status={status}
    >
      {SAVE_TEXT[status]}
    </span>
  );
}
