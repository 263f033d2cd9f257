import type { Workflow } from "@flowdeck/schemas";
import type { RunEvent, RunRecord, RunState, RunStatus, StepRecord } from "../engine/run-types";
import { isoTimestamp } from "./sql-values";

/** An event as stored: its place in the run's log. */
export interface StoredEvent extends RunEvent {
  readonly seq: number;
}

/** Column lists and row mappers shared by the run store's queries. */

export const RUN_COLUMNS = `tenant_id, id, workflow_name, workflow_version, definition, status, state, state_version,
  input, output, error, conversation_id, channel, created_at, updated_at, activations_unfinished`;

export interface RunRow {
  tenant_id: string;
  id: string;
  workflow_name: string;
  workflow_version: number | null;
  definition: Workflow;
  status: RunStatus;
  state: RunState;
  state_version: number;
  input: Record<string, unknown>;
  output: unknown;
  error: { code: string; message: string } | null;
  conversation_id: string;
  channel: string;
  created_at: Date | string;
  updated_at: Date | string;
  activations_unfinished: number;
}

export function toRunRecord(row: RunRow): RunRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    workflowName: row.workflow_name,
    workflowVersion: row.workflow_version,
    definition: row.definition,
    status: row.status,
    state: row.state,
    stateVersion: row.state_version,
    input: row.input,
    output: row.output ?? null,
    error: row.error ?? null,
    conversationId: row.conversation_id,
    channel: row.channel,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
    // Only when a process died executing it: the usual record stays as it was.
    ...(row.activations_unfinished > 0 ? { activationsUnfinished: row.activations_unfinished } : {}),
  };
}

export const STEP_COLUMNS = `step_id, node_name, node_type, attempt, status, port, output, error, details, usage,
  started_at, finished_at`;

export interface StepRow {
  step_id: string;
  node_name: string;
  node_type: string;
  attempt: number;
  status: StepRecord["status"];
  port: string | null;
  output: unknown;
  error: StepRecord["error"] | null;
  details: StepRecord["details"] | null;
  usage: StepRecord["usage"] | null;
  started_at: Date | string;
  finished_at: Date | string;
}

export function toStepRecord(row: StepRow): StepRecord {
  return {
    stepId: row.step_id,
    nodeName: row.node_name,
    nodeType: row.node_type,
    attempt: row.attempt,
    status: row.status,
    ...(row.port === null ? {} : { port: row.port }),
    output: row.output ?? null,
    ...(row.error ? { error: row.error } : {}),
    ...(row.details ? { details: row.details } : {}),
    ...(row.usage ? { usage: row.usage } : {}),
    startedAt: isoTimestamp(row.started_at),
    finishedAt: isoTimestamp(row.finished_at),
  };
}

export interface EventRow {
  seq: number;
  type: RunEvent["type"];
  data: Record<string, unknown>;
  at: Date | string;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return { seq: row.seq, type: row.type, data: row.data, at: isoTimestamp(row.at) };
}

/**
 * The last record per step id, in first-seen order. One INSERT … ON CONFLICT DO UPDATE may not touch the same
 * row twice, and when a batch holds a step twice (a failed attempt, then its retry) the later one is the truth.
 */
export function lastRecordPerStep(steps: readonly StepRecord[]): StepRecord[] {
  const byId = new Map<string, StepRecord>();
  // Map.set on an existing key keeps the key's original position.
  for (const step of steps) byId.set(step.stepId, step);
  return [...byId.values()];
}
