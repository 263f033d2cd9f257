import type { Writable } from "node:stream";
import pg from "pg";
import {
  createDatabase,
  type Database,
  type DriverAdapter,
  type OwnerSql,
  type PreparedSql,
} from "./database";
import { StoreError } from "./store-errors";
import { corkForTick } from "../streams/cork-for-tick";

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

/**
 * Runs `send` with the client's socket corked until the end of the tick: statements a transaction issues in one
 * tick (BEGIN, a claim, a run, COMMIT) leave in one write. The socket is pg's own (pg corks it per query the same
 * way); without one, the queries still go out, only in more writes.
 */
function corked<T>(client: pg.PoolClient, send: () => T): T {
  corkForTick((client as unknown as { connection?: { stream?: Writable } }).connection?.stream);
  return send();
}

function toQuery(statement: string | PreparedSql, values: unknown[] | undefined): pg.QueryConfig {
  return typeof statement === "string"
    ? { text: statement, ...(values ? { values } : {}) }
    : { name: statement.name, text: statement.text, ...(values ? { values } : {}) };
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
    // Queries are written as soon as they are issued instead of one round trip after another; `corked` below
    // puts the statements of one transaction that need no answer in between into a single socket write.
    pipeline: true,
  });
  // Without a listener an idle client's error would be an uncaught exception and end the process.
  pool.on("error", (error) => options.onIdleError?.(error));

  /** A pooled client whose listener keeps a backend error for the next statement instead of crashing. */
  async function checkOut(): Promise<{ client: pg.PoolClient; release: (error?: Error | boolean) => void }> {
    const client = await pool.connect();
    // The pool stops listening to a client while it is checked out: a backend ended between two statements
    // (pg_terminate_backend, a server restart, idle_in_transaction_session_timeout) would emit an 'error'
    // nobody handles and end the process. Keep it instead; the next statement fails, the client is destroyed.
    let broken: Error | undefined;
    const onError = (error: Error) => void (broken ??= error);
    client.on("error", onError);
    return {
      client,
      release: (error) => {
        client.removeListener("error", onError);
        client.release(error ?? broken);
      },
    };
  }

  const adapter: DriverAdapter = {
    kind: "pg",
    async transaction(fn, prelude) {
      const { client, release } = await checkOut();
      const begin = prelude ? `BEGIN; ${prelude}` : "BEGIN";
      // BEGIN (with the role and tenant) goes out with the transaction's first statement, in one write and one
      // round trip; a transaction that never queries costs none. Safe to pipeline: if the prelude fails, the
      // transaction is aborted and the statements after it fail too, so nothing runs without its tenant.
      let state = "idle" as "idle" | "open" | "ended";
      // A BEGIN that failed may have left the statements behind it running on their own: never reuse the client.
      let beginFailed = false;
      async function send(statement: string | PreparedSql, params: unknown[] | undefined, commit: boolean) {
        if (state === "ended")
          throw new StoreError("FD266", "This transaction already committed with commitWith.");
        const opening = state === "idle";
        state = commit ? "ended" : "open";
        const settled = await Promise.allSettled(
          corked(client, () => [
            ...(opening ? [client.query(begin)] : []),
            client.query(toQuery(statement, params)),
            ...(commit ? [client.query("COMMIT")] : []),
          ]),
        );
        // The first failure is the one to report: a failed BEGIN or prelude fails everything queued behind it,
        // and a failed statement turns the COMMIT behind it into a rollback.
        if (opening && settled[0]!.status === "rejected") beginFailed = true;
        const failed = settled.find((outcome) => outcome.status === "rejected");
        if (failed) throw failed.reason;
        const result = (settled[opening ? 1 : 0] as PromiseFulfilledResult<pg.QueryResult>).value;
        return { rows: result.rows, rowCount: result.rowCount ?? 0 };
      }
      const connection: OwnerSql = {
        query: (text, params) => send(text, params as unknown[] | undefined, false),
        commitWith: (text, params) => send(text, params as unknown[] | undefined, true),
        async exec(script) {
          // No parameters: the simple query protocol, which accepts several statements.
          await send(script, undefined, false);
        },
      };
      try {
        const result = await fn(connection);
        if (state === "open") await client.query("COMMIT");
        release();
        return result;
      } catch (error) {
        if (beginFailed) {
          release(true);
          throw error;
        }
        try {
          // An ended transaction has already committed or rolled back with its commitWith.
          if (state === "open") await client.query("ROLLBACK");
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
