import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openDatabase } from "@flowdeck/runtime";
import { DEFAULT_DATA_DIR } from "../config/server-config";
import { pendingMigrations } from "../store/migration-policy";
import { runServerMigrations } from "../store/server-migrations";
import { EXIT_OK, EXIT_PROBLEMS } from "./exit-codes";
import type { CliIo } from "./io";

/**
 * `flowdeck migrate [--check]`: applies the pending migrations to DATABASE_URL (else the embedded database in
 * FLOWDECK_DATA_DIR) and exits: the deployment's migration job, run before API and worker replicas that start
 * with FLOWDECK_MIGRATE_ON_START=false, so no replica migrates while others serve. `--check` applies nothing
 * and exits 1 when a migration is pending. Prints one JSON line.
 */
export async function migrateCommand(
  io: CliIo,
  options: { readonly check: boolean; readonly env?: NodeJS.ProcessEnv },
): Promise<number> {
  const env = options.env ?? process.env;
  const dataDir = env.FLOWDECK_DATA_DIR ?? DEFAULT_DATA_DIR;
  if (!env.DATABASE_URL) await mkdir(join(dataDir, "pglite"), { recursive: true, mode: 0o700 });
  const db = await openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: join(dataDir, "pglite") },
  );
  try {
    if (options.check) {
      const pending = await pendingMigrations(db);
      io.out(JSON.stringify({ event: "migrations", pending }));
      return pending.length > 0 ? EXIT_PROBLEMS : EXIT_OK;
    }
    const report = await runServerMigrations(db);
    io.out(
      JSON.stringify({
        event: "migrated",
        applied: report.applied,
        alreadyApplied: report.alreadyApplied.length,
        driver: db.driver,
      }),
    );
    return EXIT_OK;
  } finally {
    await db.close();
  }
}
