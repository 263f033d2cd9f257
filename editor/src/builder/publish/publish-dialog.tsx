// Publish from the builder: what the draft changes against the live version, drawn on the canvas and listed,
// then a note and Publish. The draft is saved first, so what is compared is exactly what gets published.
import type { WorkflowDiff } from "@flowdeck/schemas";
import { useEffect, useState } from "react";
import { describeError, isApiError, type FlowdeckApi, type VersionRecord } from "../../api";
import { Dialog } from "../../ui/dialog";
import { DiffView } from "../diff/diff-view";
import { WorkflowPicture } from "../workflow-picture";
import "./publish-dialog.css";

export type PublishApi = Pick<FlowdeckApi, "getWorkflow" | "getVersion" | "diff" | "publish">;

type Comparison =
  | { readonly kind: "loading" }
  | { readonly kind: "error"; readonly message: string }
  /** Never published: everything in the draft is new. */
  | { readonly kind: "first"; readonly draft: string }
  | {
      readonly kind: "diff";
      readonly live: number;
      readonly before: string;
      readonly after: string;
      readonly diff: WorkflowDiff;
    };

export interface PublishDialogProps {
  readonly workflowId: string;
  readonly api: PublishApi;
  /** Sends what autosave still holds; resolves when the server has the draft on screen. */
  readonly saveDraft: () => Promise<void>;
  readonly onClose: () => void;
  readonly onPublished: (version: VersionRecord) => void;
}

async function compare(api: PublishApi, workflowId: string): Promise<Comparison> {
  const draft = await api.getWorkflow(workflowId);
  if (draft.errorCount > 0) {
    return {
      kind: "error",
      message:
        draft.errorCount === 1
          ? "The draft has 1 error; fix it (see Problems) before publishing."
          : `The draft has ${draft.errorCount} errors; fix them (see Problems) before publishing.`,
    };
  }
  if (draft.latestVersion === null) return { kind: "first", draft: draft.yaml };
  try {
    const [live, diff] = await Promise.all([
      api.getVersion(workflowId, draft.latestVersion),
      api.diff(workflowId, draft.latestVersion, "draft"),
    ]);
    return { kind: "diff", live: draft.latestVersion, before: live.yaml, after: draft.yaml, diff };
  } catch (error) {
    // Published by someone else meanwhile being deleted is not possible, but a never-published answer is.
    if (isApiError(error, "FD337")) return { kind: "first", draft: draft.yaml };
    throw error;
  }
}

export function PublishDialog({ workflowId, api, saveDraft, onClose, onPublished }: PublishDialogProps) {
  const [comparison, setComparison] = useState<Comparison>({ kind: "loading" });
  const [note, setNote] = useState("");
  const [publishing, setPublishing] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  useEffect(() => {
    let live = true;
    saveDraft()
      .then(() => compare(api, workflowId))
      .then(
        (result) => live && setComparison(result),
        (error: unknown) => live && setComparison({ kind: "error", message: describeError(error) }),
      );
    return () => {
      live = false;
    };
  }, [api, workflowId, saveDraft]);

  const nothingChanged =
    comparison.kind === "diff" && comparison.diff.layoutOnly && comparison.diff.moved.length === 0;
  const canPublish =
    (comparison.kind === "diff" || comparison.kind === "first") && !publishing && !nothingChanged;

  async function publish() {
    if (!canPublish) return;
    setPublishing(true);
    setFailure(undefined);
    try {
      onPublished(await api.publish(workflowId, note.trim() || undefined));
    } catch (error) {
      setFailure(describeError(error));
      setPublishing(false);
    }
  }

  return (
    <Dialog
      open
      title="Publish a new version"
      description={
        comparison.kind === "diff"
          ? `What the draft changes against the live version v${comparison.live}.`
          : comparison.kind === "first"
            ? "This is the first version: every node is new."
            : undefined
      }
      onClose={onClose}
      onSubmit={() => void publish()}
      actions={
        <>
          <button type="button" className="fd-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="fd-button fd-button--primary"
            disabled={!canPublish}
            data-testid="publish-confirm"
          >
            {publishing ? "Publishing…" : "Publish"}
          </button>
        </>
      }
    >
      <div className="fdb-publish" data-testid="publish-dialog">
        {comparison.kind === "loading" && (
          <p className="fdb-loading" role="status">
            Saving the draft and comparing it with the live version…
          </p>
        )}
        {comparison.kind === "error" && (
          <p className="fd-alert fd-alert--error" role="alert" data-testid="publish-error">
            {comparison.message}
          </p>
        )}
        {comparison.kind === "first" && (
          <div className="fdb-publish__canvas">
            <WorkflowPicture yaml={comparison.draft} label="The draft to publish" />
          </div>
        )}
        {comparison.kind === "diff" && (
          <DiffView
            before={comparison.before}
            after={comparison.after}
            diff={comparison.diff}
            label={`v${comparison.live} → draft`}
          />
        )}
        {nothingChanged && <p role="status">The draft is the live version: there is nothing to publish.</p>}
        <label className="fdb-publish__note">
          <span>Note (what changed and why)</span>
          <textarea
            className="fd-input"
            rows={2}
            maxLength={2000}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            data-testid="publish-note"
          />
        </label>
        {failure && (
          <p className="fd-alert fd-alert--error" role="alert">
            {failure}
          </p>
        )}
      </div>
    </Dialog>
  );
}

/** The full API client can publish; a bare draft API (unit tests, Storybook) cannot. */
export function publishApiOf(api: object): PublishApi | undefined {
  const candidate = api as Partial<PublishApi>;
  return typeof candidate.publish === "function" && typeof candidate.diff === "function"
    ? (candidate as PublishApi)
    : undefined;
}
