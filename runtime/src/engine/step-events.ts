import type { RunEvent, StepRecord } from "./run-types";

/**
 * A step's record travels in the event that finished it (`step.completed`, `step.failed`, or the `step.started`
 * of a step that waits): the journal has no step rows (DESIGN.md §4). The event keeps the fields live clients
 * already read (`stepId`, `node`, `type`, `port`, `details`, `usage`, `vars`) and adds the rest of the record;
 * its `at` is the step's finish.
 */
/** A step's record before its event is stamped: the event's `at` is its finish. */
export type StepEnd = Omit<StepRecord, "finishedAt">;

export function stepEventData(
  record: StepEnd,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  // Members assigned one by one rather than spread from temporary objects: this runs for every step.
  const data: Record<string, unknown> = {
    stepId: record.stepId,
    node: record.nodeName,
    type: record.nodeType,
    attempt: record.attempt,
    status: record.status,
    port: record.port ?? null,
    output: record.output,
  };
  if (record.error) data.error = record.error;
  if (record.details) data.details = record.details;
  if (record.usage) data.usage = record.usage;
  data.startedAt = record.startedAt;
  return Object.assign(data, extra);
}

const RECORDING_TYPES: ReadonlySet<string> = new Set(["step.completed", "step.failed", "step.started"]);

/** The step record an event carries, or undefined (a `step.started` that does not wait carries none). */
export function stepRecordOf(event: RunEvent): StepRecord | undefined {
  if (!RECORDING_TYPES.has(event.type)) return undefined;
  const data = event.data;
  if (typeof data.status !== "string" || typeof data.stepId !== "string") return undefined;
  return {
    stepId: data.stepId,
    nodeName: String(data.node),
    nodeType: String(data.type),
    attempt: typeof data.attempt === "number" ? data.attempt : 1,
    status: data.status as StepRecord["status"],
    ...(typeof data.port === "string" ? { port: data.port } : {}),
    output: data.output ?? null,
    ...(data.error ? { error: data.error as StepRecord["error"] & object } : {}),
    ...(data.details ? { details: data.details as Record<string, unknown> } : {}),
    ...(data.usage ? { usage: data.usage as StepRecord["usage"] & object } : {}),
    startedAt: typeof data.startedAt === "string" ? data.startedAt : event.at,
    finishedAt: event.at,
  };
}

/**
 * The trace's steps from a run's events, in seq order: the last record of a step id wins (a re-run after
 * recovery, an answered `ask`) and keeps the place of its first record, as the trace always showed it.
 */
export function stepsFromEvents(events: Iterable<RunEvent>): StepRecord[] {
  const byId = new Map<string, StepRecord>();
  for (const event of events) {
    const record = stepRecordOf(event);
    // Map.set on an existing key keeps the key's original position.
    if (record) byId.set(record.stepId, record);
  }
  return [...byId.values()];
}
