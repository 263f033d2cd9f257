import pg from "pg";

/** What a benchmark's runs left in PostgreSQL between two readings. */
export interface StorageReading {
  readonly walLsn: string;
  /** Rows in the run tables (runs, their journal, definition snapshots, outbox). */
  readonly rows: number;
  readonly runs: number;
}

export interface StorageUse {
  walBytes: number;
  rows: number;
  runs: number;
  /** How the WAL was counted: this database's records (pg_walinspect), or the whole cluster's LSN difference. */
  walScope?: "database" | "cluster";
}

// The run tables of either shape of the log, so the same meter reads a checkout from before the journal.
const RUN_TABLES = ["runs", "run_journal", "run_definitions", "run_outbox", "run_steps", "run_events"];

/**
 * WAL written for one database between two LSNs: the records on its relations and the commit records of the
 * transactions that wrote them, full-page images included (pg_walinspect, contrib; needs a superuser). Other
 * databases on the same cluster (other benches, a test suite) do not count, as they do in an LSN difference.
 */
export async function databaseWalBytes(
  client: pg.Client,
  fromLsn: string,
  toLsn: string,
  databaseOid: number,
): Promise<{ bytes: number; bytesWithoutPageImages: number }> {
  const { rows } = await client.query<{ ours: string; bare: string }>(
    `WITH r AS (
       SELECT xid, resource_manager, record_length, fpi_length, block_ref
         FROM pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
     ), mine AS (SELECT DISTINCT xid FROM r WHERE block_ref LIKE $3 AND xid <> 0)
     SELECT coalesce(sum(record_length) FILTER (WHERE block_ref LIKE $3
              OR (resource_manager = 'Transaction' AND xid IN (SELECT xid FROM mine))), 0)::text AS ours,
            coalesce(sum(record_length - fpi_length) FILTER (WHERE block_ref LIKE $3
              OR (resource_manager = 'Transaction' AND xid IN (SELECT xid FROM mine))), 0)::text AS bare
       FROM r`,
    [fromLsn, toLsn, `%/${databaseOid}/%`],
  );
  return { bytes: Number(rows[0]!.ours), bytesWithoutPageImages: Number(rows[0]!.bare) };
}

/**
 * Reads WAL and run-table row counts of one database, as its owner (RLS does not hide rows from a superuser).
 * WAL is this database's own where pg_walinspect can be installed (a temporary replication slot keeps the
 * segments between two readings), else the cluster's LSN difference: then read it around slices where only
 * the measured server writes.
 */
export async function openStorageMeter(database: string) {
  const url = new URL(
    process.env.FLOWDECK_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  );
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const { rows: present } = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1::text[])",
    [RUN_TABLES],
  );
  const counts = present.map((table) => `(SELECT count(*) FROM ${table.name})`).join(" + ");
  const oid = (
    await client.query<{ oid: number }>(
      "SELECT oid::int AS oid FROM pg_database WHERE datname = current_database()",
    )
  ).rows[0]!.oid;
  const slot = `flowdeck_meter_${(client as unknown as { processID: number }).processID}`;
  const scope: "database" | "cluster" = await client
    .query("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
    .then(() => client.query("SELECT pg_create_physical_replication_slot($1, true, true)", [slot]))
    .then(
      () => "database" as const,
      () => "cluster" as const,
    );
  return {
    async read(): Promise<StorageReading> {
      // The flush position: pg_walinspect reads only WAL already flushed, and committed work is.
      const { rows } = await client.query<{ lsn: string; rows: string; runs: string }>(
        `SELECT pg_current_wal_flush_lsn()::text AS lsn, ${counts} AS rows, (SELECT count(*) FROM runs) AS runs`,
      );
      const row = rows[0]!;
      return { walLsn: row.lsn, rows: Number(row.rows), runs: Number(row.runs) };
    },
    async add(into: StorageUse, before: StorageReading, after: StorageReading): Promise<void> {
      if (scope === "database") {
        into.walBytes += (await databaseWalBytes(client, before.walLsn, after.walLsn, oid)).bytes;
        await client.query("SELECT pg_replication_slot_advance($1, $2::pg_lsn)", [slot, after.walLsn]);
      } else {
        const { rows } = await client.query<{ bytes: string }>(
          "SELECT pg_wal_lsn_diff($1, $2)::text AS bytes",
          [after.walLsn, before.walLsn],
        );
        into.walBytes += Number(rows[0]!.bytes);
      }
      into.walScope = scope;
      into.rows += after.rows - before.rows;
      into.runs += after.runs - before.runs;
    },
    // The slot is temporary: it goes with the session.
    close: () => client.end(),
  };
}

export function storagePerRun(use: StorageUse): string {
  const runs = Math.max(1, use.runs);
  const scope = use.walScope === "cluster" ? "cluster's WAL (pg_walinspect unavailable)" : "WAL";
  return `${(use.rows / runs).toFixed(2)} rows and ${(use.walBytes / runs / 1024).toFixed(2)} KB of ${scope} per stored run (${use.runs} runs)`;
}
