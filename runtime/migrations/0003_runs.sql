-- Runs, their steps and the append-only event log (DESIGN.md §4). Every table leads its key with tenant_id.
-- The app role may not DELETE anything here: run history is removed by retention jobs running as the owner.

CREATE TABLE runs (
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  workflow_name text NOT NULL,
  workflow_version integer,
  definition jsonb NOT NULL,
  status text NOT NULL
    CHECK (status IN ('queued', 'running', 'waiting', 'handoff', 'completed', 'failed', 'cancelled')),
  state jsonb NOT NULL,
  -- Optimistic concurrency: every commit does state_version + 1 WHERE state_version = expected.
  state_version integer NOT NULL DEFAULT 0,
  -- The last run_events.seq; a commit reserves its range by bumping it in the same UPDATE.
  event_seq integer NOT NULL DEFAULT 0,
  input jsonb NOT NULL,
  output jsonb,
  error jsonb,
  conversation_id text NOT NULL,
  channel text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX runs_by_status ON runs (tenant_id, status, updated_at DESC);
CREATE INDEX runs_by_conversation ON runs (tenant_id, conversation_id, created_at DESC);
CREATE INDEX runs_by_workflow ON runs (tenant_id, workflow_name, created_at DESC);
ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON runs
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON runs TO flowdeck_app;

CREATE TABLE run_steps (
  tenant_id uuid NOT NULL,
  run_id uuid NOT NULL,
  -- `<flow path>/<node>#<visit>`: stable across retries and recovery, so a re-run step overwrites its row.
  step_id text NOT NULL,
  -- Order of first recording; an overwrite keeps the original place in the trace.
  position bigint GENERATED ALWAYS AS IDENTITY,
  node_name text NOT NULL,
  node_type text NOT NULL,
  attempt integer NOT NULL,
  status text NOT NULL CHECK (status IN ('completed', 'failed', 'waiting')),
  port text,
  output jsonb,
  error jsonb,
  details jsonb,
  usage jsonb,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, run_id, step_id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE run_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_steps
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON run_steps TO flowdeck_app;

CREATE TABLE run_events (
  tenant_id uuid NOT NULL,
  run_id uuid NOT NULL,
  seq integer NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, run_id, seq),
  FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE run_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_events
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
-- Append-only: no UPDATE or DELETE grant, and a trigger for anyone who gets UPDATE anyway.
REVOKE ALL ON run_events FROM PUBLIC;
GRANT SELECT, INSERT ON run_events TO flowdeck_app;
CREATE TRIGGER run_events_append_only BEFORE UPDATE ON run_events
  FOR EACH ROW EXECUTE FUNCTION flowdeck_refuse_update();

-- Written in the run's own transaction, so a crash between COMMIT and queue.add loses no run: the queue
-- dispatcher (a later issue) enqueues every row without dispatched_at and then stamps it.
CREATE TABLE run_outbox (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  run_id uuid NOT NULL,
  kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  dispatched_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX run_outbox_pending ON run_outbox (created_at) WHERE dispatched_at IS NULL;
ALTER TABLE run_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON run_outbox
  USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON run_outbox TO flowdeck_app;
