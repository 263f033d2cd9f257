import { randomUUID } from "node:crypto";
import { prepared, type Database, type Sql } from "./database";
import type { NewRun, RunCommit, RunStore, StoredEvent } from "./run-store";
import type { RunRecord, StepRecord } from "../engine/run-types";
import {
  RUN_COLUMNS,
  STEP_COLUMNS,
  lastRecordPerStep,
  toRunRecord,
  toStepRecord,
  toStoredEvent,
  type EventRow,
  type RunRow,
  type StepRow,
} from "./run-rows";
import { pendingResumes, recordResume, type ResumeRequest } from "./run-requests";
import { isUuid, toJson } from "./sql-values";
import { StoreError } from "./store-errors";

/** What createRun's outbox row asks the queue to do. */
export const OUTBOX_KIND_START = "run.start";

// One statement for the run, its `run.created` event (seq 1) and its outbox row. The event's and the outbox's
// foreign keys are checked at the end of the statement, when the run row exists.
const CREATE_RUN = prepared(
  "flowdeck_create_run",
  `
WITH run AS (
  INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition, status, state, state_version,
                    event_seq, input, conversation_id, channel)
  VALUES ($1, $2, $3, $4, $5::jsonb, 'queued', $6::jsonb, 0, 1, $7::jsonb, $8, $9)
  RETURNING ${RUN_COLUMNS}
), created AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT tenant_id, id, 1, 'run.created', $10::jsonb, created_at FROM run
), outbox AS (
  INSERT INTO run_outbox (tenant_id, run_id, kind) SELECT tenant_id, id, $11 FROM run
)
SELECT * FROM run`,
);

// Moves the run forward only from the version the writer loaded, and reserves `$6` event numbers in the
// same statement: the row lock it takes orders concurrent commits, so seq ranges never overlap.
const UPDATE_RUN = `
UPDATE runs
   SET status = $4,
       state = $5::jsonb,
       state_version = state_version + 1,
       event_seq = event_seq + $6,
       output = coalesce($7::jsonb, output),
       error = coalesce($8::jsonb, error),
       updated_at = now()
 WHERE tenant_id = $1 AND id = $2 AND state_version = $3
RETURNING state_version, event_seq`;

// A whole commit in one statement (one round trip): the run row, then its steps and events, each from one JSON
// array parameter. The steps and events join the UPDATE's result, so a refused UPDATE (stale version, no run)
// writes nothing; data-modifying CTEs run in one snapshot and the foreign keys are checked at the statement's
// end, when the row is updated. Events take the seq range the UPDATE reserved. `found_version` is the version
// before the statement (the snapshot all its parts share): when the UPDATE is refused it says why, so the commit
// needs no second statement and its whole transaction is one round trip.
const COMMIT_RUN = prepared(
  "flowdeck_commit_run",
  `
WITH run AS (${UPDATE_RUN.trim()}),
steps AS (
  INSERT INTO run_steps (tenant_id, run_id, step_id, node_name, node_type, attempt, status, port, output, error,
                         details, usage, started_at, finished_at)
  SELECT $1, $2, s->>'stepId', s->>'nodeName', s->>'nodeType', (s->>'attempt')::int, s->>'status', s->>'port',
         s->'output', s->'error', s->'details', s->'usage', (s->>'startedAt')::timestamptz,
         (s->>'finishedAt')::timestamptz
    FROM run, jsonb_array_elements($9::jsonb) WITH ORDINALITY AS batch(s, ord)
   ORDER BY ord
  ON CONFLICT (tenant_id, run_id, step_id) DO UPDATE
     SET node_name = excluded.node_name, node_type = excluded.node_type, attempt = excluded.attempt,
         status = excluded.status, port = excluded.port, output = excluded.output, error = excluded.error,
         details = excluded.details, usage = excluded.usage, started_at = excluded.started_at,
         finished_at = excluded.finished_at
), events AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT $1, $2, run.event_seq - $6::int + ord::int, e->>'type', coalesce(e->'data', '{}'::jsonb),
         (e->>'at')::timestamptz
    FROM run, jsonb_array_elements($10::jsonb) WITH ORDINALITY AS batch(e, ord)
), outbox AS (
  UPDATE run_outbox o SET dispatched_at = now()
    FROM run
   WHERE o.tenant_id = $1 AND o.run_id = $2 AND o.dispatched_at IS NULL
     AND (($11::boolean AND o.kind = '${OUTBOX_KIND_START}') OR o.id = $12::uuid)
)
SELECT run.state_version, run.event_seq, found.state_version AS found_version
  FROM (SELECT 1) AS one
  LEFT JOIN run ON true
  LEFT JOIN (SELECT state_version FROM runs WHERE tenant_id = $1 AND id = $2) AS found ON true`,
);

const GET_RUN = prepared(
  "flowdeck_get_run",
  `SELECT ${RUN_COLUMNS} FROM runs WHERE tenant_id = $1 AND id = $2`,
);

interface CommitRow {
  readonly state_version: number | null;
  readonly event_seq: number | null;
  readonly found_version: number | null;
}

export interface SqlRunStore extends RunStore {
  /** The database the store writes to (tests and benchmarks read its statement counter). */
  readonly db: Database;
}

/**
 * The RunStore over a Database (pg or PGlite, the same SQL). Every method is one tenant-scoped transaction;
 * `commit` is one transaction of one statement (run row, steps, events) whatever the batch size.
 */
