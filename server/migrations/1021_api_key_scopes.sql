-- API keys authenticate (issue 19 item 3): what a key may do (scopes, a role cap), until when (expiry), and who
-- acted in the audit log (a person or a key). Keys made before this migration get no scopes: they authenticate
-- but reach nothing until an admin makes a new key with the scopes it needs (a key never gains power silently).
ALTER TABLE api_keys
  ADD COLUMN scopes text[] NOT NULL DEFAULT '{}'
    CHECK (scopes <@ ARRAY['workflows:read', 'workflows:write', 'runs:read', 'runs:write', 'chat', 'data:read',
                           'data:write', 'admin']::text[]),
  ADD COLUMN role text NOT NULL DEFAULT 'viewer' CHECK (role IN ('admin', 'editor', 'viewer')),
  ADD COLUMN expires_at timestamptz;

-- Who acted: `user` (actor_id is a user id), `api_key` (actor_id is the key's id) or `system` (no actor).
ALTER TABLE audit_log
  ADD COLUMN actor_type text NOT NULL DEFAULT 'user' CHECK (actor_type IN ('user', 'api_key', 'system'));
