-- Runs by status only while they are unfinished (issue 20). The reconciler asks every pass, across tenants, for
-- queued or running runs idle too long, waiting or handed-off runs with a request they have not taken, and asks
-- past their deadline; the inbox asks for a tenant's handed-off runs. runs_by_status held every run, and none of
-- the reconciler's questions names a tenant, so PostgreSQL answered them by scanning the whole runs table every
-- 30 seconds in every process (7,500 pages for 300,000 runs). A finished run never needs to be found by its
-- status: a partial index holds only the unfinished ones, as small as the live workload, and a run stored
-- finished (a deferred webhook run) adds no entry to it at all. Building it reads the whole table and blocks
-- writes meanwhile (a migration runs in a transaction, so not CONCURRENTLY): on a very large table, build it
-- first with CREATE INDEX CONCURRENTLY and the same definition, and this finds it done.
DROP INDEX IF EXISTS runs_by_status;
CREATE INDEX IF NOT EXISTS runs_unfinished ON runs (tenant_id, status, updated_at)
  WHERE status IN ('queued', 'running', 'waiting', 'handoff');
