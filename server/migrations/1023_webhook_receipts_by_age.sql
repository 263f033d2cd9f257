-- Run history retention (src/runs/run-retention.ts) deletes webhook message ids older than the tenant's plan
-- keeps history. A BRIN index: ids arrive in time order, so block ranges follow received_at, and the insert on
-- the webhook path adds no b-tree entry. Ranges not summarized yet (autovacuum does it) are always read, so
-- the delete never misses a row.
CREATE INDEX IF NOT EXISTS webhook_receipts_by_age ON webhook_receipts USING brin (received_at);
