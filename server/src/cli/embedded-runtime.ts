import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  createDatabaseEngine,
  createPgliteDatabase,
  createTenant,
  createWorkflowLibrary,
  InvalidWorkflowError,
  resolveFrom,
  runMigrations,
  seedDemoData,
  type Engine,
  type RunEvent,
  type SqlRunStore,
  type WorkflowLibrary,
} from "@flowdeck/runtime";
import type { Workflow } from "@flowdeck/schemas";
import { loadNodeTypes } from "../node-packages/load-node-packages";

export interface EmbeddedRuntime {
  readonly engine: Engine;
  readonly store: SqlRunStore;
  readonly tenantId: string;
  readonly workflow: Workflow;
  readonly library: WorkflowLibrary;
  close(): Promise<void>;
}

/**
 * The CLI's runtime: PGlite in memory with the same migrations as the server, one demo tenant seeded with the
 * demo shop (so order and knowledge-base tools have data), and every workflow in the file's folder available
 * as a subflow. The file itself must validate; a sibling that does not is skipped (it is not what was asked).
 */
export async function openEmbeddedRuntime(
  file: string,
  onEvents?: (runId: string, events: readonly RunEvent[]) => void,
): Promise<EmbeddedRuntime> {
  // Built-ins plus FLOWDECK_NODE_PACKAGES, as the server runs them.
  const { registry, executors } = await loadNodeTypes();
  const library = createWorkflowLibrary(registry.catalog());
  const target = resolve(file);
  const workflow = library.add(await readFile(target, "utf8"), file);
  const folder = dirname(target);
  for (const name of (await readdir(folder)).filter((f) => f.endsWith(".yaml") && f !== basename(target))) {
    try {
      const sibling = library.add(await readFile(join(folder, name), "utf8"), name);
      // The file being run wins over a sibling that happens to share its name.
      if (sibling.name === workflow.name) library.add(await readFile(target, "utf8"), file);
    } catch (error) {
      if (!(error instanceof InvalidWorkflowError)) throw error;
    }
  }
  const db = await createPgliteDatabase();
  await runMigrations(db);
  const tenant = await createTenant(db, { name: "Acme Outfitters", plan: "pro" });
  await seedDemoData(db, tenant.id);
  const { engine, store } = createDatabaseEngine({
    db,
    registry,
    executors,
    resolveWorkflow: resolveFrom((name) => library.get(name)),
    ...(onEvents
      ? { onEvents: (_tenant: string, runId: string, events: readonly RunEvent[]) => onEvents(runId, events) }
      : {}),
  });
  return { engine, store, tenantId: tenant.id, workflow, library, close: () => db.close() };
}
