/**
 * A process that runs one workflow and kills itself with SIGKILL after step N — a real process death, with no
 * `finally`, no pending promise and no commit after that point. Used by the crash-recovery test:
 *   tsx crash-child.ts <databaseUrl> <tenantId> <runId> <crashAfterStep> <workflow yaml file>
 */
import { readFileSync } from "node:fs";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { createModelGateway } from "../../src/models/model-gateway";
import { createDatabaseEngine, resolveFrom } from "../../src/engine/database-engine";
import { createWorkflowLibrary } from "../../src/engine/workflow-library";
import { createPgDatabase } from "../../src/store/pg-database";

const [url, tenantId, runId, crashAfter, file] = process.argv.slice(2);
const library = createWorkflowLibrary(createBuiltinRegistry().catalog());
const workflow = library.add(readFileSync(file!, "utf8"));
const db = createPgDatabase({ connectionString: url!, maxConnections: 2 });
let steps = 0;
const { engine } = createDatabaseEngine({
  db,
  resolveWorkflow: resolveFrom((name) => library.get(name)),
  models: () => createModelGateway({ env: {} }),
  afterStep: () => {
    steps += 1;
    if (steps === Number(crashAfter)) process.kill(process.pid, "SIGKILL");
  },
});
await engine.startRun({
  tenantId: tenantId!,
  workflow,
  input: { message: "printer on fire" },
  runId: runId!,
});
await db.close();
