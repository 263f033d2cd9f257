import type { Workflow } from "@flowdeck/schemas";
import type { RunEvent, RunRecord, RunState, RunStatus } from "../engine/run-types";
import { isoTimestamp } from "./sql-values";

/** An event as stored: its place in the run's log. */
export interface StoredEvent extends RunEvent {
  readonly seq: number;
}

/** Column lists and row mappers shared by the run store's queries. */

/**
 * A run's columns for a SELECT or RETURNING over `runs` named `table`. The definition is not among them: the
 * store resolves `definition_hash` from its snapshots (definition-snapshots.ts).
 */
export function runColumns(table: string): string {
  return [
    "tenant_id",
    "id",
    "workflow_name",
    "workflow_version",
    "definition_hash",
    "status",
    "state",
    "state_version",
    "input",
    "output",
    "error",
    "conversation_id",
    "channel",
    "created_at",
    "updated_at",
    "activations_unfinished",
  ]
    .map((column) => `${table}.${column}`)
    .join(", ");
}

export interface RunRow {
  tenant_id: string;
  id: string;
  workflow_name: string;
  workflow_version: number | null;
  definition_hash: string;
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

/** The record of a row, with the definition its `definition_hash` names. */
export function toRunRecord(row: RunRow, definition: Workflow): RunRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    workflowName: row.workflow_name,
    workflowVersion: row.workflow_version,
    definition,
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

/** A journal row as read: one commit's events, the first of them numbered `first_seq`. */
export interface JournalRow {
  first_seq: number;
  events: readonly RunEvent[];
}

/**
 * The events of journal rows (in `first_seq` order) numbered, from seq `afterSeq + 1` on. Timestamps read as the
 * engine writes them (ISO 8601, UTC), whichever writer stored them.
 */
export function expandJournal(rows: readonly JournalRow[], afterSeq = 0): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const row of rows) {
    row.events.forEach((event, index) => {
      const seq = row.first_seq + index;
      if (seq > afterSeq)
        events.push({ seq, type: event.type, data: event.data ?? {}, at: isoTimestamp(event.at) });
    });
  }
  return events;
}
