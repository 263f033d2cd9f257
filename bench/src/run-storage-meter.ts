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
}

// The run tables of either shape of the log, so the same meter reads a checkout from before the journal.
const RUN_TABLES = ["runs", "run_journal", "run_definitions", "run_outbox", "run_steps", "run_events"];

/**
 * Reads WAL position and run-table row counts of one database, as its owner (RLS does not hide rows from a
 * superuser). The WAL position is the cluster's: read it around slices where only the measured server writes.
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
  return {
    async read(): Promise<StorageReading> {
      const { rows } = await client.query<{ lsn: string; rows: string; runs: string }>(
        `SELECT pg_current_wal_lsn()::text AS lsn, ${counts} AS rows, (SELECT count(*) FROM runs) AS runs`,
      );
      const row = rows[0]!;
      return { walLsn: row.lsn, rows: Number(row.rows), runs: Number(row.runs) };
    },
    async add(into: StorageUse, before: StorageReading, after: StorageReading): Promise<void> {
      const { rows } = await client.query<{ bytes: string }>(
        "SELECT pg_wal_lsn_diff($1, $2)::text AS bytes",
        [after.walLsn, before.walLsn],
      );
      into.walBytes += Number(rows[0]!.bytes);
      into.rows += after.rows - before.rows;
      into.runs += after.runs - before.runs;
    },
    close: () => client.end(),
  };
}

export function storagePerRun(use: StorageUse): string {
  const runs = Math.max(1, use.runs);
  return `${(use.rows / runs).toFixed(2)} rows and ${(use.walBytes / runs / 1024).toFixed(2)} KB of WAL per stored run (${use.runs} runs)`;
}
