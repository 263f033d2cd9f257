import { prepared } from "./database";
import type { NewRun, RunCommit } from "./run-store";
import { definitionSnapshot } from "./definition-snapshots";
import { toJson } from "./sql-values";

/**
 * A CTE body storing the definition snapshots of the statement's `batch` CTE (a column `b`, one element per
 * run) whose elements carry one. It reads that CTE rather than `$2` again: each mention of `$2::jsonb` parses
 * the whole batch anew. A run points at its snapshot by hash with no foreign key: both are written by this
 * statement. A snapshot already stored is marked used when its mark is over an hour old, so retention leaves
 * it alone while this process trusts it (definition-snapshots.ts, migration 0015); within the hour the
 * conflict writes nothing.
 */
export const INSERT_SNAPSHOTS = `INSERT INTO run_definitions (tenant_id, hash, definition)
  SELECT DISTINCT ON (b->>'definitionHash') $1, b->>'definitionHash', b->'definition'
    FROM batch WHERE b ? 'definition'
  ON CONFLICT (tenant_id, hash) DO UPDATE SET used_at = now()
    WHERE run_definitions.used_at < now() - interval '1 hour'`;

// Several runs of one tenant in one statement (`$2` is a JSON array, one element per run): each run row, marked
// `start_pending` until it is enqueued (migration 0012), its first journal row (`run.created`, seq 1), and the
// definition snapshots the batch brings (an
// element carries `definition` only when this process has not seen its hash stored). A run whose claim key is
// taken is skipped (ON CONFLICT on the partial unique index), not an error, so a replay in a batch costs the
// other runs nothing. Only what the caller does not already hold comes back.
//
// A run started by a customer's message with an id claims it in `message_claims` (migration 0016; its turn
// begins at seq 1, 0017) first, and is stored only if that claim was new: two copies in one batch are told apart by run id (the first in the batch
// is kept; DISTINCT ON), a copy claimed by an earlier statement inserts nothing.
export const CREATE_RUNS = prepared(
  "flowdeck_create_runs",
  `
WITH batch AS (
  SELECT b, ord FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS item(b, ord)
), message_claim AS (
  INSERT INTO message_claims (tenant_id, claim_key, conversation_id, run_id, from_seq)
  SELECT DISTINCT ON (b->>'messageClaim') $1, b->>'messageClaim', b->>'conversationId', (b->>'id')::uuid, 1
    FROM batch WHERE b ? 'messageClaim' ORDER BY b->>'messageClaim', ord
  ON CONFLICT DO NOTHING
  RETURNING run_id
), snapshot AS (
  ${INSERT_SNAPSHOTS}
), run AS (
  INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state, state_version,
                    event_seq, input, conversation_id, channel, claim_key, start_pending)
  SELECT $1, (b->>'id')::uuid, b->>'workflowName', (b->>'workflowVersion')::int, b->>'definitionHash', 'queued',
         b->'state', 0, 1, b->'input', b->>'conversationId', b->>'channel', b->>'claimKey', true
    FROM batch
   WHERE NOT (b ? 'messageClaim') OR (b->>'id')::uuid IN (SELECT run_id FROM message_claim)
  ON CONFLICT (tenant_id, claim_key) WHERE claim_key IS NOT NULL DO NOTHING
  RETURNING tenant_id, id, workflow_name, workflow_version, channel, created_at, updated_at
), created AS (
  INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
  SELECT tenant_id, id, 1, 1, jsonb_build_array(jsonb_build_object('type', 'run.created',
           'data', jsonb_build_object('workflow', workflow_name, 'version', workflow_version, 'channel', channel),
           'at', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    FROM run
)
SELECT id::text AS id, created_at, updated_at FROM run`,
);

