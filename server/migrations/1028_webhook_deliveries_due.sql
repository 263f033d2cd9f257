-- The delivery sweeper's claim (src/webhooks/delivery-store.ts) starts from the rows due now. Retries wait up to
-- an hour for about a day, so a receiver that is down keeps its messages owed that long: most pending rows are
-- not due, and a pass (every second, in every API process) must not read them all to find the few that are.
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
  WHERE gave_up_at IS NULL;
