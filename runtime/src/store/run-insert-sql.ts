import { prepared } from "./database";
import { INSERT_SNAPSHOTS, runMembers } from "./run-batch-sql";
import type { RunCommit, StartedRun } from "./run-store";
import { toJson } from "./sql-values";

// Runs stored by their first commit (RunStore.insertRun), several of one tenant in one statement: the run row
// as that commit leaves it (state version 1) and one journal row holding `run.created` (seq 1) and the commit's
// events after it, plus any definition snapshot not yet stored. Two rows for a webhook run that executed
// before it was stored. No outbox row: the run was executing here from the start, so there is nothing to
// enqueue; a crash after this statement leaves a `running` run for the reconciler, as any commit does. Unless
// the commit ends the activation, the run is stored with that activation counted as unfinished (1): the insert
// is its claim. A run whose claim key is taken is skipped, and with it its journal (it joins the INSERT's
// result).
export const INSERT_RUNS = prepared(
  "flowdeck_insert_runs",
  `
WITH batch AS (
  SELECT b, ord, (b->>'id')::uuid AS id FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS item(b, ord)
), snapshot AS (
  ${INSERT_SNAPSHOTS}
), run AS (
  INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition_hash, status, state, state_version,
                    event_seq, input, output, error, conversation_id, channel, claim_key, created_at,
                    activations_unfinished)
  SELECT $1, id, b->>'workflowName', (b->>'workflowVersion')::int, b->>'definitionHash', b->>'status', b->'state',
         1, jsonb_array_length(b->'events'), b->'input', b->'output', b->'error', b->>'conversationId',
         b->>'channel', b->>'claimKey', (b->>'createdAt')::timestamptz,
         CASE WHEN b ? 'activationEnded' THEN 0 ELSE 1 END
    FROM batch
   ORDER BY ord
  ON CONFLICT (tenant_id, claim_key) WHERE claim_key IS NOT NULL DO NOTHING
  RETURNING id
), journal AS (
  INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
  SELECT $1, run.id, 1, jsonb_array_length(batch.b->'events'), batch.b->'events'
    FROM run JOIN batch ON batch.id = run.id WHERE jsonb_array_length(batch.b->'events') > 0
)
SELECT id::text AS id FROM run`,
);

/**
 * A run and its first commit as one element of INSERT_RUNS's array. `run.created` is written here, with the
 * run's own start time: the journal row then holds the run's whole first activation.
 */
export function insertItem(run: StartedRun, commit: RunCommit, withDefinition: boolean): string {
  if (commit.trace === "errors" || commit.trace === "none") return untracedItem(run, commit, withDefinition);
  const created =
    `{"type":"run.created","data":{"workflow":${toJson(run.workflowName)},` +
    `"version":${run.workflowVersion === null ? "null" : String(run.workflowVersion)},` +
    `"channel":${toJson(run.channel)}},"at":${JSON.stringify(run.createdAt)}}`;
  const events = toJson(commit.events);
  return (
    `{${runMembers(run, run.id, toJson(run.input), withDefinition)},"createdAt":${JSON.stringify(run.createdAt)},` +
    `"status":${JSON.stringify(commit.status)},"state":${toJson(commit.state)},` +
    `"events":[${created}${events === "[]" ? "" : `,${events.slice(1, -1)}`}]` +
    (commit.output === undefined ? "" : `,"output":${toJson(commit.output)}`) +
    (commit.error === undefined ? "" : `,"error":${toJson(commit.error)}`) +
    (commit.activationEnded ? `,"activationEnded":true` : "") +
    "}"
  );
}

/**
 * A successful run without effects under `settings.trace: errors | none`: its row only (status, output, the
 * claim key that refuses a replay, timings; analytics count it), no journal. `none` also leaves out the
 * customer's input, the output and the conversation's turns, so later runs do not see them in the history.
 */
function untracedItem(run: StartedRun, commit: RunCommit, withDefinition: boolean): string {
  const none = commit.trace === "none";
  const state = none
    ? { ...commit.state, conversation: { ...commit.state.conversation, history: [] } }
    : commit.state;
  return (
    `{${runMembers(run, run.id, none ? "{}" : toJson(run.input), withDefinition)},` +
    `"createdAt":${JSON.stringify(run.createdAt)},"status":${JSON.stringify(commit.status)},` +
    `"state":${toJson(state)},"events":[]` +
    (commit.output === undefined || none ? "" : `,"output":${toJson(commit.output)}`) +
    (commit.activationEnded ? `,"activationEnded":true` : "") +
    "}"
  );
}
