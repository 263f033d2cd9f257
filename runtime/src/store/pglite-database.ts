import { PGlite, type Transaction } from "@electric-sql/pglite";
import { createDatabase, type Database, type OwnerSql, type PreparedSql, type QueryResult } from "./database";

export interface PgliteDatabaseOptions {
  /** A folder that keeps the data across restarts; in memory when absent. */
  readonly dataDir?: string;
}

/**
 * Embedded PostgreSQL (PGlite, WASM) for `npm start` without DATABASE_URL and for fast tests. It has one
 * connection; `PGlite.transaction` holds its mutex, so concurrent callers queue instead of interleaving
 * statements inside each other's transactions. Its default user is a superuser that skips RLS, which is why
 * tenant transactions switch to flowdeck_app exactly as on a real server.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const pglite = options.dataDir === undefined ? await PGlite.create() : await PGlite.create(options.dataDir);
  return createDatabase({
    kind: "pglite",
    transaction(fn, prelude) {
      return pglite.transaction(async (tx) => {
        if (prelude) await tx.exec(prelude);
        return fn(connectionOf(tx));
      });
    },
    close: () => pglite.close(),
  });
}

function connectionOf(tx: Transaction): OwnerSql {
  // One connection and no wire: a prepared statement's name and a commit sent along change nothing here. The
  // transaction commits when the callback returns, right after its commitWith.
  async function query<Row extends object>(
    statement: string | PreparedSql,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>> {
    const text = typeof statement === "string" ? statement : statement.text;
    const result = await tx.query<Row>(text, params ? [...params] : undefined);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  }
  return {
    query,
    commitWith: query,
    async exec(script) {
      await tx.exec(script);
    },
  };
}
