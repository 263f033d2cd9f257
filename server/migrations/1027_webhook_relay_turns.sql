-- A chat webhook turn's relay is recorded once per turn and kept once the turn has settled (`settled_at`), until
-- retention deletes it with the message's claim. The relay is recorded after the message is stored; should the
-- process die in between, the sender's retry is refused as a copy and records the relay from the message's claim
-- (runtime migration 0017). The key below makes that idempotent: a turn already relayed, or being relayed, is
-- not relayed again.
ALTER TABLE webhook_relays ADD COLUMN settled_at timestamptz;
-- Rows of one turn twice cannot have been written by earlier code (each turn was recorded once, by the process
-- that took its message); kept the same if they were, so the key below can be built.
DELETE FROM webhook_relays a USING webhook_relays b
 WHERE a.tenant_id = b.tenant_id AND a.run_id = b.run_id AND a.from_seq = b.from_seq AND a.ctid > b.ctid;
CREATE UNIQUE INDEX webhook_relays_turn ON webhook_relays (tenant_id, run_id, from_seq);
-- The sweepers look at turns still being relayed only. A settled row's lease is also set to 'infinity', so a
-- process older than this migration (whose sweeper reads the lease alone) never takes a settled turn again.
DROP INDEX webhook_relays_lease;
CREATE INDEX webhook_relays_lease ON webhook_relays (lease_until) WHERE settled_at IS NULL;
-- Retention deletes relays by age; rows arrive in time order, so a BRIN index is enough.
CREATE INDEX webhook_relays_by_age ON webhook_relays USING brin (created_at);