export function createRunStore(db: Database): SqlRunStore {
  let commitCount = 0;

  async function write<T>(tenantId: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
    const result = await db.transaction(fn, { tenantId });
    commitCount += 1;
    return result;
  }

  /**
   * The commit's statement; with `afterSeq`, the requests recorded after it are read behind it in the same
   * transaction and write. That read follows the UPDATE's row lock, so it sees every request recorded before the
   * commit; one recorded later comes with its own job.
   */
  async function commitRun(
    commit: RunCommit,
    afterSeq?: number,
  ): Promise<{ version: number; pending: ResumeRequest[] }> {
    if (!isUuid(commit.runId)) throw new StoreError("FD261", `Run ${commit.runId} does not exist.`);
    const { tenantId, runId } = commit;
    const steps: StepRecord[] = lastRecordPerStep(commit.steps);
    const params = [
      tenantId,
      runId,
      commit.expectedVersion,
      commit.status,
      toJson(commit.state),
      commit.events.length,
      commit.output === undefined ? null : toJson(commit.output),
      commit.error === undefined ? null : toJson(commit.error),
      toJson(steps),
      toJson(commit.events),
      commit.startConsumed === true,
      commit.appliedOutboxId ?? null,
    ];
    const { row, pending } = await write(tenantId, async (sql) => {
      if (afterSeq === undefined)
        return { row: (await sql.commitWith<CommitRow>(COMMIT_RUN, params)).rows[0] };
      const updated = sql.query<CommitRow>(COMMIT_RUN, params);
      const requests = pendingResumes(sql, tenantId, runId, afterSeq, { commit: true });
      const [update, read] = await Promise.allSettled([updated, requests]);
      if (update.status === "rejected") throw update.reason;
      if (read.status === "rejected") throw read.reason;
      return { row: update.value.rows[0], pending: read.value };
    });
    if (row?.state_version == null) throw refusal(commit, row?.found_version ?? null);
    return { version: row.state_version, pending: pending ?? [] };
  }

  return {
    db,
    get commitCount() {
      return commitCount;
    },

    async createRun(run: NewRun): Promise<RunRecord> {
      const id = run.id ?? randomUUID();
      if (!isUuid(id)) throw new StoreError("FD261", `Run id ${JSON.stringify(id)} is not a UUID.`);
      return write(run.tenantId, async (sql) => {
        // BEGIN, the claim, the run and COMMIT go out in one write. A duplicate claim aborts the transaction, so
        // the run's statement behind it fails as well and the COMMIT rolls back: nothing is stored.
        const claimed = run.claim ? sql.query(run.claim.statement, run.claim.params) : undefined;
        const created = sql.commitWith<RunRow>(CREATE_RUN, [
          run.tenantId,
          id,
          run.workflowName,
          run.workflowVersion,
          toJson(run.definition),
          toJson(run.state),
          toJson(run.input),
          run.conversationId,
          run.channel,
          toJson({ workflow: run.workflowName, version: run.workflowVersion, channel: run.channel }),
          OUTBOX_KIND_START,
        ]);
        const [claim, create] = await Promise.allSettled([claimed, created]);
        if (claim.status === "rejected")
          throw isUniqueViolation(claim.reason) && run.claim ? run.claim.duplicate() : claim.reason;
        if (create.status === "rejected") throw create.reason;
        return toRunRecord(create.value.rows[0]!);
      });
    },

    async getRun(tenantId, runId) {
      if (!isUuid(runId)) return undefined;
      const { rows } = await db.statement<RunRow>(GET_RUN, [tenantId, runId], { tenantId });
      return rows[0] ? toRunRecord(rows[0]) : undefined;
    },

    async commit(commit: RunCommit): Promise<number> {
      return (await commitRun(commit)).version;
    },

    commitReadingPending(commit: RunCommit, afterSeq: number) {
      return commitRun(commit, afterSeq);
    },

    async listSteps(tenantId, runId) {
      if (!isUuid(runId)) return [];
      const { rows } = await db.statement<StepRow>(
        `SELECT ${STEP_COLUMNS} FROM run_steps WHERE tenant_id = $1 AND run_id = $2 ORDER BY position`,
        [tenantId, runId],
        { tenantId },
      );
      return rows.map(toStepRecord);
    },

    async requestResume(tenantId, runId, resume, statuses) {
      if (!isUuid(runId)) return undefined;
      return write(tenantId, (sql) => recordResume(sql, tenantId, runId, resume, statuses));
    },

    async pendingResumes(tenantId, runId, afterSeq) {
      if (!isUuid(runId)) return [];
      return db.transaction((sql) => pendingResumes(sql, tenantId, runId, afterSeq, { commit: true }), {
        tenantId,
      });
    },

    async listEvents(tenantId, runId, afterSeq = 0): Promise<StoredEvent[]> {
      if (!isUuid(runId)) return [];
      const { rows } = await db.statement<EventRow>(
        `SELECT seq, type, data, at FROM run_events WHERE tenant_id = $1 AND run_id = $2 AND seq > $3 ORDER BY seq`,
        [tenantId, runId, afterSeq],
        { tenantId },
      );
      return rows.map(toStoredEvent);
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "23505";
}

/** Why the UPDATE matched nothing: the run is gone (FD261) or another writer moved it on (FD260). */
function refusal(commit: RunCommit, foundVersion: number | null): StoreError {
  if (foundVersion === null)
    return new StoreError("FD261", `Run ${commit.runId} does not exist for this tenant.`);
  return new StoreError(
    "FD260",
    `Run ${commit.runId} moved on: expected state version ${commit.expectedVersion}, found ${foundVersion}.`,
  );
}
