-- Accounts (issue 4). Tenant tables follow runtime's pattern exactly: tenant_id leads the primary key, RLS
-- ENABLE + FORCE, policy tenant_isolation with USING and WITH CHECK on app.tenant_id (DESIGN.md §5).
--
-- `users` is global: one person can belong to several tenants, and login starts from an email before any
-- tenant is known. Decision: flowdeck_app gets NO privileges on `users` at all. RLS is enabled with no policy
-- (deny-all for any role that is not the owner, should a grant ever slip in) and not forced, so the owner's
-- SECURITY DEFINER functions below can read it. Those functions are the only door, each does one narrow thing,
-- and each pins search_path. The cross-tenant membership lookup at login reads `memberships`, which is FORCE
-- RLS: the owner must therefore be superuser or have BYPASSRLS (as it already must for retention and
-- migrations across tenants); flowdeck_app never has it.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON users FROM PUBLIC;

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO flowdeck_app;

-- Refresh tokens: opaque, stored as sha256 (they are 256-bit random, so a slow hash adds nothing). Rotation
-- revokes the used token and issues the next one in the same family; a revoked token presented again revokes
-- the whole family. No DELETE for the app: revocation is an UPDATE, expiry cleanup runs as the owner.
CREATE TABLE refresh_tokens (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  family_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (tenant_id, family_id);
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refresh_tokens
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON refresh_tokens TO flowdeck_app;

-- API keys for channels: shown once, stored as sha256; `prefix` is the visible part for lists and lookups.
CREATE TABLE api_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  prefix text NOT NULL,
  key_hash text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, prefix)
);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON api_keys TO flowdeck_app;

CREATE TABLE invitations (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  email text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  role text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
  token_hash text NOT NULL,
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON invitations TO flowdeck_app;

-- The doors to `users`. SECURITY DEFINER runs them as the owner; search_path is pinned and every name is
-- schema-qualified, so a caller cannot substitute its own objects.

-- A new user, or NULL when the email is taken (the caller answers 409).
CREATE FUNCTION flowdeck_create_user(p_email text, p_password_hash text) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO public.users (id, email, password_hash)
  VALUES (gen_random_uuid(), lower(p_email), p_password_hash)
  ON CONFLICT (email) DO NOTHING
  RETURNING id
$$;

-- Login: the user's id and hash; the password is checked in the server (bcrypt), never in SQL.
CREATE FUNCTION flowdeck_login_credentials(p_email text)
RETURNS TABLE (user_id uuid, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT u.id, u.password_hash FROM public.users u WHERE u.email = lower(p_email)
$$;

-- Login: the tenants a user belongs to, oldest membership first (the default tenant of a login).
CREATE FUNCTION flowdeck_user_tenants(p_user_id uuid)
RETURNS TABLE (tenant_id uuid, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT m.tenant_id, m.role FROM public.memberships m
  WHERE m.user_id = p_user_id
  ORDER BY m.created_at, m.tenant_id
$$;

-- A user's profile, only to a transaction of a tenant the user belongs to: no tenant can read another
-- tenant's members by guessing ids.
CREATE FUNCTION flowdeck_member_profile(p_user_id uuid)
RETURNS TABLE (user_id uuid, email text, created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT u.id, u.email, u.created_at FROM public.users u
  WHERE u.id = p_user_id
    AND EXISTS (
      SELECT 1 FROM public.memberships m
      WHERE m.user_id = u.id
        AND m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
    )
$$;

REVOKE ALL ON FUNCTION flowdeck_create_user(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION flowdeck_login_credentials(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION flowdeck_user_tenants(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION flowdeck_member_profile(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowdeck_create_user(text, text) TO flowdeck_app;
GRANT EXECUTE ON FUNCTION flowdeck_login_credentials(text) TO flowdeck_app;
GRANT EXECUTE ON FUNCTION flowdeck_user_tenants(uuid) TO flowdeck_app;
GRANT EXECUTE ON FUNCTION flowdeck_member_profile(uuid) TO flowdeck_app;
