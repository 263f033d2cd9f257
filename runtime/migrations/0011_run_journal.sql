-- The run log's second shape (DESIGN.md §4, issue 20): one journal row per commit instead of a row per step and
-- a row per event, and a run that points at a content-addressed copy of its definition instead of carrying one.
-- The first shape wrote ~20 rows and their index entries per webhook run; this one writes the run and one
-- journal row. runtime/CONTEXT.md says why the events are a jsonb array.

-- A workflow definition as runs use it, written once per distinct text. `hash` is the SHA-256 (hex) of the text
-- the writer stored; a published version's runs all share one row, and a draft gets one row per edit it runs.
-- Rows are immutable: the app may insert and read them, never change them.
CREATE TABLE run_definitions (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  hash text NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, hash)
);
ALTER TABLE run_definitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_definitions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_definitions
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
REVOKE ALL ON run_definitions FROM PUBLIC;
GRANT SELECT, INSERT ON run_definitions TO flowdeck_app;
CREATE TRIGGER run_definitions_immutable BEFORE UPDATE ON run_definitions
  FOR EACH ROW EXECUTE FUNCTION flowdeck_refuse_update();

-- One commit's events, in order: `events[i]` has seq `first_seq + i`, and `last_seq` is the run's event_seq
-- after the commit. A step's record (node, type, attempt, port, output, error, usage, timings) is the data of
-- its `step.completed`, `step.failed` or waiting `step.started` event; a step re-run after recovery is a later
-- event that supersedes the earlier one when the trace is read (journal-rows.ts). Append-only like the log it
-- replaces: no UPDATE or DELETE grant, and a trigger for anyone who gets UPDATE anyway.
CREATE TABLE run_journal (
  tenant_id uuid NOT NULL,
  run_id uuid NOT NULL,
  first_seq integer NOT NULL,
  last_seq integer NOT NULL,
  events jsonb NOT NULL,
  PRIMARY KEY (tenant_id, run_id, first_seq),
  CHECK (last_seq >= first_seq)
);
ALTER TABLE run_journal ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_journal FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_journal
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
REVOKE ALL ON run_journal FROM PUBLIC;
GRANT SELECT, INSERT ON run_journal TO flowdeck_app;
CREATE TRIGGER run_journal_append_only BEFORE UPDATE ON run_journal
  FOR EACH ROW EXECUTE FUNCTION flowdeck_refuse_update();

-- Existing runs: each run's definition becomes a snapshot, and its whole log one journal row (seq 1..event_seq,
-- the numbers clients already hold). Each step row is merged into the last event that recorded that step, so
-- the trace reads the same before and after (runtime/test/store/journal-migration.test.ts).
ALTER TABLE runs ADD COLUMN definition_hash text;

INSERT INTO run_definitions (tenant_id, hash, definition)
SELECT DISTINCT ON (tenant_id, hash) tenant_id, hash, definition
  FROM (SELECT tenant_id, encode(sha256(convert_to(definition::text, 'UTF8')), 'hex') AS hash, definition
          FROM runs) AS snapshot
ON CONFLICT DO NOTHING;

UPDATE runs SET definition_hash = encode(sha256(convert_to(definition::text, 'UTF8')), 'hex');
ALTER TABLE runs ALTER COLUMN definition_hash SET NOT NULL;
ALTER TABLE runs DROP COLUMN definition;

WITH recording AS (
  SELECT e.*,
         CASE WHEN e.type IN ('step.completed', 'step.failed')
                OR (e.type = 'step.started' AND coalesce((e.data->>'waiting')::boolean, false))
              THEN row_number() OVER (
                PARTITION BY e.tenant_id, e.run_id, e.data->>'stepId',
                  (e.type IN ('step.completed', 'step.failed')
                    OR (e.type = 'step.started' AND coalesce((e.data->>'waiting')::boolean, false)))
                ORDER BY e.seq DESC)
         END AS newest
    FROM run_events e
), merged AS (
  SELECT r.tenant_id, r.run_id, r.seq,
         jsonb_build_object(
           'type', r.type,
           'data', r.data || CASE WHEN s.step_id IS NULL THEN '{}'::jsonb ELSE
             jsonb_build_object('type', s.node_type, 'attempt', s.attempt, 'status', s.status, 'port', s.port,
               'error', s.error, 'details', s.details, 'usage', s.usage, 'output', coalesce(s.output, 'null'::jsonb),
               'startedAt', to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
             -- Absent, not null, as the engine writes them (a key set to null would read as a value).
             - array_remove(ARRAY[CASE WHEN s.port IS NULL THEN 'port' END, CASE WHEN s.error IS NULL THEN 'error' END,
                 CASE WHEN s.details IS NULL THEN 'details' END, CASE WHEN s.usage IS NULL THEN 'usage' END], NULL)
           END,
           'at', to_char(coalesce(s.finished_at, r.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         ) AS event
    FROM recording r
    LEFT JOIN run_steps s
      ON r.newest = 1 AND s.tenant_id = r.tenant_id AND s.run_id = r.run_id AND s.step_id = r.data->>'stepId'
)
INSERT INTO run_journal (tenant_id, run_id, first_seq, last_seq, events)
SELECT tenant_id, run_id, min(seq), max(seq), jsonb_agg(event ORDER BY seq)
  FROM merged GROUP BY tenant_id, run_id;

DROP TABLE run_events;
DROP TABLE run_steps;

CREATE OR REPLACE FUNCTION flowdeck_delete_run_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM run_journal j USING gone g WHERE j.tenant_id = g.tenant_id AND j.run_id = g.id;
  DELETE FROM run_outbox o USING gone g WHERE o.tenant_id = g.tenant_id AND o.run_id = g.id;
  RETURN NULL;
END
$$;
