-- Message ids a customer's message is stored under at most once per tenant: the web chat widget sends a message
-- again on a new socket until the server says it was received, and a chat webhook's sender retries with the same
-- Flowdeck-Message-Id. The claim is written by the statement that stores the message (the run it starts, the
-- request it records for a waiting run, the inbox row of a conversation a person holds), so a message is claimed
-- exactly when it is stored: a crash between the two cannot lose it, and a refused message leaves its id free.
-- One table for all three, so a copy is recognised whichever of them its first copy went to.
CREATE TABLE message_claims (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  claim_key text NOT NULL CHECK (length(claim_key) BETWEEN 1 AND 400),
  -- Where the first copy went: a copy that arrives on a socket which never heard of it joins it. NULL only for
  -- ids a chat webhook claimed before the server kept it (server migrations 1025 and 1026).
  conversation_id text,
  run_id uuid,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, claim_key)
);
-- Retention deletes claims older than the tenant keeps history. Claims arrive in time order, so a BRIN index
-- follows them and the insert on the chat path adds no second b-tree entry.
CREATE INDEX message_claims_by_age ON message_claims USING brin (claimed_at);
ALTER TABLE message_claims ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_claims FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON message_claims
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
-- No DELETE for the app: a claim is never given back, since it is only ever written with what it claims.
GRANT SELECT, INSERT ON message_claims TO flowdeck_app;
