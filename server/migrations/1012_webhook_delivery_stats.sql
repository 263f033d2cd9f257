-- What a webhook channel's outbound deliveries did, so staff can see a failing receiver (issue 19): counts and
-- the last error per channel, updated in the transaction that settles each attempt. Delivered messages are not
-- kept (webhook_deliveries holds only what is still owed or given up), so these counters are their record.
CREATE TABLE webhook_delivery_stats (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_id uuid NOT NULL,
  delivered_total bigint NOT NULL DEFAULT 0,
  failed_attempts_total bigint NOT NULL DEFAULT 0,
  given_up_total bigint NOT NULL DEFAULT 0,
  last_delivered_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  PRIMARY KEY (tenant_id, channel_id)
);
ALTER TABLE webhook_delivery_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_delivery_stats FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_delivery_stats
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON webhook_delivery_stats TO flowdeck_app;
