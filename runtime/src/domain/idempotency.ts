import type { Sql } from "../store/database";
import { toJson } from "../store/sql-values";
import { StoreError } from "../store/store-errors";

/**
 * Runs `work` at most once per key (DESIGN.md §4: `runId:stepId`), inside the caller's transaction.
 *
 * The key is claimed first with INSERT … ON CONFLICT DO NOTHING. If this transaction claims it, `work` runs and
 * its result is stored in the same transaction, so the write and the key commit or roll back together. If
 * the key exists, the stored result is returned and nothing is written. A concurrent duplicate blocks on the
 * claim until the first transaction ends, then reads its result (or claims the key if the first rolled back).
 *
 * Results go through JSON (BigInt-safe, like run state), and the first call returns the JSON copy too, so
 * every call with the key returns exactly the same value.
 */
export async function withIdempotencyKey<T>(
  sql: Sql,
  key: { readonly tenantId: string; readonly key: string; readonly kind: string },
  work: () => Promise<T>,
): Promise<T> {
  if (key.key.length === 0 || key.key.length > 500) {
    throw new StoreError("FD272", `An idempotency key must have 1 to 500 characters, not ${key.key.length}.`);
  }
  const claimed = await sql.query(
    `INSERT INTO idempotency_keys (tenant_id, key, kind)
     VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, key) DO NOTHING
     RETURNING key`,
    [key.tenantId, key.key, key.kind],
  );
  if (claimed.rowCount === 0) {
    const { rows } = await sql.query<{ kind: string; result: T }>(
      "SELECT kind, result FROM idempotency_keys WHERE tenant_id = $1 AND key = $2",
      [key.tenantId, key.key],
    );
    const first = rows[0]!;
    if (first.kind !== key.kind) {
      throw new StoreError(
        "FD264",
        `Idempotency key ${key.key} was used for ${first.kind}, not ${key.kind}.`,
      );
    }
    return first.result;
  }
  const json = toJson(await work());
  await sql.query("UPDATE idempotency_keys SET result = $3::jsonb WHERE tenant_id = $1 AND key = $2", [
    key.tenantId,
    key.key,
    json,
  ]);
  return JSON.parse(json) as T;
}
