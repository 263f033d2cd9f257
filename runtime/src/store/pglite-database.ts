import { PGlite, type Transaction } from "@electric-sql/pglite";
import { createDatabase, type Database, type OwnerSql, type QueryResult } from "./database";

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
  return {
    async query<Row extends object>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>> {
      const result = await tx.query<Row>(text, params ? [...params] : undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script) {
      await tx.exec(script);
    },
  };
}
