import pg from "pg";
import { createDatabase, type Database, type DriverAdapter, type OwnerSql } from "./database";

export interface PgDatabaseOptions {
  /** `postgres://user@host:port/db`. The user must own the schema (migrations) or be a member of flowdeck_app. */
  readonly connectionString: string;
  /** Pool size. Default 10. */
  readonly maxConnections?: number;
  /** How long to wait for a free connection before failing. Default 10 000 ms. */
  readonly connectionTimeoutMs?: number;
  /** Server-side cap per statement, so a runaway query cannot hold a connection. Default 30 000 ms. */
  readonly statementTimeoutMs?: number;
  /** Server-side cap on a transaction left idle (a crashed caller). Default 60 000 ms. */
  readonly idleInTransactionTimeoutMs?: number;
  /** Errors of idle pooled connections (the server restarted). The pool drops them; default: ignored. */
  readonly onIdleError?: (error: Error) => void;
  /** Shown in pg_stat_activity. Default `flowdeck`. */
  readonly applicationName?: string;
}

/** PostgreSQL through a `pg` Pool. One pooled client per transaction; released (or destroyed) afterwards. */
export function createPgDatabase(options: PgDatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
    application_name: options.applicationName ?? "flowdeck",
  });
  // Without a listener an idle client's error would be an uncaught exception and end the process.
  pool.on("error", (error) => options.onIdleError?.(error));

  const adapter: DriverAdapter = {
    kind: "pg",
    async transaction(fn, prelude) {
      const client = await pool.connect();
      // The pool stops listening to a client while it is checked out: a backend ended between two statements
      // (pg_terminate_backend, a server restart, idle_in_transaction_session_timeout) would emit an 'error'
      // nobody handles and end the process. Keep it instead; the next statement fails, the client is destroyed.
      let broken: Error | undefined;
      const onError = (error: Error) => void (broken ??= error);
      client.on("error", onError);
      const release = (error?: Error | boolean) => {
        client.removeListener("error", onError);
        client.release(error ?? broken);
      };
      const connection: OwnerSql = {
        async query(text, params) {
          const result = await client.query(text, params as unknown[] | undefined);
          return { rows: result.rows, rowCount: result.rowCount ?? 0 };
        },
        async exec(script) {
          // No parameters: the simple query protocol, which accepts several statements.
          await client.query(script);
        },
      };
      try {
        // One round trip for BEGIN and the prelude (SET LOCAL ROLE …).
        await client.query(prelude ? `BEGIN; ${prelude}` : "BEGIN");
        const result = await fn(connection);
        await client.query("COMMIT");
        release();
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
          release();
        } catch (rollbackError) {
          // The connection is in an unknown state: destroy it rather than hand it to the next tenant.
          release(rollbackError instanceof Error ? rollbackError : true);
        }
        throw error;
      }
    },
    close: () => pool.end(),
  };
  return createDatabase(adapter);
}
