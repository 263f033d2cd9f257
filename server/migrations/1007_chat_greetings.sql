-- The greeting a chat shows when it opens, before the customer's first message, is a bot message no run sent:
-- kept with the conversation's other non-run messages, so a reconnect's catch-up shows it and the first run
-- knows not to greet again (issue 16).
ALTER TABLE chat_messages DROP CONSTRAINT chat_messages_author_check;
ALTER TABLE chat_messages ADD CONSTRAINT chat_messages_author_check
  CHECK (author IN ('customer', 'agent', 'bot'));
