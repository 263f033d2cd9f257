-- Listing runs newest first (GET /runs, analytics per day) and summing usage per day read these orders.
CREATE INDEX IF NOT EXISTS runs_by_created ON runs (tenant_id, created_at DESC);
CREATE INDEX IF NOT EXISTS run_steps_by_finished ON run_steps (tenant_id, finished_at);
