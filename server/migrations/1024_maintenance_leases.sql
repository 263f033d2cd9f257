-- Maintenance that every API process schedules but one should do at a time (run history retention): a pass
-- first takes the lease of its task, and a process that finds it held by another skips that pass
-- (src/runs/maintenance-lease.ts). Not a tenant table: only the owner reads or writes it, as it runs the
-- maintenance itself.
CREATE TABLE IF NOT EXISTS maintenance_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
REVOKE ALL ON maintenance_leases FROM PUBLIC;
