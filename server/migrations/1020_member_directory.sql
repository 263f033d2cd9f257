-- Members (issue 19 item 4): the team page lists a tenant's members with their emails. `users` stays closed to
-- flowdeck_app (1000_accounts.sql); this is one more narrow door: the members of the transaction's own tenant,
-- nobody else's (the tenant comes from app.tenant_id, never from an argument).
CREATE FUNCTION flowdeck_tenant_members()
RETURNS TABLE (user_id uuid, email text, role text, joined_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT m.user_id, u.email, m.role, m.created_at
    FROM public.memberships m JOIN public.users u ON u.id = m.user_id
   WHERE m.tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
   ORDER BY m.created_at, m.user_id
$$;
REVOKE ALL ON FUNCTION flowdeck_tenant_members() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowdeck_tenant_members() TO flowdeck_app;
