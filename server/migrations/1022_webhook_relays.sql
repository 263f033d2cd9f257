-- A chat webhook turn whose replies are still to be handed to outbound delivery: the run answering the message,
-- where the turn begins in its log, and how far the relay got. The process that took the message relays the
-- turn as the run commits (pub/sub only wakes it); when that process dies, its lease runs out and any API
-- process's sweeper reads the log on from `relayed_seq`, so a reply committed after the death is still sent.
-- The row goes once the turn has settled and every reply of it is a `webhook_deliveries` row.
CREATE TABLE webhook_relays (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  channel_id uuid NOT NULL,
  conversation_id text NOT NULL,
  run_id uuid NOT NULL,
  -- The turn's first event: the message's `resume.requested`, or 1 for a new run.
  from_seq integer NOT NULL CHECK (from_seq >= 1),
  -- Every reply up to this seq is a delivery row (advanced in the transaction that stores the reply).
  relayed_seq integer NOT NULL,
  -- Held by the relaying process; a sweeper takes the row over once this has passed.
  lease_until timestamptz NOT NULL,
  -- A turn that has not settled by then is given up (its run is stuck; the run's own limits fail it first).
  give_up_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
-- The sweeper's scan across tenants: relays whose lease ran out, oldest lease first.
CREATE INDEX webhook_relays_lease ON webhook_relays (lease_until);
ALTER TABLE webhook_relays ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_relays FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_relays
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON webhook_relays TO flowdeck_app;
