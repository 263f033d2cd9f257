/**
 * The scope of account lookups that happen before any tenant is known (login, token parsing). It is a valid
 * UUID, so `db.transaction` accepts it and runs as flowdeck_app, but no tenant has it, so RLS shows no rows.
 */
export const NO_TENANT = { tenantId: "00000000-0000-0000-0000-000000000000" } as const;
