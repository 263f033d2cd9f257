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

/**
 * A statement the server prepares once per connection and then only binds and executes: no SQL text on the wire
 * and no parse or plan per call. For the hot, fixed statements (a run's creation and commits), not for SQL that
 * is built per call: every name stays prepared on every pooled connection.
 */
export interface PreparedSql {
  readonly name: string;
  readonly text: string;
}

export function prepared(name: string, text: string): PreparedSql {
  return { name, text };
}

/** A connection inside a transaction. Parameters are `$1, $2 …`; pass JSON as text with `toJson` and `::jsonb`. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(
    text: string | PreparedSql,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
  /**
   * The transaction's last statement, sent together with COMMIT (one write and one round trip less). The
   * transaction is over when it answers: committed, or rolled back if the statement failed (which throws). The
   * callback returns right after it; another statement after it is a bug (FD266).
   */
  commitWith<Row extends object = Record<string, unknown>>(
    text: string | PreparedSql,
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
  /**
   * Every statement of the transaction finds its rows by key, on the generic plan its connection keeps: plans are
   * never made afresh per execution (`plan_cache_mode` force_generic_plan), and sequential scans are priced out
   * (`enable_seqscan` off), both for this transaction only. PostgreSQL otherwise replans a statement at every
   * execution whenever its generic plan is priced above a custom one, which for the hot keyed reads and writes
   * of a run costs more than executing them (bench CONTEXT, Planning by statement); and it makes the generic
   * plan once, from the table as it is then: made while a table was a page or two, that plan would scan it, and
   * go on scanning it as it grows until the next ANALYZE. Only for statements that name every row they reach by
   * its whole key in scalar parameters: a generic plan of `id = ANY($2)`, priced for an array of unknown length,
   * reads the tenant's whole index on a young table (keyed-generic-plans.test.ts).
   */
  readonly byKeyOnly?: boolean;
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
  /**
   * One statement in a tenant transaction of its own: on pg, BEGIN, the role and tenant, the statement and COMMIT
   * go in one write (one round trip instead of three). For reads and writes whose result decides nothing else
   * inside the transaction.
   */
  statement<Row extends object = Record<string, unknown>>(
    text: string | PreparedSql,
    params: readonly unknown[],
    scope: TenantScope,
  ): Promise<QueryResult<Row>>;
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

  /** Counts statements, and refuses any after commitWith (FD266) the same way on every driver. */
  function counted(connection: OwnerSql): OwnerSql {
    let ended = false;
    const check = () => {
      if (ended) throw new StoreError("FD266", "This transaction already committed with commitWith.");
      statements += 1;
    };
    return {
      query: async (text, params) => {
        check();
        return connection.query(text, params);
      },
      commitWith: async (text, params) => {
        check();
        ended = true;
        return connection.commitWith(text, params);
      },
      exec: async (script) => {
        check();
        return connection.exec(script);
      },
    };
  }

  function ensureOpen(): void {
    if (closed) throw new StoreError("FD265", "The database was closed.");
  }

  const database: Database = {
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
          // No `exec`: a tenant transaction has no business running multi-statement scripts.
          return fn({ query: sql.query, commitWith: sql.commitWith });
        },
        tenantPrelude(tenantId, scope.byKeyOnly === true),
      );
      transactions += 1;
      return result;
    },
    statement(text, params, scope) {
      return database.transaction((sql) => sql.commitWith(text, params), scope);
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
  return database;
}

/**
 * SET LOCAL ROLE and the tenant, sent with BEGIN (one round trip on pg). The id is inlined, not a parameter (the
 * prelude has none): requireTenantId has checked it is a canonical UUID, nothing else.
 */
function tenantPrelude(tenantId: string, byKeyOnly: boolean): string {
  const keyed = byKeyOnly
    ? `, set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)`
    : "";
  return `SET LOCAL ROLE ${APP_ROLE}; SELECT set_config('app.tenant_id', '${tenantId}', true)${keyed}`;
}

/** Tenant ids are UUIDs; checking here turns a typo into FD262 instead of a cast error inside a policy. */
export function requireTenantId(tenantId: string): string {
  if (typeof tenantId !== "string" || !isUuid(tenantId)) {
    throw new StoreError("FD262", `Tenant id ${JSON.stringify(tenantId)} is not a UUID.`);
  }
  return tenantId.toLowerCase();
}
