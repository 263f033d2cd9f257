import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join, relative } from "node:path";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { EXIT_OK, EXIT_PROBLEMS } from "./exit-codes";
import type { CliIo } from "./io";

const WORKFLOWS_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../workflows");

/**
 * `npm start` grows with the product. Today the language and the node library exist, so it checks the demo
 * workflows with them, lists the node palette and says plainly what is not built yet.
 */
export async function serveCommand(io: CliIo): Promise<number> {
  const registry = createBuiltinRegistry();
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
  io.out("Try: pnpm flowdeck validate workflows/*.yaml   ·   pnpm flowdeck schema   ·   pnpm bench");
  io.out("");
  io.out("Not built yet: the engine and the offline/OpenAI model providers (issue 3), the API server with");
  io.out(
    "accounts, demo tenant and embedded database (issue 4), chat channels and the widget (issue 5), the editor",
  );
  io.out("(issue 6) and queue mode on BullMQ (issue 7). This command will start them as they land.");
  return errors > 0 ? EXIT_PROBLEMS : EXIT_OK;
}
