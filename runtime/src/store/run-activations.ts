import { prepared } from "./database";
import { runColumns } from "./run-rows";

// Counts activations about to execute (RunStore.beginActivation), several runs of one tenant in one statement.
// A run may appear more than once in a batch (two activations of one run at once: a second process), so the
// ids are grouped and each run goes up by its number of items. Only `activations_unfinished` changes: the
// column is in no index and `updated_at` is left alone, so PostgreSQL can update the row in place (HOT), and
// `state_version` is untouched, so a claim never conflicts with a commit. `$2` repeats the ids as a uuid[] for
// the index lookup (see COMMIT_RUNS on the planner and JSON arrays).
export const BEGIN_ACTIVATIONS = prepared(
  "flowdeck_begin_activations",
  `
UPDATE runs r
   SET activations_unfinished = r.activations_unfinished + claim.n
  FROM (SELECT id, count(*)::int AS n FROM unnest($2::uuid[]) AS item(id) GROUP BY id) AS claim
 WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[]) AND r.id = claim.id
RETURNING r.id::text AS id, r.activations_unfinished AS unfinished, claim.n`,
);

// BEGIN_ACTIVATIONS for one activation, the usual batch: by the whole key in scalar parameters, so it runs on the
// generic plan its connection keeps (a `byKeyOnly` transaction, database.ts) instead of being planned afresh each
// time as BEGIN_ACTIVATIONS is (225 µs planning to 275 µs executing per call in the chat bench).
export const BEGIN_ACTIVATION = prepared(
  "flowdeck_begin_activation",
  `
UPDATE runs SET activations_unfinished = activations_unfinished + 1
 WHERE tenant_id = $1 AND id = $2::uuid
RETURNING id::text AS id, activations_unfinished AS unfinished, 1 AS n`,
);

// An activation that ended without its end being committed while its process lived (an error it threw, or
// handed back on graceful shutdown): it did not crash, so it no longer counts. Never below 0, since its own
// end may have been committed after all.
export const RELEASE_ACTIVATIONS = prepared(
  "flowdeck_release_activations",
  `
UPDATE runs r
   SET activations_unfinished = greatest(r.activations_unfinished - release.n, 0)
  FROM (SELECT id, count(*)::int AS n FROM unnest($2::uuid[]) AS item(id) GROUP BY id) AS release
 WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[]) AND r.id = release.id AND r.activations_unfinished > 0`,
);

export interface ActivationRow {
  readonly id: string;
  readonly unfinished: number;
  readonly n: number;
}

// The worker's read of the runs it picks up (RunStore.readForActivation), which also counts the activation of
// each run that it will execute at once: a `queued` or `running` run (continueRun executes it) whose earlier
// activations all ended. So the usual pickup claims in the read it made anyway, with no statement of its own.
// A run another process died with is read as is: the engine counts it only once it may execute it alone. The
// SELECT sees the rows as before the UPDATE (one snapshot), so a claimed run reads 0 unfinished activations.
// The status test is a function call so that no index can serve it and the runs are found by their key (see
// REQUEST_RESUME).
export const READ_FOR_ACTIVATION = prepared(
  "flowdeck_read_for_activation",
  `
WITH claimed AS (
  UPDATE runs SET activations_unfinished = 1
   WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND array_position(ARRAY['queued', 'running'], status) IS NOT NULL
     AND activations_unfinished = 0
  RETURNING id
)
SELECT ${runColumns("r")}, claimed.id IS NOT NULL AS claimed
  FROM runs r LEFT JOIN claimed ON claimed.id = r.id
 WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[])`,
);
