-- The role every tenant transaction switches to (SET LOCAL ROLE flowdeck_app). It owns nothing, cannot log in,
-- is not superuser and has no BYPASSRLS, so row-level security always applies to it (DESIGN.md §5).
-- Roles are cluster-wide and many databases (one per test file) share it, so creating it must tolerate both
-- "it exists" (duplicate_object) and "another database is creating it right now" (unique_violation).
DO $$
BEGIN
  CREATE ROLE flowdeck_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

GRANT USAGE ON SCHEMA public TO flowdeck_app;

-- Append-only tables refuse UPDATE even from roles that hold the privilege by mistake.
CREATE OR REPLACE FUNCTION flowdeck_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
