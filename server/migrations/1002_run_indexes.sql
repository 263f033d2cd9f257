-- Listing runs newest first (GET /runs, analytics per day) reads this order.
CREATE INDEX IF NOT EXISTS runs_by_created ON runs (tenant_id, created_at DESC);
-- An index on run_steps (tenant_id, finished_at) stood here: runtime migration 0011 dropped run_steps for the
-- run journal, and with it that index, on databases where this file ran first.
-- replaces checksum 75a6cd066d24b31f84c1fa60d8883316086a8019e9bc46c770e6f27bf818e7a6
