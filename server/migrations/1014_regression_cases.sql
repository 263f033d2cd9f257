-- Regression cases (issue 17): a test-run conversation saved with its workflow, replayed against the draft to
-- see whether the route and the replies stay the same. A case names the run it was saved from; the replay reads
-- the customer's messages from that run (server/src/runs/run-replay.ts), so nothing else is copied here.
CREATE TABLE regression_cases (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  workflow_id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  run_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid,
  PRIMARY KEY (tenant_id, id),
  -- Same tenant as the workflow by construction: the key includes tenant_id.
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX regression_cases_by_workflow ON regression_cases (tenant_id, workflow_id, created_at);
ALTER TABLE regression_cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE regression_cases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON regression_cases
  USING (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON regression_cases TO flowdeck_app;
