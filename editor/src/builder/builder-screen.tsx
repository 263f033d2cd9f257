import { lazy, Suspense, useCallback, useMemo, useState } from "react";
import type { Autosave } from "./autosave";
import { useBuilderActions } from "./builder-actions";
import { BuilderBanners } from "./builder-banners";
import { useBuilderStores, useDocument, useSession } from "./builder-context";
import { BuilderToolbar } from "./builder-toolbar";
import { Inspector } from "./inspector";
import { Palette } from "./palette";
import { PublishDialog, type PublishApi } from "./publish/publish-dialog";
import { TestRunPanel, type TestRunApi } from "./test-run/test-run-panel";
import { useBuilderShortcuts } from "./use-builder-shortcuts";
import { ValidationPanel } from "./validation-panel";
import { WorkflowCanvas } from "./workflow-canvas";

// Its own chunk: Monaco and monaco-yaml download when the YAML view first opens, not with the page.
const YamlView = lazy(() => import("./yaml-view"));

/** The builder's layout: toolbar, banners, palette | canvas (and/or YAML) | inspector, problems below. */
export function BuilderScreen({
  workflowId,
  autosave,
  testRunApi,
  publishApi,
}: {
  workflowId: string;
  autosave: Autosave | undefined;
  /** Editors and above can chat with the draft (the server refuses viewers too). */
  testRunApi?: TestRunApi;
  /** Editors and above can publish (the server refuses viewers too). */
  publishApi?: PublishApi;
}) {
  const [testRunOpen, setTestRunOpen] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const saveDraft = useCallback(async () => {
    await autosave?.flush();
  }, [autosave]);
  const { session } = useBuilderStores();
  const actions = useBuilderActions();
  const viewMode = useSession((s) => s.viewMode);
  const readOnly = useSession((s) => s.readOnly);
  const name = useDocument((s) => (typeof s.value?.name === "string" ? s.value.name : "Untitled workflow"));
  const [notice, setNotice] = useState<string | undefined>();
  const shortcutOptions = useMemo(
    () => ({
      saveNow: () => void autosave?.flush(),
      clearSelection: () => session.getState().select([]),
      notify: setNotice,
    }),
    [autosave, session],
  );
  useBuilderShortcuts(actions, shortcutOptions);

  return (
    <div
      className={`fdb-builder fdb-builder--${viewMode}`}
      data-testid="workflow-builder"
      data-read-only={readOnly}
    >
      <BuilderToolbar
        name={name}
        actions={actions}
        save={autosave?.store}
        testRun={
          testRunApi ? { open: testRunOpen, toggle: () => setTestRunOpen((open) => !open) } : undefined
        }
        publish={
          publishApi
            ? {
                open: () => setPublishOpen(true),
                versionsHref: `/flows/${encodeURIComponent(workflowId)}/versions`,
              }
            : undefined
        }
      />
      {publishOpen && publishApi && (
        <PublishDialog
          workflowId={workflowId}
          api={publishApi}
          saveDraft={saveDraft}
          onClose={() => setPublishOpen(false)}
          onPublished={(version) => {
            setPublishOpen(false);
            setNotice(`Published version ${version.version}.`);
          }}
        />
      )}
      <BuilderBanners
        workflowId={workflowId}
        autosave={autosave}
        notice={notice}
        onDismissNotice={() => setNotice(undefined)}
      />
      <div className="fdb-builder__main">
        {!readOnly && <Palette actions={actions} />}
        <main className="fdb-builder__center" aria-label="Workflow editor">
          {viewMode !== "yaml" && <WorkflowCanvas actions={actions} />}
          {viewMode !== "canvas" && (
            <Suspense
              fallback={
                <div className="fdb-loading" role="status">
                  Loading the YAML editor…
                </div>
              }
            >
              <YamlView workflowId={workflowId} />
            </Suspense>
          )}
        </main>
        {testRunOpen && testRunApi ? (
          // Saves what was typed first, so the run uses the draft on screen.
          <TestRunPanel
            api={testRunApi}
            workflowId={workflowId}
            beforeSend={() => autosave?.flush() ?? Promise.resolve()}
            onClose={() => setTestRunOpen(false)}
          />
        ) : (
          <Inspector actions={actions} />
        )}
      </div>
      <ValidationPanel />
    </div>
  );
}
