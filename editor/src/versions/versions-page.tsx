// A workflow's published versions: view any one read-only on the canvas, compare any two (or one with the
// draft) with the diff drawn and listed, and roll back (publish an old version again as the newest).
import type { WorkflowDiff } from "@flowdeck/schemas";
import { useCallback, useEffect, useState } from "react";
import { Link } from "wouter";
import { describeError, type VersionRecord, type WorkflowDraft } from "../api";
import { useApi, useSession } from "../app/api-context";
import { canEdit } from "../app/roles";
import { DiffView } from "../builder/diff/diff-view";
import { WorkflowPicture } from "../builder/workflow-picture";
import { useToast } from "../ui/toasts";
import { relativeTime } from "../workflows/relative-time";
import { CompareForm, type Side } from "./compare-form";
import { RollbackDialog } from "./rollback-dialog";
import "./versions.css";

type Shown =
  | { readonly kind: "view"; readonly version: number; readonly yaml: string }
  | {
      readonly kind: "compare";
      readonly from: Side;
      readonly to: Side;
      readonly before: string;
      readonly after: string;
      readonly diff: WorkflowDiff;
    };

const sideLabel = (side: Side) => (side === "draft" ? "draft" : `v${side}`);

export function VersionsPage({ workflowId }: { workflowId: string }) {
  const api = useApi();
  const notify = useToast();
  const editable = canEdit(useSession()?.tenant.role);
  const [draft, setDraft] = useState<WorkflowDraft | undefined>();
  const [versions, setVersions] = useState<readonly VersionRecord[] | undefined>();
  const [shown, setShown] = useState<Shown | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [rollingBack, setRollingBack] = useState<number | undefined>();

  const yamlOf = useCallback(
    async (side: Side) =>
      side === "draft"
        ? (await api.getWorkflow(workflowId)).yaml
        : (await api.getVersion(workflowId, side)).yaml,
    [api, workflowId],
  );

  const view = useCallback(
    async (version: number) => {
      setError(undefined);
      try {
        setShown({ kind: "view", version, yaml: await yamlOf(version) });
      } catch (failure) {
        setError(describeError(failure));
      }
    },
    [yamlOf],
  );

  const load = useCallback(
    () =>
      Promise.all([api.getWorkflow(workflowId), api.listVersions(workflowId)]).then(([workflow, list]) => {
        setDraft(workflow);
        setVersions(list);
        return list;
      }),
    [api, workflowId],
  );

  useEffect(() => {
    load().then(
      (list) => list[0] && void view(list[0].version),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [load, view]);

  async function compare(from: Side, to: Side) {
    setError(undefined);
    try {
      const [before, after, diff] = await Promise.all([
        yamlOf(from),
        yamlOf(to),
        api.diff(workflowId, from, to),
      ]);
      setShown({ kind: "compare", from, to, before, after, diff });
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  async function rollback(version: number, note: string) {
    try {
      const published = await api.rollback(workflowId, version, note || undefined);
      setRollingBack(undefined);
      notify(`Rolled back: v${version} is live again as v${published.version}.`);
      const list = await load();
      if (list[0]) await view(list[0].version);
    } catch (failure) {
      setRollingBack(undefined);
      setError(describeError(failure));
    }
  }

  const live = versions?.[0]?.version;
  return (
    <div className="fd-page fd-versions">
      <header className="fd-page-header">
        <div>
          <h1 className="fd-page-header__title">Versions of {draft?.name ?? "…"}</h1>
          <p className="fd-page-header__subtitle">
            Published versions never change. View one, compare two, or roll back to an earlier one.
          </p>
        </div>
        <Link href={`/flows/${encodeURIComponent(workflowId)}`} className="fd-button">
          Open the builder
        </Link>
      </header>
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert">
          {error}
        </p>
      ) : null}
      {versions && versions.length === 0 ? (
        <p className="fd-muted" data-testid="no-versions">
          Not published yet. Publish the draft from the builder to make its first version.
        </p>
      ) : null}
      <div className="fd-versions__layout">
        <section aria-labelledby="versions-list-title" className="fd-card fd-versions__list">
          <h2 id="versions-list-title" className="fd-section-title">
            Versions
          </h2>
          <ol className="fd-versions__items">
            {(versions ?? []).map((version) => (
              <li
                key={version.version}
                className={`fd-versions__item${shown?.kind === "view" && shown.version === version.version ? " fd-versions__item--shown" : ""}`}
                data-testid={`version-${version.version}`}
              >
                <div className="fd-versions__head">
                  <strong>v{version.version}</strong>
                  {version.version === live ? <span className="fd-badge fd-badge--success">Live</span> : null}
                  <span className="fd-muted" title={new Date(version.createdAt).toLocaleString()}>
                    {relativeTime(version.createdAt)}
                  </span>
                </div>
                {version.note ? <p className="fd-versions__note">{version.note}</p> : null}
                <div className="fd-versions__actions">
                  <button
                    type="button"
                    className="fd-button fd-button--small"
                    onClick={() => void view(version.version)}
                  >
                    View<span className="fd-visually-hidden"> v{version.version}</span>
                  </button>
                  {editable && version.version !== live ? (
                    <button
                      type="button"
                      className="fd-button fd-button--small"
                      onClick={() => setRollingBack(version.version)}
                      data-testid={`rollback-${version.version}`}
                    >
                      Roll back to v{version.version}
                    </button>
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
          {versions && versions.length > 0 ? (
            <CompareForm
              key={versions[0]?.version}
              versions={versions}
              hasDraftChanges={draft?.draftChanged ?? false}
              onCompare={(from, to) => void compare(from, to)}
            />
          ) : null}
        </section>
        <section className="fd-versions__shown" aria-live="polite">
          {shown?.kind === "view" && (
            <>
              <h2 className="fd-section-title" data-testid="shown-title">
                v{shown.version}
                {shown.version === live ? " (live)" : ""} · read-only
              </h2>
              <div className="fd-versions__canvas">
                <WorkflowPicture
                  key={`v${shown.version}:${shown.yaml.length}`}
                  yaml={shown.yaml}
                  label={`Version ${shown.version}`}
                />
              </div>
            </>
          )}
          {shown?.kind === "compare" && (
            <>
              <h2 className="fd-section-title" data-testid="shown-title">
                {sideLabel(shown.from)} → {sideLabel(shown.to)}
              </h2>
              <DiffView
                before={shown.before}
                after={shown.after}
                diff={shown.diff}
                label={`${sideLabel(shown.from)} → ${sideLabel(shown.to)}`}
              />
            </>
          )}
        </section>
      </div>
      {rollingBack !== undefined && live !== undefined ? (
        <RollbackDialog
          version={rollingBack}
          live={live}
          onCancel={() => setRollingBack(undefined)}
          onConfirm={(note) => rollback(rollingBack, note)}
        />
      ) : null}
    </div>
  );
}
