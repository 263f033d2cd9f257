-- A run's steps, events and outbox rows are written only by the statement that inserts or updates the run
-- itself, joined to that statement's RETURNING (run-batch-sql.ts, run-insert-sql.ts, run-requests.ts): a child
-- row without its run cannot be written by the store. The foreign keys re-checked that with one lookup per
-- row, about twenty per run, a third of PostgreSQL's CPU per stored webhook run (bench: 0.44 → 0.33 ms).
-- What ON DELETE CASCADE did is kept: deleting runs (the owner's maintenance, a tenant's cascade) deletes
-- their children in the same statement.
ALTER TABLE run_steps DROP CONSTRAINT run_steps_tenant_id_run_id_fkey;
ALTER TABLE run_events DROP CONSTRAINT run_events_tenant_id_run_id_fkey;
ALTER TABLE run_outbox DROP CONSTRAINT run_outbox_tenant_id_run_id_fkey;

CREATE FUNCTION flowdeck_delete_run_children() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM run_steps s USING gone g WHERE s.tenant_id = g.tenant_id AND s.run_id = g.id;
  DELETE FROM run_events e USING gone g WHERE e.tenant_id = g.tenant_id AND e.run_id = g.id;
  DELETE FROM run_outbox o USING gone g WHERE o.tenant_id = g.tenant_id AND o.run_id = g.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER runs_delete_children AFTER DELETE ON runs REFERENCING OLD TABLE AS gone
  FOR EACH STATEMENT EXECUTE FUNCTION flowdeck_delete_run_children();
