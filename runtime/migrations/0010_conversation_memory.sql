-- Conversation memory (issue 16): `conversation.<name>` values that outlive a single run — the order being
-- discussed, the customer's name and email once known — so a follow-up such as "cancel it" in the next run acts
-- on the order just shown. One row per (tenant, conversation), written by the engine when a run that set
-- memory ends an activation (keys merged, never replaced wholesale), read when a run of the conversation starts.
CREATE TABLE conversation_memory (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id text NOT NULL,
  memory jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_by_run uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, conversation_id)
);
ALTER TABLE conversation_memory ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_memory FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_memory
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON conversation_memory TO flowdeck_app;
