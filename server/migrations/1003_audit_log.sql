-- Audit log (issue 4): who changed what, and when. One row per change, written by the route that made the
-- change in the same transaction, so a change and its audit row commit or roll back together.
-- Append-only: the app role may add rows and read them, never change or remove them (no UPDATE or DELETE
-- grant, and a trigger for anyone who gets UPDATE anyway). Retention runs as the owner.
CREATE TABLE audit_log (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Insertion order across the table: the newest-first order and the paging cursor of GET /audit.
  seq bigint GENERATED ALWAYS AS IDENTITY,
  -- The user who acted; null for the system (no user behind the change). No foreign key: `users` is global
  -- and the app role has no privileges on it, and an audit row outlives the account that made it.
  actor_id uuid,
  -- `<target type>.<verb>`, e.g. workflow.publish, customer.update.
  action text NOT NULL CHECK (action ~ '^[a-z][a-z_]*\.[a-z][a-z_]*$' AND length(action) <= 64),
  target_type text NOT NULL CHECK (target_type ~ '^[a-z][a-z_]*$' AND length(target_type) <= 64),
  target_id text NOT NULL CHECK (length(target_id) BETWEEN 1 AND 200),
  -- Small and free of personal data: changed field names, status transitions, version numbers.
  detail jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object' AND length(detail::text) <= 4000),
  request_id text CHECK (length(request_id) <= 64),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_newest ON audit_log (tenant_id, seq DESC);
CREATE INDEX audit_log_by_target ON audit_log (tenant_id, target_type, target_id, seq DESC);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
REVOKE ALL ON audit_log FROM PUBLIC;
GRANT SELECT, INSERT ON audit_log TO flowdeck_app;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION flowdeck_refuse_update();
