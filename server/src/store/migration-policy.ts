import { loadMigrations, type Database } from "@flowdeck/runtime";
import { StartupError } from "../config/startup-error";
import { runServerMigrations, SERVER_MIGRATIONS_DIR } from "./server-migrations";

/** Every migration file the server knows (runtime's, then its own), in id order. */
async function knownMigrationIds(): Promise<string[]> {
  const all = [...(await loadMigrations()), ...(await loadMigrations(SERVER_MIGRATIONS_DIR))];
  return all.map((migration) => migration.id).sort();
}

/** The migrations not applied to this database yet, in id order (all of them on an empty database). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const applied = await db.ownerTransaction(async (sql) => {
    const { rows: table } = await sql.query<{ present: boolean }>(
      "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
    );
    if (!table[0]?.present) return new Set<string>();
    const { rows } = await sql.query<{ id: string }>("SELECT id FROM schema_migrations");
    return new Set(rows.map((row) => row.id));
  });
  return (await knownMigrationIds()).filter((id) => !applied.has(id));
}

/**
 * What a server or worker does with migrations as it starts. By default it applies them (an advisory lock
 * makes processes take turns), so `npm start` needs nothing else. With FLOWDECK_MIGRATE_ON_START=false, as in a
 * deployment where a migration job (`flowdeck migrate`) runs before new replicas roll out, it only checks, and
 * refuses to start (FD394) on a database that lacks one: code and schema would not match.
 */
export async function migrateOnStart(
  db: Database,
  env: NodeJS.ProcessEnv,
): Promise<{ applied: readonly string[]; checkedOnly: boolean }> {
  const setting = env.FLOWDECK_MIGRATE_ON_START?.trim().toLowerCase();
  if (setting !== undefined && setting !== "" && !["true", "false"].includes(setting)) {
    throw new StartupError(
      "FD398",
      `FLOWDECK_MIGRATE_ON_START is "${env.FLOWDECK_MIGRATE_ON_START}"; it takes true or false.`,
    );
  }
  if (setting !== "false") {
    const report = await runServerMigrations(db);
    return { applied: report.applied, checkedOnly: false };
  }
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new StartupError(
      "FD394",
      `The database lacks ${pending.length} migration(s) this version needs (${pending.join(", ")}), and FLOWDECK_MIGRATE_ON_START=false.`,
    );
  }
  return { applied: [], checkedOnly: true };
}
