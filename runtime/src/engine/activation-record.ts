import { toJson } from "../store/sql-values";
import type { RunRecord, RunState } from "./run-types";

/**
 * The run as an activation's last commit stored it, without reading it back (one transaction less per
 * activation). State and output go through the store's JSON mapping, so BigInts and the like come back as a
 * read would give them.
 */
export function activationRecord(
  run: RunRecord,
  committed: Pick<RunRecord, "status" | "output" | "error" | "updatedAt" | "stateVersion">,
  state: RunState,
  /** The commit ended the activation: nothing changes `state` after it. */
  ended: boolean,
): RunRecord {
  const output = committed.output === undefined ? null : (JSON.parse(toJson(committed.output)) as unknown);
  const error = committed.error ?? null;
  const { status, stateVersion, updatedAt } = committed;
  if (!ended) {
    const copy = JSON.parse(toJson(state)) as RunState;
    return { ...run, status, stateVersion, output, error, updatedAt, state: copy };
  }
  // Once the activation has ended, the copy is made when the state is first read: most callers (a webhook's
  // answer, the metrics) never read it, and copying it was 3 % of a webhook call's CPU. Its commit also set the
  // run's count of unfinished activations back to 0. (A literal, not a rest or defineProperty: both cost as much.)
  let copy: RunState | undefined;
  return {
    ...run,
    status,
    stateVersion,
    output,
    error,
    updatedAt,
    activationsUnfinished: undefined as unknown as number,
    get state(): RunState {
      return (copy ??= JSON.parse(toJson(state)) as RunState);
    },
  };
}
