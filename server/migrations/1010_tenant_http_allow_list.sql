-- What a tenant's admins allowed tool.http and outbound webhooks to reach beyond the public internet (issue 19):
-- IP addresses, CIDR ranges and host names, parsed by the runtime's allow-list (runtime/src/http/allow-list.ts).
-- Metadata endpoints stay refused whatever is listed. One row per tenant that has a list.
CREATE TABLE tenant_http_allow_lists (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  entries text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid
);
ALTER TABLE tenant_http_allow_lists ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_http_allow_lists FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_http_allow_lists
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON tenant_http_allow_lists TO flowdeck_app;
