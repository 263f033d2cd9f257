import type { Database } from "./database";
import { createPgDatabase, type PgDatabaseOptions } from "./pg-database";
import { createPgliteDatabase } from "./pglite-database";

export interface OpenDatabaseOptions extends Partial<Omit<PgDatabaseOptions, "connectionString">> {
  /** A PostgreSQL URL (usually `DATABASE_URL`); when absent the embedded PGlite is used. */
  readonly databaseUrl?: string;
  /** PGlite's data folder (e.g. `${FLOWDECK_DATA_DIR}/pglite`); in memory when absent too. */
  readonly dataDir?: string;
}

/** DESIGN.md §6: real PostgreSQL when a URL is configured, otherwise PGlite in a data folder (or in memory). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const { databaseUrl, dataDir, ...pgOptions } = options;
  if (databaseUrl) return createPgDatabase({ ...pgOptions, connectionString: databaseUrl });
  return createPgliteDatabase(dataDir === undefined ? {} : { dataDir });
}
