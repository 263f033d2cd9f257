import { prepared } from "./database";
import { runMembers } from "./run-batch-sql";
import type { RunCommit, StartedRun } from "./run-store";
import { lastRecordPerStep } from "./run-rows";
import { toJson } from "./sql-values";

// Runs stored by their first commit (RunStore.insertRun), several of one tenant in one statement: the run row
// as that commit leaves it (state version 1), its `run.created` event (seq 1), the commit's events after it and
// its steps. No outbox row: the run was executing here from the start, so there is nothing to enqueue; a crash
// after this statement leaves a `running` run for the reconciler, as any commit does. Unless the commit ends
// the activation, the run is stored with that activation counted as unfinished (1): the insert is its claim. A run whose claim key is
// taken is skipped, and with it its events and steps (they join the INSERT's result).
export const INSERT_RUNS = prepared(
  "flowdeck_insert_runs",
  `
WITH batch AS (
  SELECT b, ord, (b->>'id')::uuid AS id FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS item(b, ord)
), run AS (
  INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition, status, state, state_version,
                    event_seq, input, output, error, conversation_id, channel, claim_key, created_at,
                    activations_unfinished)
  SELECT $1, id, b->>'workflowName', (b->>'workflowVersion')::int, b->'definition', b->>'status', b->'state', 1,
         1 + jsonb_array_length(b->'events'), b->'input', b->'output', b->'error', b->>'conversationId',
         b->>'channel', b->>'claimKey', (b->>'createdAt')::timestamptz, CASE WHEN b ? 'activationEnded' THEN 0 ELSE 1 END
    FROM batch
   ORDER BY ord
  ON CONFLICT (tenant_id, claim_key) WHERE claim_key IS NOT NULL DO NOTHING
  RETURNING id, workflow_name, workflow_version, channel, created_at, updated_at
), stored AS (
  SELECT run.id, run.workflow_name, run.workflow_version, run.channel, run.created_at, batch.b, batch.ord
    FROM run JOIN batch ON batch.id = run.id
), created AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT $1, id, 1, 'run.created',
         jsonb_build_object('workflow', workflow_name, 'version', workflow_version, 'channel', channel), created_at
    FROM stored
), steps AS (
  INSERT INTO run_steps (tenant_id, run_id, step_id, node_name, node_type, attempt, status, port, output, error,
                         details, usage, started_at, finished_at)
  SELECT $1, stored.id, s->>'stepId', s->>'nodeName', s->>'nodeType', (s->>'attempt')::int, s->>'status',
         s->>'port', s->'output', s->'error', s->'details', s->'usage', (s->>'startedAt')::timestamptz,
         (s->>'finishedAt')::timestamptz
    FROM stored, jsonb_array_elements(stored.b->'steps') WITH ORDINALITY AS step(s, sord)
   ORDER BY stored.ord, sord
), events AS (
  INSERT INTO run_events (tenant_id, run_id, seq, type, data, at)
  SELECT $1, stored.id, 1 + eord::int, e->>'type', coalesce(e->'data', '{}'::jsonb), (e->>'at')::timestamptz
    FROM stored, jsonb_array_elements(stored.b->'events') WITH ORDINALITY AS event(e, eord)
)
SELECT id::text AS id FROM run`,
);

/** A run and its first commit as one element of INSERT_RUNS's array. */
export function insertItem(run: StartedRun, commit: RunCommit): string {
  return (
    `{${runMembers(run, run.id, toJson(run.input))},"createdAt":${JSON.stringify(run.createdAt)},` +
    `"status":${JSON.stringify(commit.status)},"state":${toJson(commit.state)},` +
    `"steps":${toJson(lastRecordPerStep(commit.steps))},"events":${toJson(commit.events)}` +
    (commit.output === undefined ? "" : `,"output":${toJson(commit.output)}`) +
    (commit.error === undefined ? "" : `,"error":${toJson(commit.error)}`) +
    (commit.activationEnded ? `,"activationEnded":true` : "") +
    "}"
  );
}
