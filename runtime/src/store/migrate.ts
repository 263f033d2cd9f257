import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./database";
import { StoreError } from "./store-errors";

export interface Migration {
  /** Sort key and identity, e.g. `0003_runs` (the file name without `.sql`). Never rename an applied one. */
  readonly id: string;
  readonly sql: string;
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** runtime/migrations: roles, tenants, runs, domain tables. The server adds its own folder with ids ≥ 1000. */
export const RUNTIME_MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

// Any constant works; it only has to be the same for every process migrating the same database.
const MIGRATION_LOCK_KEY = 7_301_260;

/** Every `*.sql` file of a folder, sorted by name. */
export async function loadMigrations(directory: string = RUNTIME_MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((name) => name.endsWith(".sql")).sort();
  return Promise.all(
    files.map(async (file) => ({
      id: file.slice(0, -4),
      sql: await readFile(join(directory, file), "utf8"),
    })),
  );
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in id order, each in its own owner
 * transaction together with its record, so a failed migration leaves nothing half-applied. An advisory lock
 * makes concurrent starters (two server processes) take turns. A recorded migration whose text changed is
 * refused (FD263): the database would silently differ from what the file says, unless the new text names the
 * old one's checksum in a `-- replaces checksum <sha256>` line: an edit whose effect a later migration makes
 * anyway (a statement on a table that a later migration drops).
 */
export async function runMigrations(
  db: Database,
  migrations?: readonly Migration[],
): Promise<MigrationReport> {
  const list = [...(migrations ?? (await loadMigrations()))].sort((a, b) => (a.id < b.id ? -1 : 1));
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  for (const migration of list) {
    const checksum = createHash("sha256").update(migration.sql).digest("hex");
    const ran = await db.ownerTransaction(async (sql) => {
      await sql.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      await sql.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           id text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await sql.query<{ checksum: string }>(
        "SELECT checksum FROM schema_migrations WHERE id = $1",
        [migration.id],
      );
      const recorded = rows[0];
      if (recorded) {
        if (recorded.checksum !== checksum && !replacedChecksums(migration.sql).has(recorded.checksum)) {
          throw new StoreError("FD263", `Migration ${migration.id} changed after it was applied.`);
        }
        return false;
      }
      await sql.exec(migration.sql);
      await sql.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [
        migration.id,
        checksum,
      ]);
      return true;
    });
    (ran ? applied : alreadyApplied).push(migration.id);
  }
  return { applied, alreadyApplied };
}

const REPLACES = /^-- replaces checksum ([0-9a-f]{64})$/gm;

/** The checksums of earlier texts of a migration that its current text stands for (see runMigrations). */
function replacedChecksums(sql: string): Set<string> {
  return new Set([...sql.matchAll(REPLACES)].map((match) => match[1]!));
}
