-- Workflows: a mutable draft per workflow, and immutable published versions (DESIGN.md §2, §4).
-- The YAML text is stored byte for byte; everything else is derived from it.

CREATE TABLE workflows (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]*$' AND length(name) <= 64),
  draft_yaml text NOT NULL,
  -- Bumped by every draft save; the ETag is derived from it (optimistic concurrency).
  draft_revision integer NOT NULL DEFAULT 1,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
-- A deleted workflow's name may be used again.
CREATE UNIQUE INDEX workflows_live_name ON workflows (tenant_id, name) WHERE deleted_at IS NULL;
ALTER TABLE workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workflows
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON workflows TO flowdeck_app;

CREATE TABLE workflow_versions (
  tenant_id uuid NOT NULL,
  workflow_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  -- The id column lets routes name a version row directly (and the cross-tenant walk find one).
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  yaml text NOT NULL,
  note text NOT NULL DEFAULT '',
  author_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, workflow_id, version),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE workflow_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflow_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workflow_versions
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
-- Published versions are immutable: the app role may add them, never change or remove them.
GRANT SELECT, INSERT ON workflow_versions TO flowdeck_app;
