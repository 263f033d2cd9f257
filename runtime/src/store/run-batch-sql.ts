import { prepared } from "./database";
import type { NewRun, RunCommit } from "./run-store";
import { lastRecordPerStep } from "./run-rows";
import { toJson } from "./sql-values";

/** What createRun's outbox row asks the queue to do. */
export const OUTBOX_KIND_START = "run.start";

// Several runs of one tenant in one statement (`$2` is a JSON array, one element per run): each run row, its
// `run.created` event (seq 1) and its outbox row. A run whose claim key is taken is skipped (ON CONFLICT on the
// partial unique index), not an error, so a replay in a batch costs the other runs nothing. Only what the
// caller does not already hold comes back.
export const CREATE_RUNS = prepared(
  "flowdeck_create_runs",
  `
WITH run AS (
  INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition, status, state, state_version,
                    event_seq, input, conversation_id, channel, claim_key)
  SELECT $1, (b->>'id')::uuid, b->>'workflowName', (b->>'workflowVersion')::int, b->'definition', 'queued',
         b->'state', 0, 1, b->'input', b->>'conversationId', b->>'channel', b->>'claimKey'
    FROM jsonb_array_elements($2::jsonb) AS batch(b)
  ON CONFLICT (tenant_id, claim_key) WHERE claim_key IS NOT NULL DO NOTHING
  RETURNING tenant_id, id, workflow_name, workflow_version, channel, created_at, updated_at
), created AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT tenant_id, id, 1, 'run.created',
         jsonb_build_object('workflow', workflow_name, 'version', workflow_version, 'channel', channel), created_at
    FROM run
), outbox AS (
  INSERT INTO run_outbox (tenant_id, run_id, kind) SELECT tenant_id, id, '${OUTBOX_KIND_START}' FROM run
)
SELECT id::text AS id, created_at, updated_at FROM run`,
);

// Several commits of one tenant in one statement. Each moves its run forward only from the version its writer
// loaded, and reserves as many event numbers as it brings (the row lock orders concurrent commits, so seq
// ranges never overlap). Steps and events join the UPDATE's result, so a refused commit (stale version, no
// run) writes nothing and costs the others nothing. Data-modifying CTEs share one snapshot and the foreign
// keys are checked at the statement's end, when the rows are updated. `found_version` is each run's version
// before the statement: when its UPDATE is refused it says why, without a second statement. `$3` repeats the
// run ids as a uuid[]: `id = ANY($3)` is an index lookup whatever the planner guesses about the JSON array
// (it assumes 100 elements, and joined the batch to a sequential scan of runs once the table had a few
// thousand rows: every commit then read the whole table).
export const COMMIT_RUNS = prepared(
  "flowdeck_commit_runs",
  `
WITH batch AS (
  SELECT b, ord, (b->>'runId')::uuid AS run_id FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS item(b, ord)
), found AS (
  SELECT id, state_version FROM runs WHERE tenant_id = $1 AND id = ANY($3::uuid[])
), run AS (
  UPDATE runs r
     SET status = batch.b->>'status',
         state = batch.b->'state',
         state_version = r.state_version + 1,
         event_seq = r.event_seq + jsonb_array_length(batch.b->'events'),
         output = coalesce(batch.b->'output', r.output),
         error = coalesce(batch.b->'error', r.error),
         activations_unfinished = CASE WHEN batch.b ? 'activationEnded' THEN 0 ELSE r.activations_unfinished END,
         updated_at = now()
    FROM batch
   WHERE r.tenant_id = $1 AND r.id = ANY($3::uuid[]) AND r.id = batch.run_id
     AND r.state_version = (batch.b->>'expectedVersion')::int
  RETURNING r.id, r.state_version, r.event_seq, batch.b, batch.ord
), steps AS (
  INSERT INTO run_steps (tenant_id, run_id, step_id, node_name, node_type, attempt, status, port, output, error,
                         details, usage, started_at, finished_at)
  SELECT $1, run.id, s->>'stepId', s->>'nodeName', s->>'nodeType', (s->>'attempt')::int, s->>'status', s->>'port',
         s->'output', s->'error', s->'details', s->'usage', (s->>'startedAt')::timestamptz,
         (s->>'finishedAt')::timestamptz
    FROM run, jsonb_array_elements(run.b->'steps') WITH ORDINALITY AS step(s, sord)
   ORDER BY run.ord, sord
  ON CONFLICT (tenant_id, run_id, step_id) DO UPDATE
     SET node_name = excluded.node_name, node_type = excluded.node_type, attempt = excluded.attempt,
         status = excluded.status, port = excluded.port, output = excluded.output, error = excluded.error,
         details = excluded.details, usage = excluded.usage, started_at = excluded.started_at,
         finished_at = excluded.finished_at
), events AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT $1, run.id, run.event_seq - jsonb_array_length(run.b->'events') + eord::int, e->>'type',
         coalesce(e->'data', '{}'::jsonb), (e->>'at')::timestamptz
    FROM run, jsonb_array_elements(run.b->'events') WITH ORDINALITY AS event(e, eord)
), outbox AS (
  UPDATE run_outbox o SET dispatched_at = now()
    FROM run
   WHERE o.tenant_id = $1 AND o.run_id = run.id AND o.dispatched_at IS NULL
     AND ((coalesce((run.b->>'startConsumed')::boolean, false) AND o.kind = '${OUTBOX_KIND_START}')
          OR o.id = (run.b->>'appliedOutboxId')::uuid)
)
SELECT batch.ord::int AS ord, run.state_version, run.event_seq, found.state_version AS found_version
  FROM batch
  LEFT JOIN run ON run.ord = batch.ord
  LEFT JOIN found ON found.id = batch.run_id
 ORDER BY batch.ord`,
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
}

// A published version's definition is one shared object for all its runs: serialised once, not per run.
const definitionJson = new WeakMap<object, string>();

function serialisedDefinition(definition: NewRun["definition"]): string {
  let json = definitionJson.get(definition);
  if (json === undefined) {
    json = toJson(definition);
    definitionJson.set(definition, json);
  }
  return json;
}

/**
 * A run's own fields as JSON object members (no braces), for CREATE_RUNS and INSERT_RUNS. Built from fragments:
 * the large, already serialised parts (the shared definition, `input`) are not walked a second time.
 */
export function runMembers(run: NewRun, id: string, input: string): string {
  return (
    `"id":${JSON.stringify(id)},"workflowName":${toJson(run.workflowName)},` +
    `"workflowVersion":${run.workflowVersion === null ? "null" : String(run.workflowVersion)},` +
    `"definition":${serialisedDefinition(run.definition)},"input":${input},` +
    `"conversationId":${toJson(run.conversationId)},"channel":${toJson(run.channel)},` +
    `"claimKey":${run.claim ? toJson(run.claim.key) : "null"}`
  );
}

export function createItem(run: NewRun, id: string): CreateItem {
  const input = toJson(run.input);
  const state = toJson(run.state);
  return { run, id, input, state, json: `{${runMembers(run, id, input)},"state":${state}}` };
}

/** One commit as an element of COMMIT_RUNS's array; `output` and `error` absent mean "unchanged". */
export function commitItem(commit: RunCommit): string {
  return toJson({
    runId: commit.runId,
    expectedVersion: commit.expectedVersion,
    status: commit.status,
    state: commit.state,
    steps: lastRecordPerStep(commit.steps),
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
