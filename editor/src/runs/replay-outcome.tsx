// What a replay did next to the original: the same path and replies or where they part, and the new run's page.
import { Link } from "wouter";
import type { ReplayResult } from "../api/runs-types";

const route = (steps: readonly string[]) => (steps.length ? steps.join(" → ") : "(no steps)");

export function ReplayOutcome({ result }: { result: ReplayResult }) {
  const { comparison, run } = result;
  const { original, replay } = comparison;
  const version = replay.workflowVersion === null ? "the draft" : `v${replay.workflowVersion}`;
  return (
    <section
      className="fd-alert fd-alert--info fd-run__replay"
      aria-live="polite"
      data-testid="run-replay-result"
    >
      <p>
        <strong>Replayed against {version}</strong>: {replay.status}
        {comparison.settled ? "" : " (still going when the wait ran out)"}.{" "}
        <Link href={`/runs/${run.id}`} data-testid="run-replay-link">
          Open the replay
        </Link>
      </p>
      <p data-testid="run-replay-route">
        {comparison.sameRoute
          ? "Same path as the original."
          : `The path parts at step ${(comparison.routeDivergesAt ?? 0) + 1}.`}{" "}
        {comparison.sameReplies ? "Same replies." : "Different replies."}
      </p>
      {comparison.sameRoute ? null : (
        <dl className="fd-run__replay-routes">
          <dt>Original</dt>
          <dd>{route(original.route)}</dd>
          <dt>Replay</dt>
          <dd>{route(replay.route)}</dd>
        </dl>
      )}
      {comparison.sameReplies ? null : (
        <dl className="fd-run__replay-routes">
          <dt>Original replies</dt>
          <dd>{original.replies.join(" / ") || "(none)"}</dd>
          <dt>Replay replies</dt>
          <dd>{replay.replies.join(" / ") || "(none)"}</dd>
        </dl>
      )}
    </section>
  );
}
