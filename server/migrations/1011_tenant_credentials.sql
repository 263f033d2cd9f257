-- Credentials a tenant's tools use (an API token for its own order system), referenced by name from node configs
-- (`tool.http` `auth.credential`) so no secret is written into a flow's YAML (issue 19). The value is sealed
-- with the server's channel secret key (AES-256-GCM, the row's tenant and name as associated data) and only its
-- last four characters are ever shown again.
CREATE TABLE tenant_credentials (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,63}$'),
  sealed text NOT NULL,
  last4 text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid,
  PRIMARY KEY (tenant_id, name),
  UNIQUE (tenant_id, id)
);
ALTER TABLE tenant_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_credentials
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_credentials TO flowdeck_app;
