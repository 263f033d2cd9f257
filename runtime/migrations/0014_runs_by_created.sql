-- Retention (src/store/run-retention.ts) deletes one tenant's runs created before a cutoff. The server has
-- had this index since its migration 1002 (the runs list pages by creation time), which runtime-only databases
-- (workers' tests, benches) lacked; the runtime owns the statement, so it owns the index it needs. IF NOT
-- EXISTS: on a server database this is a no-op, and 1002 is one on a fresh one.
CREATE INDEX IF NOT EXISTS runs_by_created ON runs (tenant_id, created_at DESC);
