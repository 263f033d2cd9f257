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
  // An ended activation's commit set the run's count of unfinished activations back to 0.
  const { activationsUnfinished, ...stored } = run;
  const base = {
    ...stored,
    ...(ended || activationsUnfinished === undefined ? {} : { activationsUnfinished }),
    status: committed.status,
    stateVersion: committed.stateVersion,
    output: committed.output === undefined ? null : (JSON.parse(toJson(committed.output)) as unknown),
    error: committed.error ?? null,
    updatedAt: committed.updatedAt,
  };
  if (!ended) return { ...base, state: JSON.parse(toJson(state)) as RunState };
  // Once the activation has ended, the copy is made when the state is first read: most callers (a webhook's
  // answer, the metrics) never read it, and copying it was 3 % of a webhook call's CPU.
  let copy: RunState | undefined;
  return Object.defineProperty(base, "state", {
    enumerable: true,
    configurable: true,
    get: () => (copy ??= JSON.parse(toJson(state)) as RunState),
  }) as RunRecord;
}
