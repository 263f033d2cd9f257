import { isUuid } from "./sql-values";
import { StoreError } from "./store-errors";

/** The role every tenant transaction runs as: owns nothing, not superuser, no BYPASSRLS (DESIGN.md §5). */
export const APP_ROLE = "flowdeck_app";

export type DriverKind = "pg" | "pglite";

export interface QueryResult<Row> {
  readonly rows: Row[];
  /** Rows returned by a SELECT or changed by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

/** A connection inside a transaction. Parameters are `$1, $2 …`; pass JSON as text with `toJson` and `::jsonb`. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
}

/** The owner's connection may also run scripts of several statements without parameters (migration files). */
export interface OwnerSql extends Sql {
  exec(script: string): Promise<void>;
}

export interface TenantScope {
  /** Becomes `app.tenant_id` for this transaction only; RLS policies compare every row against it. */
  readonly tenantId: string;
}

export interface DatabaseStats {
  /** Transactions committed (tenant and owner). */
  readonly transactions: number;
  /** Statements sent inside transactions, including the role and tenant setup, excluding BEGIN/COMMIT. */
  readonly statements: number;
}

/**
 * PostgreSQL through `pg` or PGlite, with one SQL dialect and the same migrations. All work happens in a
 * transaction: `transaction` for anything a request or a job step does (as `flowdeck_app`, scoped to one
 * tenant by RLS), `ownerTransaction` for migrations and maintenance (as the connecting user, which owns the
 * tables). Nothing is ever SET at session level, so a pooled connection carries no tenant into its next use.
 */
export interface Database {
  readonly driver: DriverKind;
  /** BEGIN; SET LOCAL ROLE flowdeck_app; set_config('app.tenant_id', tenantId, true); fn; COMMIT. */
  transaction<T>(fn: (sql: Sql) => Promise<T>, scope: TenantScope): Promise<T>;
  /** As the schema owner, outside RLS for superusers. Migrations, tests' catalog checks; never request work. */
  ownerTransaction<T>(fn: (sql: OwnerSql) => Promise<T>): Promise<T>;
  readonly stats: DatabaseStats;
  close(): Promise<void>;
}

/** What a driver provides: a connection in BEGIN … COMMIT, rolled back when `fn` throws. */
export interface DriverAdapter {
  readonly kind: DriverKind;
  /** `prelude` (parameterless statements) runs right after BEGIN, in the same round trip where possible. */
  transaction<T>(fn: (connection: OwnerSql) => Promise<T>, prelude?: string): Promise<T>;
  close(): Promise<void>;
}

/** The driver-independent part: tenant scoping, counting, closed-state checks. */
export function createDatabase(adapter: DriverAdapter): Database {
  let closed = false;
  let transactions = 0;
  let statements = 0;

  function counted(connection: OwnerSql): OwnerSql {
    return {
      query: (text, params) => {
        statements += 1;
        return connection.query(text, params);
      },
      exec: (script) => {
        statements += 1;
        return connection.exec(script);
      },
    };
  }

  function ensureOpen(): void {
    if (closed) throw new StoreError("FD265", "The database was closed.");
  }

  return {
    driver: adapter.kind,
    get stats() {
      return { transactions, statements };
    },
    async transaction(fn, scope) {
      ensureOpen();
      const tenantId = requireTenantId(scope.tenantId);
      const result = await adapter.transaction(
        async (connection) => {
          // The prelude's two statements: SET LOCAL ROLE, and the tenant (transaction-local: the `true`).
          statements += 2;
          const sql = counted(connection);
          // Only `query` is handed on: a tenant transaction has no business running multi-statement scripts.
          return fn({ query: sql.query });
        },
        // In the prelude, so BEGIN, the role and the tenant are one round trip on pg. The id is inlined, not a
        // parameter (the prelude has none): requireTenantId has checked it is a canonical UUID, nothing else.
        `SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('app.tenant_id', '${tenantId}', true)`,
      );
      transactions += 1;
      return result;
    },
    async ownerTransaction(fn) {
      ensureOpen();
      const result = await adapter.transaction((connection) => fn(counted(connection)));
      transactions += 1;
      return result;
    },
    async close() {
      if (closed) return;
      closed = true;
      await adapter.close();
    },
  };
}

/** Tenant ids are UUIDs; checking here turns a typo into FD262 instead of a cast error inside a policy. */
export function requireTenantId(tenantId: string): string {
  if (typeof tenantId !== "string" || !isUuid(tenantId)) {
    throw new StoreError("FD262", `Tenant id ${JSON.stringify(tenantId)} is not a UUID.`);
  }
  return tenantId.toLowerCase();
}
