import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openDatabase } from "@flowdeck/runtime";
import { DEFAULT_DATA_DIR } from "../config/server-config";
import { PlanChangeError, setTenantPlan } from "../plans/set-tenant-plan";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "./exit-codes";
import type { CliIo } from "./io";

/**
 * `flowdeck tenant set-plan TENANT PLAN`: the operator's door to plans (issue 19 item 5). TENANT is the tenant's
 * id or exact name. Opens DATABASE_URL (else the embedded database in FLOWDECK_DATA_DIR) as the schema owner,
 * changes the plan and writes its audit row together, and prints one JSON line. API processes read the new plan
 * within a minute (their plan caches); the runs-per-month meter within a second.
 */
export async function tenantCommand(
  io: CliIo,
  positionals: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [action, tenant, plan, ...extra] = positionals;
  if (action !== "set-plan" || !tenant || !plan || extra.length > 0) {
    throw new UsageError("usage: flowdeck tenant set-plan TENANT PLAN");
  }
  const dataDir = env.FLOWDECK_DATA_DIR ?? DEFAULT_DATA_DIR;
  if (!env.DATABASE_URL) await mkdir(join(dataDir, "pglite"), { recursive: true, mode: 0o700 });
  const db = await openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: join(dataDir, "pglite") },
  );
  try {
    const change = await setTenantPlan(db, tenant, plan, "cli");
    io.out(JSON.stringify({ event: "plan_changed", ...change }));
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof PlanChangeError)) throw error;
    io.err(`flowdeck: ${error.code} ${error.message}`);
    return EXIT_PROBLEMS;
  } finally {
    await db.close();
  }
}
