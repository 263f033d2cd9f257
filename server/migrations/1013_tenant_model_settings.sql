-- A tenant's own model provider (issue 17): an OpenAI-compatible base URL, its API key sealed with the channel
-- secret box (AES-256-GCM, AAD = the row; channels/secret-box.ts) plus its last 4 characters for display, and
-- the default model. No row: the operator's OPENAI_API_KEY / OPENAI_BASE_URL, or the offline provider.
CREATE TABLE tenant_model_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  base_url text,
  api_key_box text,
  api_key_last4 text,
  default_model text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid
);
ALTER TABLE tenant_model_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_model_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_model_settings
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_model_settings TO flowdeck_app;
