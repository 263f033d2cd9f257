import { fileURLToPath } from "node:url";
import { loadMigrations, runMigrations, type Database } from "@flowdeck/runtime";

/** server/migrations: accounts and everything else the API adds. Ids ≥ 1000 sort after runtime's. */
export const SERVER_MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Runtime's migrations, then the server's, in one id-ordered pass (each in its own owner transaction). */
export async function runServerMigrations(
  db: Database,
): Promise<{ applied: readonly string[]; alreadyApplied: readonly string[] }> {
  const migrations = [...(await loadMigrations()), ...(await loadMigrations(SERVER_MIGRATIONS_DIR))];
  return runMigrations(db, migrations);
}
