-- Chat channels (issue 5): where customers meet a tenant's flows. A `web` channel is the embeddable widget and
-- the WebSocket / HTTP chat API, reached with a publishable key bound to allowed Origins; a `webhook` channel is
-- a signed HTTP endpoint whose replies are delivered, signed, to the tenant's URL.

CREATE TABLE channels (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('web', 'webhook')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  workflow_id uuid NOT NULL,
  -- NULL: the latest published version at the time of each new run.
  pinned_version integer CHECK (pinned_version IS NULL OR pinned_version >= 1),
  -- web: exact Origins (scheme://host[:port]) allowed to use the publishable key.
  allowed_origins text[] NOT NULL DEFAULT '{}',
  -- web: sha256 of the publishable key's secret part; the key itself is shown once.
  key_hash text,
  -- webhook: the signing secret, AES-256-GCM (`v1:iv:tag:ciphertext`, AAD = tenant and channel id).
  secret_box text,
  -- webhook: where replies are POSTed.
  outbound_url text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id),
  CHECK ((kind = 'web' AND key_hash IS NOT NULL) OR (kind = 'webhook' AND secret_box IS NOT NULL))
);
ALTER TABLE channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE channels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON channels
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
-- Deleting a channel disables it (runs keep naming it); the app role never deletes rows.
GRANT SELECT, INSERT, UPDATE ON channels TO flowdeck_app;

-- Inbound webhook message ids: the primary key makes a replayed id insert nothing, so it runs nothing.
CREATE TABLE webhook_receipts (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  channel_id uuid NOT NULL,
  message_id text NOT NULL CHECK (length(message_id) BETWEEN 1 AND 200),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, channel_id, message_id)
);
ALTER TABLE webhook_receipts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_receipts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_receipts
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
-- DELETE: a message whose run could not be started gives its id back, so the sender's retry runs it.
GRANT SELECT, INSERT, DELETE ON webhook_receipts TO flowdeck_app;

-- Messages exchanged while a conversation is with a human (the run is parked in `handoff`, so they are not
-- run events): the customer's and the agent's, in order, for the inbox transcript and the customer's catch-up.
CREATE TABLE chat_messages (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  conversation_id text NOT NULL,
  run_id uuid,
  author text NOT NULL CHECK (author IN ('customer', 'agent')),
  author_id uuid,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX chat_messages_by_conversation ON chat_messages (tenant_id, conversation_id, created_at);
ALTER TABLE chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON chat_messages
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT ON chat_messages TO flowdeck_app;

-- The one door from a public webhook URL (`/webhooks/:channelId`) to its tenant, before any tenant is known:
-- the tenant of a live webhook channel, nothing else. Like flowdeck_user_tenants, the owner reads through FORCE
-- RLS, so it must be superuser or BYPASSRLS.
CREATE FUNCTION flowdeck_webhook_channel_tenant(p_channel_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT c.tenant_id FROM public.channels c
  WHERE c.id = p_channel_id AND c.kind = 'webhook' AND c.disabled_at IS NULL
$$;
REVOKE ALL ON FUNCTION flowdeck_webhook_channel_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowdeck_webhook_channel_tenant(uuid) TO flowdeck_app;
