import type { Database } from "@flowdeck/runtime";

// Taken when free or expired, or renewed by its own holder; the row comes back only to the process that holds it.
const TAKE_LEASE = `INSERT INTO maintenance_leases (name, holder, expires_at)
  VALUES ($1, $2, now() + make_interval(secs => $3::float8 / 1000))
  ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
    WHERE maintenance_leases.expires_at < now() OR maintenance_leases.holder = EXCLUDED.holder
  RETURNING holder`;

/**
 * Takes the lease `name` for `holder` for `durationMs`, unless another holder's lease on it has not expired
 * (migration 1024). Resolves true when this holder may run the task now. A holder that dies keeps the lease
 * until it expires, so the task waits at most that long.
 */
export async function takeMaintenanceLease(
  db: Database,
  name: string,
  holder: string,
  durationMs: number,
): Promise<boolean> {
  const { rows } = await db.ownerTransaction((sql) =>
    sql.query<{ holder: string }>(TAKE_LEASE, [name, holder, durationMs]),
  );
  return rows.length === 1;
}

/** Gives the lease back if `holder` has it, so another process need not wait for it to expire. */
export async function releaseMaintenanceLease(db: Database, name: string, holder: string): Promise<void> {
  await db.ownerTransaction((sql) =>
    sql.query("DELETE FROM maintenance_leases WHERE name = $1 AND holder = $2", [name, holder]),
  );
}
