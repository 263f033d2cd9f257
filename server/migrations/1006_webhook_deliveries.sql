-- Outbound webhook messages (a flow's or an agent's reply, a handoff notice) until their receiver took them.
-- Written before the first attempt, deleted once delivered: a row is a message still owed, so a restart or
-- a crashed process loses none. Any API process's sweeper retries due rows, one conversation's oldest first,
-- so a receiver sees a conversation's messages in order. A row that exhausted its attempts keeps its last
-- error (`gave_up_at`) for the operator and no longer holds its conversation back.
CREATE TABLE webhook_deliveries (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL,
  conversation_id text NOT NULL,
  message_id text NOT NULL,
  body text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  -- Also a lease: the process attempting a row moves this past the attempt's timeout first.
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  gave_up_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id)
);
-- The sweeper's scan: each pending conversation's head, in order.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (tenant_id, channel_id, conversation_id, created_at)
  WHERE gave_up_at IS NULL;
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_deliveries TO flowdeck_app;
