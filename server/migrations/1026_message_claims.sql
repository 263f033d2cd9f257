-- Chat message ids move to the runtime's `message_claims` (runtime migration 0016), where they are claimed by
-- the statement that stores the message rather than in a transaction of their own before it. The ids claimed
-- so far come along, so a copy of a message sent before this migration is still recognised.
INSERT INTO message_claims (tenant_id, claim_key, conversation_id, claimed_at)
  SELECT tenant_id, 'chat:' || channel_id::text || ':' || message_id, conversation_id, received_at
    FROM webhook_receipts
  ON CONFLICT DO NOTHING;
DROP TABLE webhook_receipts;
