import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useState } from "react";
import { describeError } from "../api";
import { createAutosave, type Autosave, type DraftApi } from "./autosave";
import { BuilderProvider } from "./builder-context";
import { builtinBuilderRegistry } from "./builder-registry";
import { BuilderScreen } from "./builder-screen";
import { createBuilderStores, type BuilderStores } from "./builder-stores";
import type { ViewMode } from "./session-store";
import { publishApiOf } from "./publish/publish-dialog";
import type { TestRunApi } from "./test-run/test-run-panel";
import "./builder.css";
import "./builder-panels.css";

export interface WorkflowBuilderProps {
  readonly workflowId: string;
  readonly api: DraftApi;
  /** A viewer sees everything but changes nothing (no palette, no drags, read-only YAML and forms, no saving). */
  readonly readOnly: boolean;
  /** The view the screen opens with; default: the canvas. */
  readonly initialViewMode?: ViewMode;
}

interface Loaded {
  readonly stores: BuilderStores;
  readonly autosave: Autosave | undefined;
}

/**
 * The workflow builder screen: loads the draft, then shows the canvas and the YAML of one workflow, kept in
 * step through the document store, and saves the draft as it changes.
 */
export function WorkflowBuilder({ workflowId, api, readOnly, initialViewMode }: WorkflowBuilderProps) {
  // Keyed by what was loaded, so switching workflows shows "opening" instead of the previous flow.
  const key = `${workflowId}|${readOnly}|${initialViewMode ?? ""}`;
  const [state, setState] = useState<{ key: string; loaded?: Loaded; error?: string } | undefined>();

  useEffect(() => {
    let cancelled = false;
    let current: Loaded | undefined;
    api.getWorkflow(workflowId).then(
      (draft) => {
        if (cancelled) return;
        // Marks for bench/src/editor-canvas-bench.ts: where the time to open a large flow goes.
        performance.mark("flowdeck:draft-received");
        const { catalog, validator, iconOf } = builtinBuilderRegistry();
        const stores = createBuilderStores({
          initialText: draft.yaml,
          catalog,
          validator,
          iconOf,
          readOnly,
          viewMode: initialViewMode,
        });
        stores.document.getState().applyServerProblems(draft.yaml, draft.problems);
        const autosave = readOnly
          ? undefined
          : createAutosave({ api, workflowId, etag: draft.etag, document: stores.document });
        current = { stores, autosave };
        performance.mark("flowdeck:stores-ready");
        setState({ key, loaded: current });
      },
      (failure: unknown) => {
        if (!cancelled) setState({ key, error: describeError(failure) });
      },
    );
    return () => {
      cancelled = true;
      if (current) {
        // Leaving the screen: send what is not saved yet, then stop listening.
        void current.autosave?.flush().finally(() => current?.autosave?.dispose());
        current.stores.dispose();
      }
    };
  }, [api, workflowId, readOnly, initialViewMode, key]);

  const loaded = state?.key === key ? state.loaded : undefined;
  const error = state?.key === key ? state.error : undefined;
  if (error) {
    return (
      <div className="fdb-builder-message" role="alert" data-testid="builder-load-error">
        This workflow could not be opened: {error}
      </div>
    );
  }
  if (!loaded) {
    return (
      <div className="fdb-builder-message" role="status" data-testid="builder-loading">
        Opening the workflow…
      </div>
    );
  }
  return (
    <BuilderProvider stores={loaded.stores}>
      <ReactFlowProvider>
        <BuilderScreen
          workflowId={workflowId}
          autosave={loaded.autosave}
          testRunApi={readOnly ? undefined : testRunApiOf(api)}
          publishApi={readOnly ? undefined : publishApiOf(api)}
        />
      </ReactFlowProvider>
    </BuilderProvider>
  );
}

/** The full API client can open the chat socket; a bare draft API (unit tests, Storybook) cannot test-run. */
function testRunApiOf(api: DraftApi): TestRunApi | undefined {
  const candidate = api as Partial<TestRunApi>;
  return typeof candidate.accessToken === "function" && typeof candidate.baseUrl === "string"
    ? (candidate as TestRunApi)
    : undefined;
}
