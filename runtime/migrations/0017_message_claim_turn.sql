-- Where the claimed message's turn begins in its run's log: 1 for the run it started, its `resume.requested` seq
-- for a follow-up to a waiting run; NULL for a message kept for a person and for claims older than this column.
-- A chat webhook's relay of the turn is recorded after the message is stored (server's webhook_relays); should its
-- process die in between, the sender's retry of the same message is refused as a copy, and with this the server
-- can still record the relay from the claim, so the turn's replies go out.
ALTER TABLE message_claims ADD COLUMN from_seq integer CHECK (from_seq >= 1);
