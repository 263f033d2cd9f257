-- Plans belong to the operator (issue 19 item 5). flowdeck_app may rename its tenant but never write its plan:
-- UPDATE is granted on `name` alone, so no API request (any role, any API key) can change a plan, whatever a
-- route's code does. `flowdeck tenant set-plan` changes it as the schema owner (server/src/plans/set-tenant-plan.ts)
-- and writes the audit row in the same transaction. INSERT stays: registration creates a tenant on the default plan.
REVOKE UPDATE ON tenants FROM flowdeck_app;
GRANT UPDATE (name) ON tenants TO flowdeck_app;
