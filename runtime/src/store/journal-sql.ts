/**
 * SQL over the run journal for readers outside the run store (analytics, the inbox, run lists, the reconciler):
 * the journal's encoding stays this package's business (runtime/CONTEXT.md).
 */

/**
 * `LEFT JOIN LATERAL` of the trace's steps of the run aliased `run`: one row per step id, its latest record
 * (a later record supersedes an earlier one, as RunStore.listSteps assembles them). Columns: `step_id`,
 * `node_type`, `status`, `output`, `details`, `usage` (jsonb where they are JSON) and `finished_at`. Reads
 * only that run's journal rows (the primary key leads with tenant and run).
 */
export function journalStepsOf(run: string, alias = "s"): string {
  return `LEFT JOIN LATERAL (
    SELECT DISTINCT ON (e.event->'data'->>'stepId')
           e.event->'data'->>'stepId' AS step_id, e.event->'data'->>'type' AS node_type,
           e.event->'data'->>'status' AS status, e.event->'data'->'output' AS output,
           e.event->'data'->'details' AS details, e.event->'data'->'usage' AS usage,
           (e.event->>'at')::timestamptz AS finished_at
      FROM run_journal j, jsonb_array_elements(j.events) WITH ORDINALITY AS e(event, ord)
     WHERE j.tenant_id = ${run}.tenant_id AND j.run_id = ${run}.id
       AND e.event->>'type' IN ('step.completed', 'step.failed', 'step.started') AND e.event->'data' ? 'status'
     ORDER BY e.event->'data'->>'stepId', j.first_seq DESC, e.ord DESC
  ) ${alias} ON true`;
}

/**
 * A boolean: the run aliased `run` has an event of `type` (a quoted SQL literal is built here; `type` is ours).
 * Reads only that run's journal rows. `OFFSET 0` keeps it so: without it PostgreSQL may plan the EXISTS as a
 * hash over every journal row holding such an event, which for analytics was the tenant's whole kept journal
 * (seen for a 120-day window on PostgreSQL 15 and PGlite; server/test/analytics-window-plans.test.ts).
 */
export function journalHasEvent(run: string, type: string): string {
  return `EXISTS (SELECT 1 FROM run_journal j WHERE j.tenant_id = ${run}.tenant_id AND j.run_id = ${run}.id
    AND j.events @> '[{"type": ${JSON.stringify(type)}}]' OFFSET 0)`;
}

/** The data of the run's last event of `type` (jsonb, NULL when there is none). */
export function journalLastEventData(run: string, type: string): string {
  return `(SELECT e.event->'data' FROM run_journal j, jsonb_array_elements(j.events) WITH ORDINALITY AS e(event, ord)
     WHERE j.tenant_id = ${run}.tenant_id AND j.run_id = ${run}.id
       AND j.events @> '[{"type": ${JSON.stringify(type)}}]' AND e.event->>'type' = ${sqlLiteral(type)}
     ORDER BY j.first_seq DESC, e.ord DESC LIMIT 1)`;
}

function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * The journal as one row per event (`tenant_id`, `run_id`, `seq`, `type`, `data`, `at`), for ad-hoc reading
 * and tests: `FROM ${JOURNAL_EVENTS} AS e`. RLS applies through run_journal.
 */
export const JOURNAL_EVENTS = `(SELECT j.tenant_id, j.run_id, (j.first_seq + e.ord - 1)::int AS seq,
    e.event->>'type' AS type, e.event->'data' AS data, (e.event->>'at')::timestamptz AS at
  FROM run_journal j, jsonb_array_elements(j.events) WITH ORDINALITY AS e(event, ord))`;
