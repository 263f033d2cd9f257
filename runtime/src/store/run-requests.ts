import { randomUUID } from "node:crypto";
import type { ResumeInput } from "@flowdeck/node-library/runtime";
import type { RunRecord, RunStatus } from "../engine/run-types";
import { RUN_COLUMNS, toRunRecord, type RunRow } from "./run-rows";
import { prepared, type Sql } from "./database";
import { toJson } from "./sql-values";

/** What a resume's outbox row asks the queue to do (createRun's is `run.start`). */
export const OUTBOX_KIND_RESUME = "run.resume";

/** A message or hand-back recorded for a run, waiting for a worker to apply it. */
export interface ResumeRequest {
  /** The `resume.requested` event's seq: orders requests, and marks how far a run has taken them. */
  readonly seq: number;
  readonly resume: ResumeInput;
  /** ISO 8601 */
  readonly at: string;
  /** The outbox row that enqueues it: stamped dispatched by the commit that applies the request. */
  readonly outboxId?: string;
}

/** Where a recorded request went: its event seq, and the outbox row that enqueues it (a job id). */
export interface RecordedResume {
  readonly seq: number;
  readonly outboxId: string;
  /** The run as the request found it (current: the row was locked and re-read), so an applier need not read it. */
  readonly run: RunRecord;
  /** The run's requests not applied yet, oldest first, this one included (as of the same transaction). */
  readonly pending: readonly ResumeRequest[];
}

// One statement: reserve an event seq on the run (only while it is in one of the statuses `$3` lists, so a
// message for a run that moved on is refused here, not found later), append `resume.requested` with the
// input, and write the outbox row that will enqueue it. `state_version` is not touched: a request never
// conflicts with an activation that is committing at the same moment.
const REQUEST_RESUME = prepared(
  "flowdeck_request_resume",
  `
WITH run AS (
  UPDATE runs SET event_seq = event_seq + 1
   WHERE tenant_id = $1 AND id = $2 AND status = ANY($3::text[])
  RETURNING ${RUN_COLUMNS}, event_seq
), requested AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT tenant_id, id, event_seq, 'resume.requested', $4::jsonb || jsonb_build_object('outboxId', $6::text),
         now() FROM run
), outbox AS (
  INSERT INTO run_outbox (tenant_id, id, run_id, kind) SELECT tenant_id, $6::uuid, id, $5 FROM run
  RETURNING id::text AS id
)
SELECT run.*, run.event_seq AS seq, outbox.id AS outbox_id FROM run, outbox`,
);

// The requests a run has not applied yet, oldest first (the run's primary key orders them; no extra index).
const PENDING_AFTER = prepared(
  "flowdeck_pending_resumes",
  `SELECT seq, data, at FROM run_events
    WHERE tenant_id = $1 AND run_id = $2 AND seq > $3 AND type = 'resume.requested' ORDER BY seq`,
);

// The same, after the run's own `state.resumedThrough`: sent right behind REQUEST_RESUME in its transaction,
// whose row lock it follows, so it sees every request recorded before this one and this one itself.
const PENDING_OF_RUN = prepared(
  "flowdeck_pending_resumes_of_run",
  `SELECT e.seq, e.data, e.at FROM runs r
     JOIN run_events e ON e.tenant_id = r.tenant_id AND e.run_id = r.id
      AND e.seq > coalesce((r.state->>'resumedThrough')::int, 0) AND e.type = 'resume.requested'
    WHERE r.tenant_id = $1 AND r.id = $2 ORDER BY e.seq`,
);

interface PendingRow {
  seq: number;
  data: ResumeInput & { outboxId?: string };
  at: Date | string;
}

/**
 * Records `resume` for the run if its status is one of `statuses`; undefined when it is not (or no run). With
 * the request come the run's requests still to apply (this one included), read in the same transaction and
 * write, so the activation that applies them need not read them again. `sql` must be a fresh transaction:
 * the read commits it.
 */
export async function recordResume(
  sql: Sql,
  tenantId: string,
  runId: string,
  resume: ResumeInput,
  statuses: readonly RunStatus[],
): Promise<RecordedResume | undefined> {
  const recorded = sql.query<RunRow & { seq: number; outbox_id: string }>(REQUEST_RESUME, [
    tenantId,
    runId,
    [...statuses],
    toJson(resume),
    OUTBOX_KIND_RESUME,
    randomUUID(),
  ]);
  const pending = sql.commitWith<PendingRow>(PENDING_OF_RUN, [tenantId, runId]);
  const [request, requests] = await Promise.allSettled([recorded, pending]);
  if (request.status === "rejected") throw request.reason;
  if (requests.status === "rejected") throw requests.reason;
  const row = request.value.rows[0];
  return row
    ? {
        seq: row.seq,
        outboxId: row.outbox_id,
        run: toRunRecord(row),
        pending: requests.value.rows.map(toResumeRequest),
      }
    : undefined;
}

/** Requests after `afterSeq`, oldest first. */
export async function pendingResumes(
  sql: Sql,
  tenantId: string,
  runId: string,
  afterSeq: number,
  options: { readonly commit?: boolean } = {},
): Promise<ResumeRequest[]> {
  const params = [tenantId, runId, afterSeq];
  const { rows } = options.commit
    ? await sql.commitWith<PendingRow>(PENDING_AFTER, params)
    : await sql.query<PendingRow>(PENDING_AFTER, params);
  return rows.map(toResumeRequest);
}

function toResumeRequest(row: PendingRow): ResumeRequest {
  const { outboxId, ...resume } = row.data;
  return {
    seq: row.seq,
    resume: resume as ResumeInput,
    at: row.at instanceof Date ? row.at.toISOString() : String(row.at),
    ...(outboxId ? { outboxId } : {}),
  };
}
