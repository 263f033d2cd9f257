import { readFile } from "node:fs/promises";
import { routeMessage, type RouterConfig } from "@flowdeck/node-library/runtime";
import { createModelGateway } from "@flowdeck/runtime";
import { createWorkflowValidator } from "@flowdeck/schemas";
import Value from "typebox/value";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "./exit-codes";
import type { CliIo } from "./io";
import { readWorkflowFile } from "./io";
import { loadNodeTypes } from "../node-packages/load-node-packages";
import { formatProblem } from "./validate-command";

/**
 * `flowdeck route FILE NODE`: one JSON line per input line, `{"route", "confidence", "tier"}`, from the router
 * node's intents. The LLM tier is used only when a model key is configured (OPENAI_API_KEY).
 */
export async function routeCommand(
  file: string,
  nodeName: string,
  io: CliIo,
  lines: AsyncIterable<string>,
): Promise<number> {
  await readWorkflowFile(file);
  const { registry } = await loadNodeTypes();
  const result = createWorkflowValidator(registry.catalog()).validate(await readFile(file, "utf8"));
  if (!result.workflow) {
    for (const problem of result.problems) io.out(formatProblem(file, problem));
    return EXIT_PROBLEMS;
  }
  const node = result.workflow.nodes.find((n) => n.name === nodeName);
  if (!node || node.type !== "router") {
    const routers = result.workflow.nodes.filter((n) => n.type === "router").map((n) => n.name);
    throw new UsageError(
      `${file} has no router node "${nodeName}"${routers.length ? ` (routers: ${routers.join(", ")})` : ""}`,
    );
  }
  const config = Value.Default(
    registry.get("router")!.config,
    structuredClone(node.config ?? {}),
  ) as RouterConfig;
  const models = createModelGateway();
  const signal = new AbortController().signal;
  for await (const line of lines) {
    const message = line.trim();
    if (message === "") continue;
    const routed = await routeMessage(config, message, { models, signal });
    io.out(
      JSON.stringify({
        route: routed.route,
        confidence: Number(routed.confidence.toFixed(4)),
        tier: routed.tier,
      }),
    );
  }
  return EXIT_OK;
}
