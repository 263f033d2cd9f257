-- Definition snapshots a run no longer points at are deleted (src/store/definition-snapshots.ts): a draft gets
-- a snapshot per edit it runs, and run retention deletes the runs, not what they pointed at.
--
-- A process that stored a snapshot, or marked it used, writes its runs with the hash only for an hour
-- (SNAPSHOT_TRUST_MS), so deleting a snapshot no run points at *yet* could break a run a process is about to
-- store. `used_at` says when a writer last relied on it: the snapshot insert sets it again when it is older
-- than an hour, and retention deletes only snapshots unused for a day. A snapshot a process trusts has been
-- used within the last two hours.
ALTER TABLE run_definitions ADD COLUMN used_at timestamptz NOT NULL DEFAULT now();

-- The text stays immutable: the app may move `used_at` and nothing else (the column grant), and the trigger
-- refuses any other change from whoever holds UPDATE.
CREATE OR REPLACE FUNCTION flowdeck_run_definitions_use_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.tenant_id, NEW.hash, NEW.definition, NEW.created_at)
     IS DISTINCT FROM (OLD.tenant_id, OLD.hash, OLD.definition, OLD.created_at) THEN
    RAISE EXCEPTION 'run_definitions rows are immutable except used_at' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
DROP TRIGGER run_definitions_immutable ON run_definitions;
CREATE TRIGGER run_definitions_use_only BEFORE UPDATE ON run_definitions
  FOR EACH ROW EXECUTE FUNCTION flowdeck_run_definitions_use_only();
GRANT UPDATE (used_at) ON run_definitions TO flowdeck_app;
