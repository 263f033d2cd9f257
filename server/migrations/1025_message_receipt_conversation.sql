-- The web chat widget gives each message an id and sends it again until the server acknowledges it (a socket can
-- drop between the send and the server's read). Those ids are claimed in `webhook_receipts` beside a webhook
-- sender's message ids (the table is the channels' receipts; it took its name from the first to use it). A
-- message sent again that arrives on a new socket, before the widget heard which conversation its first copy
-- started, learns it from here (src/channels/message-receipts.ts).
ALTER TABLE webhook_receipts ADD COLUMN IF NOT EXISTS conversation_id text;
