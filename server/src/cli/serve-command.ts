import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { defaultEditorDistDir } from "../app/editor-static";
import { startServer } from "../app/start-server";
import { silentServerLogger } from "../kit/logger";
import { loadNodeTypes } from "../node-packages/load-node-packages";
import { DEMO_LOGIN, ensureDemoTenant } from "../demo/demo-tenant";
import { EXIT_OK, EXIT_PROBLEMS } from "./exit-codes";
import type { CliIo } from "./io";

export interface ServeOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0: any free port). */
  readonly port?: number;
  /** Stops the server; by default SIGINT or SIGTERM. */
  readonly signal?: AbortSignal;
}

function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => controller.abort());
  return controller.signal;
}

const WORKFLOWS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../workflows");

/**
 * `npm start` grows with the product. Today it checks the demo workflows, lists the node palette, starts the
 * API server (accounts and auth so far) on the embedded database with a demo tenant, and says plainly what is
 * not built yet.
 */
export async function serveCommand(io: CliIo, options: ServeOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  // Loaded once: the palette printed here and the server below use the same node types.
  const nodeTypes = await loadNodeTypes(env);
  const { registry } = nodeTypes;
  const validator = createWorkflowValidator(registry.catalog());
  const files = (await readdir(WORKFLOWS_DIR)).filter((f) => f.endsWith(".yaml")).sort();
  io.out("Flowdeck — what exists today");
  io.out("");
  io.out(`Node library: ${registry.list().length} node types`);
  for (const def of registry.list())
    io.out(`  ${def.type.padEnd(20)} ${def.meta.title} — ${def.meta.description}`);
  io.out("");
  io.out(`Demo workflows (${relative(process.cwd(), WORKFLOWS_DIR) || "."}):`);
  let errors = 0;
  for (const file of files) {
    const result = validator.validate(await io.readText(join(WORKFLOWS_DIR, file)));
    errors += result.errorCount;
    const nodes = result.workflow?.nodes.length ?? 0;
    io.out(
      `  ${file.padEnd(34)} ${result.errorCount === 0 ? "valid" : `${result.errorCount} error(s)`}, ${nodes} nodes, ${result.warningCount} warning(s)`,
    );
  }
  io.out("");
  io.out("Try a conversation with the demo shop (offline model unless OPENAI_API_KEY is set):");
  io.out("  pnpm flowdeck chat workflows/customer_support_workflow.yaml");
  io.out("  pnpm flowdeck validate workflows/*.yaml   ·   pnpm flowdeck route FILE NODE   ·   pnpm bench");
  if (errors > 0) return EXIT_PROBLEMS;

  const port = options.port === undefined ? {} : { port: options.port };
  const server = await startServer({ env, log: silentServerLogger, nodeTypes, ...port });
  const demo =
    env.FLOWDECK_DEMO === "0" ? undefined : await ensureDemoTenant(server.db, { serverUrl: server.url });
  const where = env.DATABASE_URL
    ? "PostgreSQL (DATABASE_URL)"
    : `embedded PGlite in ${env.FLOWDECK_DATA_DIR ?? "./.flowdeck"}`;
  io.out("");
  io.out(
    existsSync(join(defaultEditorDistDir(), "index.html"))
      ? `Editor: ${server.url}/`
      : "Editor: not built (pnpm --filter @flowdeck/editor build; npm start builds it)",
  );
  io.out(`API server: ${server.url}   (OpenAPI: ${server.url}/docs, health: ${server.url}/healthz)`);
  io.out(`Database: ${where}`);
  io.out(
    `Runs: ${server.runs.driver} queue${server.runs.driver === "inline" ? " (in this process; set REDIS_URL for BullMQ)" : ""}`,
  );
  if (demo) {
    const note = demo.created ? " (created with the demo shop's data)" : "";
    io.out(`Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}${note}`);
    if (demo.published.length > 0) io.out(`Published demo workflows: ${demo.published.join(", ")}`);
  }
  io.out("");
  io.out("Press Ctrl+C to stop.");
  const stop = options.signal ?? shutdownSignal();
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    else stop.addEventListener("abort", () => resolve(), { once: true });
  });
  await server.close();
  return EXIT_OK;
}
