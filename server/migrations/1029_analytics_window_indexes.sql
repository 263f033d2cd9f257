-- Analytics read the last N days (1–365) of a tenant; these let them read only that window, not the tenant's
-- whole kept history (up to 365 days of runs on enterprise, every lead ever).
--
-- Usage and router analytics date a step by when it finished, so they take the runs touched in the window: a
-- run created before the window may finish inside it. `runs_by_created` cannot bound that, and
-- `runs_unfinished` holds only unfinished runs, so every run of the tenant was read and its updated_at
-- checked. The cost: one more index entry per run commit. Commits change updated_at, which runs_unfinished
-- already indexes, so they were never HOT updates; the bench's measure of the four other secondary entries
-- (bench/CONTEXT.md, "Where a stored run's PostgreSQL CPU goes": 17 % of a stored run's CPU and 23 % of its WAL
-- for four) puts this one near 4 % and 80 bytes of WAL per commit, not measured on its own.
CREATE INDEX IF NOT EXISTS runs_by_updated ON runs (tenant_id, updated_at);
-- Lead conversion counts the leads created in the window; leads had only their key and (tenant, email).
CREATE INDEX IF NOT EXISTS leads_by_created ON leads (tenant_id, created_at);
