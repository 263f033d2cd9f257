import { parseArgs } from "node:util";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { StartupError } from "../config/startup-error";
import { loadNodeTypes } from "../node-packages/load-node-packages";
import { EXIT_OK, EXIT_USAGE, UsageError } from "./exit-codes";
import { formatCommand } from "./format-command";
import { migrateCommand } from "./migrate-command";
import { chatCommand } from "./chat-command";
import { processIo, stdinLines, type CliIo } from "./io";
import { routeCommand } from "./route-command";
import { runCommand } from "./run-command";
import { serveCommand } from "./serve-command";
import { tenantCommand } from "./tenant-command";
import { validateCommand } from "./validate-command";
import { workerCommand } from "./worker-command";

const USAGE = `Usage: flowdeck <command> [options]

Commands:
  validate FILE…          check workflow files; prints FILE:LINE:COL SEVERITY CODE message
  format [--check] FILE…  rewrite files in the canonical layout, keeping comments
  schema                  print the JSON Schema of workflow files
  run FILE [--input JSON] run a workflow once on the embedded store; prints messages, steps, output
  chat FILE               chat with a workflow in the terminal
  route FILE NODE         route each stdin line with a router node; prints {"route","confidence","tier"}
  serve                   start Flowdeck (what exists so far; npm start runs this)
  worker                  execute queued runs from Redis (needs REDIS_URL and DATABASE_URL)
  migrate [--check]       apply pending database migrations and exit (--check: list them, exit 1 if any)
  tenant set-plan TENANT PLAN
                          the operator changes a tenant's plan (id or exact name; free, pro, enterprise), audited

Exit codes: 0 ok, 1 problems found, 2 usage or file error.`;

function exactly(positionals: readonly string[], count: number, usage: string): readonly string[] {
  if (positionals.length !== count) throw new UsageError(`usage: flowdeck ${usage}`);
  return positionals;
}

export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  lines: () => AsyncIterable<string> = stdinLines,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        check: { type: "boolean", default: false },
        input: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (
      command === undefined ||
      command === "help" ||
      command === "--help" ||
      command === "-h" ||
      values.help
    ) {
      io.out(USAGE);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const needFiles = () => {
      if (positionals.length === 0) throw new UsageError(`${command} needs at least one FILE`);
      return positionals;
    };
    // FLOWDECK_NODE_PACKAGES: packages' node types validate and show in the schema like built-ins (FD395 if broken).
    const nodeTypes = () => loadNodeTypes();
    switch (command) {
      case "validate":
        return await validateCommand(
          needFiles(),
          createWorkflowValidator((await nodeTypes()).registry.catalog()),
          io,
        );
      case "format":
        return await formatCommand(needFiles(), values.check === true, io);
      case "schema":
        io.out(
          JSON.stringify(createWorkflowValidator((await nodeTypes()).registry.catalog()).schema, null, 2),
        );
        return EXIT_OK;
      case "run":
        return await runCommand(exactly(positionals, 1, "run FILE")[0]!, values.input, io);
      case "chat":
        return await chatCommand(exactly(positionals, 1, "chat FILE")[0]!, io, lines());
      case "route": {
        const [file, node] = exactly(positionals, 2, "route FILE NODE");
        return await routeCommand(file!, node!, io, lines());
      }
      case "serve":
        return await serveCommand(io);
      case "worker":
        return await workerCommand(io);
      case "migrate":
        exactly(positionals, 0, "migrate [--check]");
        return await migrateCommand(io, { check: values.check === true });
      case "tenant":
        return await tenantCommand(io, positionals);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    // A start refused for its configuration (secret files, missing secrets): the code, the fix, no stack.
    if (error instanceof StartupError) {
      io.err(`flowdeck: ${error.code} ${error.message}`);
      io.err(`  ${error.hint}`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`flowdeck: ${(error as Error).message}`);
      io.err(`Run "flowdeck help" for usage.`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

// Run only when executed directly (tests import runCli).
if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `flowdeck: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(EXIT_USAGE);
    },
  );
}
