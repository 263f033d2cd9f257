-- A commit stamps its run's outbox rows by (tenant_id, run_id). Without this index that lookup walked every
-- outbox row of the tenant (the primary key leads with tenant_id only), so each commit cost more as the table
-- grew: measured at ~5,000 index entries read per commit after a few thousand runs.
CREATE INDEX run_outbox_by_run ON run_outbox (tenant_id, run_id);
