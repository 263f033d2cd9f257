import { timeOrderedId } from "./time-ordered-id";
import type { ResumeInput } from "@flowdeck/node-library/runtime";
import type { RunRecord, RunStatus } from "../engine/run-types";
import { expandJournal, runColumns, type JournalRow, type RunRow } from "./run-rows";
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
  /**
   * The statement counted the activation that applies the request (asked with `countActivation`, and no other
   * was counted): the applier enters without counting it again, or takes the count back if it never activates.
   * The run record then reads 0 unfinished activations, the count before this one.
   */
  readonly activationCounted: boolean;
}

// One statement: reserve an event seq on the run (only while it is in one of the statuses `$3` lists, so a
// message for a run that moved on is refused here, not found later), append `resume.requested` with the
// input as a journal row of its own, and write the outbox row that will enqueue it. `state_version` is not
// touched: a request never conflicts with an activation that is committing at the same moment. The status
// test is `array_position`, not `status = ANY`, so that no index can serve it: PostgreSQL then has only the
// primary key to find the run by (run-lookup-plans.test.ts says why that matters).
//
// `$7`, when not null, is the message's claim key (migration 0016), claimed by this statement with the seq its
// turn begins at (0017): a key claimed before moves nothing. Two copies at once both find it free; the second
// waits for the first's row lock, and its claim insert then fails on the key (23505), which rolls its whole
// statement back.
//
// `$8`: the caller applies the request itself next (the inline queue), so the statement also counts the
// activation that will apply it, as BEGIN_ACTIVATIONS would, and that activation needs no statement of its own.
// Only when no activation is counted (`activations_unfinished` 0): a run with one under way or one whose process
// died is counted by its applier as before. `locked` reads the count under the row lock (the latest version, not
// the statement's snapshot), so `activation_counted` says exactly whether this statement moved it from 0 to 1.
export const REQUEST_RESUME = prepared(
  "flowdeck_request_resume",
  `
WITH locked AS (
  SELECT activations_unfinished AS before FROM runs WHERE tenant_id = $1 AND id = $2 FOR UPDATE
), run AS (
  UPDATE runs SET event_seq = event_seq + 1,
         activations_unfinished = CASE WHEN $8::boolean AND (SELECT before FROM locked) = 0 THEN 1
                                       ELSE activations_unfinished END
   WHERE tenant_id = $1 AND id = $2 AND array_position($3::text[], status) IS NOT NULL
     AND ($7::text IS NULL
          OR NOT EXISTS (SELECT 1 FROM message_claims c WHERE c.tenant_id = $1 AND c.claim_key = $7::text))
  RETURNING ${runColumns("runs")}, event_seq,
            $8::boolean AND (SELECT before FROM locked) = 0 AS activation_counted
), message_claim AS (
  INSERT INTO message_claims (tenant_id, claim_key, conversation_id, run_id, from_seq)
  SELECT tenant_id, $7::text, conversation_id, id, event_seq FROM run WHERE $7::text IS NOT NULL
), requested AS (
  INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
  SELECT tenant_id, id, event_seq, event_seq, jsonb_build_array(jsonb_build_object('type', 'resume.requested',
           'data', $4::jsonb || jsonb_build_object('outboxId', $6::text),
           'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    FROM run
), outbox AS (
  INSERT INTO run_outbox (tenant_id, id, run_id, kind) SELECT tenant_id, $6::uuid, id, $5 FROM run
  RETURNING id::text AS id
)
SELECT run.*, run.event_seq AS seq, outbox.id AS outbox_id FROM run, outbox`,
);

/** Journal rows holding a `resume.requested` (each is a row of its own; containment finds them). */
const HOLDS_REQUEST = `events @> '[{"type": "resume.requested"}]'`;

// The requests a run has not applied yet, oldest first (the journal's primary key orders them; no extra index).
export const PENDING_AFTER = prepared(
  "flowdeck_pending_resumes",
  `SELECT first_seq, events FROM run_journal
    WHERE tenant_id = $1 AND run_id = $2 AND last_seq > $3 AND ${HOLDS_REQUEST} ORDER BY first_seq`,
);

// The same, after the run's own `state.resumedThrough`: sent right behind REQUEST_RESUME in its transaction,
// whose row lock it follows, so it sees every request recorded before this one and this one itself.
export const PENDING_OF_RUN = prepared(
  "flowdeck_pending_resumes_of_run",
  `SELECT j.first_seq, j.events, coalesce((r.state->>'resumedThrough')::int, 0) AS after_seq FROM runs r
     JOIN run_journal j ON j.tenant_id = r.tenant_id AND j.run_id = r.id
      AND j.last_seq > coalesce((r.state->>'resumedThrough')::int, 0) AND j.${HOLDS_REQUEST}
    WHERE r.tenant_id = $1 AND r.id = $2 ORDER BY j.first_seq`,
);

interface PendingRow extends JournalRow {
  after_seq?: number;
}

/**
 * Records `resume` for the run if its status is one of `statuses`; undefined when it is not (or no run). The
 * run comes back as its row: the store resolves its definition (definition-snapshots.ts). With
 * the request come the run's requests still to apply (this one included), read in the same transaction and
 * write, so the activation that applies them need not read them again. `sql` must be a fresh transaction:
 * the read commits it. `countActivation`: see REQUEST_RESUME's `$8`.
 */
export async function recordResume(
  sql: Sql,
  tenantId: string,
  runId: string,
  resume: ResumeInput,
  statuses: readonly RunStatus[],
  claimKey: string | null = null,
  countActivation = false,
): Promise<(Omit<RecordedResume, "run"> & { readonly row: RunRow }) | undefined> {
  const recorded = sql.query<RunRow & { seq: number; outbox_id: string; activation_counted: boolean }>(
    REQUEST_RESUME,
    [
      tenantId,
      runId,
      [...statuses],
      toJson(resume),
      OUTBOX_KIND_RESUME,
      timeOrderedId(),
      claimKey,
      countActivation,
    ],
  );
  const pending = sql.commitWith<PendingRow>(PENDING_OF_RUN, [tenantId, runId]);
  const [request, requests] = await Promise.allSettled([recorded, pending]);
  if (request.status === "rejected") throw request.reason;
  if (requests.status === "rejected") throw requests.reason;
  const row = request.value.rows[0];
  return row
    ? {
        seq: row.seq,
        outboxId: row.outbox_id,
        activationCounted: row.activation_counted,
        row,
        pending: toResumeRequests(requests.value.rows, requests.value.rows[0]?.after_seq ?? 0),
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
  return toResumeRequests(rows, afterSeq);
}

function toResumeRequests(rows: readonly PendingRow[], afterSeq: number): ResumeRequest[] {
  return expandJournal(rows, afterSeq)
    .filter((event) => event.type === "resume.requested")
    .map((event) => {
      const { outboxId, ...resume } = event.data as ResumeInput & { outboxId?: string };
      return {
        seq: event.seq,
        resume: resume as ResumeInput,
        at: event.at,
        ...(typeof outboxId === "string" ? { outboxId } : {}),
      };
    });
}