// What a commit does to its run row, from its element `batch.b`; shared by COMMIT_RUNS and COMMIT_RUN.
const COMMIT_SET = `
     SET status = batch.b->>'status',
         state = batch.b->'state',
         state_version = r.state_version + 1,
         event_seq = r.event_seq + jsonb_array_length(batch.b->'events'),
         output = coalesce(batch.b->'output', r.output),
         error = coalesce(batch.b->'error', r.error),
         activations_unfinished = CASE WHEN batch.b ? 'activationEnded' THEN 0 ELSE r.activations_unfinished END,
         start_pending = r.start_pending AND NOT (batch.b ? 'startConsumed'),
         updated_at = now()`;

// The commits' events as journal rows, and the outbox rows of the requests they applied stamped dispatched; both
// joined to the UPDATE's result (`run`), so a refused commit writes neither.
const COMMIT_JOURNAL = `
), journal AS (
  INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
  SELECT $1, run.id, run.event_seq - jsonb_array_length(run.b->'events') + 1, run.event_seq, run.b->'events'
    FROM run WHERE jsonb_array_length(run.b->'events') > 0`;

const COMMIT_JOURNAL_AND_OUTBOX = `${COMMIT_JOURNAL}
), outbox AS (
  UPDATE run_outbox o SET dispatched_at = now()
    FROM run
   WHERE o.tenant_id = $1 AND o.run_id = run.id AND o.dispatched_at IS NULL
     AND o.id = (run.b->>'appliedOutboxId')::uuid
)`;

// Several commits of one tenant in one statement. Each moves its run forward only from the version its writer
// loaded, and reserves as many event numbers as it brings (the row lock orders concurrent commits, so seq
// ranges never overlap). Its events become one journal row, joined to the UPDATE's result, so a refused commit
// (stale version, no run) writes nothing and costs the others nothing. `found_version` is each run's version
// before the statement: when its UPDATE is refused it says why, without a second statement. `$3` repeats the
// run ids as a uuid[]: `id = ANY($3)` is an index lookup whatever the planner guesses about the JSON array
// (it assumes 100 elements, and joined the batch to a sequential scan of runs once the table had a few
// thousand rows: every commit then read the whole table). PostgreSQL plans it afresh at every execution in
// practice: its generic plan, priced for an `ANY($3)` of unknown length, costs more than a custom one. A batch of
// one commit takes COMMIT_RUN instead.
export const COMMIT_RUNS = prepared(
  "flowdeck_commit_runs",
  `
WITH batch AS (
  SELECT b, ord, (b->>'runId')::uuid AS run_id FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS item(b, ord)
), found AS (
  SELECT id, state_version FROM runs WHERE tenant_id = $1 AND id = ANY($3::uuid[])
), run AS (
  UPDATE runs r${COMMIT_SET}
    FROM batch
   WHERE r.tenant_id = $1 AND r.id = ANY($3::uuid[]) AND r.id = batch.run_id
     AND r.state_version = (batch.b->>'expectedVersion')::int
  RETURNING r.id, r.state_version, r.event_seq, batch.b, batch.ord
${COMMIT_JOURNAL_AND_OUTBOX}
SELECT batch.ord::int AS ord, run.state_version, run.event_seq, found.state_version AS found_version
  FROM batch
  LEFT JOIN run ON run.ord = batch.ord
  LEFT JOIN found ON found.id = batch.run_id
 ORDER BY batch.ord`,
);

