// Cancel and Replay on a run's page, for editors and above (the server refuses viewers with FD313 anyway).
// Cancel asks first: it aborts a step that is executing and cannot be undone. Replay waits for the new run and
// shows how it compares with this one, with a link to it (replays are not in the live list).
import { useState } from "react";
import { ApiError, describeError } from "../api";
import type { RunsApi } from "../api/runs-api";
import { ENDED_STATUSES, type ReplayResult, type RunDetail } from "../api/runs-types";
import { Dialog } from "../ui/dialog";
import { ReplayOutcome } from "./replay-outcome";

/** The server's refusal in words a support lead can act on; anything else as the server said it. */
export function plainActionError(action: "cancel" | "replay", failure: unknown): string {
  const what = action === "cancel" ? "cancel this run" : "replay this run";
  if (failure instanceof ApiError) {
    if (failure.code === "FD313") return `Your role cannot ${what}: it takes an editor, admin or owner.`;
    if (failure.code === "FD322") return `Could not ${what}: the run or its workflow no longer exists.`;
    if (failure.code === "FD600") return `Could not ${what}: the server could not be reached. Try again.`;
  }
  return `Could not ${what}. ${describeError(failure)}`;
}

export function RunActions({
  run,
  runsApi,
  canAct,
  onCancelled,
}: {
  run: RunDetail;
  runsApi: RunsApi;
  canAct: boolean;
  onCancelled: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<"cancel" | "replay" | undefined>();
  const [replayTarget, setReplayTarget] = useState<"published" | "draft">("published");
  const [replay, setReplay] = useState<ReplayResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  if (!canAct) return null;
  const ended = ENDED_STATUSES.has(run.status);

  async function cancel() {
    setBusy("cancel");
    setError(undefined);
    try {
      await runsApi.cancelRun(run.id);
      setConfirming(false);
      onCancelled();
    } catch (failure) {
      setConfirming(false);
      setError(plainActionError("cancel", failure));
    } finally {
      setBusy(undefined);
    }
  }

  async function startReplay() {
    setBusy("replay");
    setError(undefined);
    setReplay(undefined);
    try {
      setReplay(await runsApi.replayRun(run.id, { draft: replayTarget === "draft" }));
    } catch (failure) {
      setError(plainActionError("replay", failure));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <div className="fd-run__actions" data-testid="run-actions">
      <div className="fd-run__action-row">
        <button
          type="button"
          className="fd-button fd-button--danger"
          onClick={() => setConfirming(true)}
          disabled={ended || busy !== undefined}
          aria-describedby={ended ? "run-cancel-why" : undefined}
          data-testid="run-cancel"
        >
          Cancel run
        </button>
        {ended ? (
          <span id="run-cancel-why" className="fd-muted">
            This run has {run.status === "cancelled" ? "been cancelled" : "ended"}: nothing to cancel.
          </span>
        ) : null}
      </div>
      <div className="fd-run__action-row">
        <label className="fd-field fd-run__replay-target">
          <span className="fd-field__label">Replay against</span>
          <select
            className="fd-select"
            value={replayTarget}
            onChange={(e) => setReplayTarget(e.target.value === "draft" ? "draft" : "published")}
            data-testid="run-replay-target"
          >
            <option value="published">the latest published version</option>
            <option value="draft">the draft</option>
          </select>
        </label>
        <button
          type="button"
          className="fd-button"
          onClick={() => void startReplay()}
          disabled={busy !== undefined}
          data-testid="run-replay"
        >
          {busy === "replay" ? "Replaying…" : "Replay"}
        </button>
      </div>
      {error ? (
        <p className="fd-alert fd-alert--error" role="alert" data-testid="run-action-error">
          {error}
        </p>
      ) : null}
      {replay ? <ReplayOutcome result={replay} /> : null}
      <p className="fd-muted fd-run__action-note">
        A replay sends this run&apos;s messages again: tools answer with what they answered then and nothing
        reaches a customer. Replays are not listed with live runs; open one from its result here.
      </p>
      <Dialog
        open={confirming}
        title="Cancel this run?"
        description="A step that is executing now is stopped and the run ends as cancelled. This cannot be undone."
        onClose={() => setConfirming(false)}
        onSubmit={() => void cancel()}
        actions={
          <>
            <button type="button" className="fd-button" onClick={() => setConfirming(false)}>
              Keep it running
            </button>
            <button
              type="submit"
              className="fd-button fd-button--danger"
              disabled={busy === "cancel"}
              data-testid="run-cancel-confirm"
            >
              {busy === "cancel" ? "Cancelling…" : "Cancel run"}
            </button>
          </>
        }
      />
    </div>
  );
}
