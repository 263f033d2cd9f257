import type { ModelGateway, NodeExecutor, SafeHttpClient } from "@flowdeck/node-library/runtime";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import type { Workflow } from "@flowdeck/schemas";
import { createDatabaseEngine, resolveFrom } from "../../src/engine/database-engine";
import type { EngineDeps } from "../../src/engine/engine-deps";
import type { Engine } from "../../src/engine/engine";
import type { RunEvent } from "../../src/engine/run-types";
import { createWorkflowLibrary } from "../../src/engine/workflow-library";
import { createModelGateway } from "../../src/models/model-gateway";
import type { SqlRunStore } from "../../src/store/sql-run-store";
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from "./test-database";
import { testkitExecutors, testkitPlugin } from "./testkit-nodes";

export interface HarnessOptions {
  readonly kind: TestDatabaseKind;
  /** YAML texts; each must validate (with the built-ins and the testkit nodes). */
  readonly workflows: readonly string[];
  readonly models?: ModelGateway;
  /** The HTTP client tool.http uses (default: the engine's, which refuses loopback). */
  readonly http?: SafeHttpClient;
  readonly executors?: Readonly<Record<string, NodeExecutor>>;
  readonly afterStep?: EngineDeps["afterStep"];
  /** Seed the tenant with the demo shop (orders, KB articles). */
  readonly seed?: boolean;
  /** Called as each batch is published, after `events` holds it (a channel's view of the run). */
  readonly onEvents?: EngineDeps["onEvents"];
}

export interface Harness {
  readonly engine: Engine;
  readonly store: SqlRunStore;
  readonly database: TestDatabase;
  readonly tenantId: string;
  readonly testkit: ReturnType<typeof testkitExecutors>;
  /** Live and committed events, in the order the engine published them. */
  readonly events: Array<{ runId: string; event: RunEvent }>;
  workflow(name: string): Workflow;
  /** Messages sent to the customer in this run, from the committed event log. */
  messages(runId: string): Promise<string[]>;
  /** A second engine on the same database, as a restarted process would have. */
  restart(options?: { afterStep?: EngineDeps["afterStep"] }): Engine;
  close(): Promise<void>;
}

/** An engine on a fresh test database (pg or PGlite), a seeded tenant and the given workflows. */
export async function createHarness(options: HarnessOptions): Promise<Harness> {
  const database = await createTestDatabase(options.kind);
  const tenantId = await database.createTenant("Acme Outfitters", { seed: options.seed ?? false });
  const registry = createBuiltinRegistry().use(testkitPlugin);
  const library = createWorkflowLibrary(registry.catalog());
  for (const [i, text] of options.workflows.entries()) library.add(text, `workflow ${i + 1}`);
  const testkit = testkitExecutors();
  const events: Harness["events"] = [];
  const models = options.models ?? createModelGateway({ env: {} });
  const build = (afterStep?: EngineDeps["afterStep"]) =>
    createDatabaseEngine({
      db: database.db,
      registry,
      executors: { ...testkit.executors, ...options.executors },
      resolveWorkflow: resolveFrom((name) => library.get(name)),
      models: () => models,
      ...(options.http ? { http: () => options.http as SafeHttpClient } : {}),
      onEvents: (tenant, runId, list, conversationId, committed, channel) => {
        events.push(...list.map((event) => ({ runId, event })));
        options.onEvents?.(tenant, runId, list, conversationId, committed, channel);
      },
      sleep: () => Promise.resolve(),
      ...(afterStep ? { afterStep } : {}),
    });
  const first = build(options.afterStep);
  return {
    engine: first.engine,
    store: first.store,
    database,
    tenantId,
    testkit,
    events,
    workflow(name) {
      const workflow = library.get(name);
      if (!workflow) throw new Error(`no workflow ${name} in the harness`);
      return workflow;
    },
    async messages(runId) {
      const stored = await first.store.listEvents(tenantId, runId);
      return stored.filter((e) => e.type === "message.sent").map((e) => String(e.data.text));
    },
    restart: (restartOptions = {}) => build(restartOptions.afterStep).engine,
    close: () => database.close(),
  };
}