// COMMIT_RUNS for one commit (`$2` its element, `$3` its run id), the usual batch. Every way into `runs` is by
// the whole primary key, so the plan does not depend on what the statistics say about the tenant and
// PostgreSQL keeps one generic plan per connection: planning COMMIT_RUNS afresh cost more than executing it
// (pg_stat_statements in the chat bench: 345 µs planning and 505 µs executing per call; this, ~0 and ~100 µs
// in bench/CONTEXT.md's harness). The version a refused commit found is read only when it is refused. The
// outbox row it stamps is named by its key and its run from the parameters, not only through the UPDATE's
// result: a generic plan made on a young database joined that result to every outbox row of the tenant (outbox
// rows stay until their run goes), read on every commit as the table grew. Either of its indexes now finds it.
export const COMMIT_RUN = prepared(
  "flowdeck_commit_run",
  `
WITH batch AS (
  SELECT $2::jsonb AS b
), run AS (
  UPDATE runs r${COMMIT_SET}
    FROM batch
   WHERE r.tenant_id = $1 AND r.id = $3::uuid AND r.state_version = (batch.b->>'expectedVersion')::int
  RETURNING r.id, r.state_version, r.event_seq, batch.b
${COMMIT_JOURNAL}
), outbox AS (
  UPDATE run_outbox o SET dispatched_at = now()
    FROM run
   WHERE o.tenant_id = $1 AND o.id = ($2::jsonb->>'appliedOutboxId')::uuid AND o.run_id = $3::uuid
     AND o.run_id = run.id AND o.dispatched_at IS NULL
)
SELECT 1 AS ord, run.state_version, run.event_seq,
       CASE WHEN run.id IS NULL
            THEN (SELECT f.state_version FROM runs f WHERE f.tenant_id = $1 AND f.id = $3::uuid) END AS found_version
  FROM batch LEFT JOIN run ON true`,
);

export interface CreatedRow {
  readonly id: string;
  readonly created_at: Date | string;
  readonly updated_at: Date | string;
}

export interface CommittedRow {
  readonly ord: number;
  readonly state_version: number | null;
  readonly event_seq: number | null;
  readonly found_version: number | null;
}

/** A run as CREATE_RUNS reads it, with the JSON it stores kept as text so the record can be read back from it. */
export interface CreateItem {
  readonly run: NewRun;
  readonly id: string;
  readonly input: string;
  readonly state: string;
  readonly json: string;
  /** The element carries the definition's text: the statement stores the snapshot or marks it used. */
  readonly storesDefinition: boolean;
}

/**
 * A run's own fields as JSON object members (no braces), for CREATE_RUNS and INSERT_RUNS. Built from fragments:
 * the large, already serialised parts (`input`, a definition not yet stored) are not walked a second time.
 * `withDefinition` adds the snapshot's text for a hash this process has not seen stored.
 */
export function runMembers(run: NewRun, id: string, input: string, withDefinition: boolean): string {
  const snapshot = definitionSnapshot(run.definition);
  return (
    `"id":${JSON.stringify(id)},"workflowName":${toJson(run.workflowName)},` +
    `"workflowVersion":${run.workflowVersion === null ? "null" : String(run.workflowVersion)},` +
    `"definitionHash":"${snapshot.hash}",${withDefinition ? `"definition":${snapshot.json},` : ""}` +
    `"input":${input},"conversationId":${toJson(run.conversationId)},"channel":${toJson(run.channel)},` +
    `"claimKey":${run.claim ? toJson(run.claim.key) : "null"}`
  );
}

export function createItem(run: NewRun, id: string, withDefinition: boolean): CreateItem {
  const input = toJson(run.input);
  const state = toJson(run.state);
  const claim = run.messageClaim ? `,"messageClaim":${toJson(run.messageClaim.key)}` : "";
  const json = `{${runMembers(run, id, input, withDefinition)},"state":${state}${claim}}`;
  return { run, id, input, state, json, storesDefinition: withDefinition };
}

/** One commit as an element of COMMIT_RUNS's array; `output` and `error` absent mean "unchanged". */
export function commitItem(commit: RunCommit): string {
  return toJson({
    runId: commit.runId,
    expectedVersion: commit.expectedVersion,
    status: commit.status,
    state: commit.state,
    events: commit.events,
    ...(commit.output === undefined ? {} : { output: commit.output }),
    ...(commit.error === undefined ? {} : { error: commit.error }),
    ...(commit.startConsumed ? { startConsumed: true } : {}),
    ...(commit.appliedOutboxId ? { appliedOutboxId: commit.appliedOutboxId } : {}),
    ...(commit.activationEnded ? { activationEnded: true } : {}),
  });
}

/** A JSON array of already serialised elements. */
export function jsonArray(elements: readonly string[]): string {
  return `[${elements.join(",")}]`;
}
