// A run's status as a badge: the word always, colour only as a second cue.
import type { RunStatus } from "../api/runs-types";

const KIND: Record<RunStatus, string> = {
  queued: "",
  running: " fd-badge--primary",
  waiting: " fd-badge--primary",
  handoff: " fd-badge--warning",
  completed: " fd-badge--success",
  failed: " fd-badge--danger",
  cancelled: "",
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`fd-badge${KIND[status] ?? ""}`} data-testid="run-status">
      {status}
    </span>
  );
}
