import type { RunRecord, StepRecord } from "@flowdeck/runtime";
import { EXIT_OK, EXIT_PROBLEMS, UsageError } from "./exit-codes";
import type { CliIo } from "./io";
import { openRuntimeOrReport } from "./open-runtime";

/** `flowdeck run FILE [--input JSON]`: one run on the embedded store; prints its messages, trace and output. */
export async function runCommand(file: string, inputJson: string | undefined, io: CliIo): Promise<number> {
  const input = parseInput(inputJson);
  const runtime = await openRuntimeOrReport(file, io);
  if (!runtime) return EXIT_PROBLEMS;
  try {
    const run = await runtime.engine.startRun({
      tenantId: runtime.tenantId,
      workflow: runtime.workflow,
      input,
      channel: "cli",
    });
    const events = await runtime.store.listEvents(runtime.tenantId, run.id);
    for (const event of events) if (event.type === "message.sent") io.out(`bot: ${String(event.data.text)}`);
    io.out("");
    io.out("steps:");
    for (const step of await runtime.store.listSteps(runtime.tenantId, run.id))
      io.out(`  ${describeStep(step)}`);
    io.out("");
    io.out(describeRun(run));
    return run.status === "failed" ? EXIT_PROBLEMS : EXIT_OK;
  } finally {
    await runtime.close();
  }
}

export function describeStep(step: StepRecord): string {
  const port = step.port ? ` → ${step.port}` : "";
  const tier = typeof step.details?.tier === "string" ? ` [${step.details.tier}]` : "";
  const error = step.error ? `  ${step.error.code} ${step.error.message}` : "";
  return `${step.stepId.padEnd(40)} ${step.nodeType.padEnd(18)} ${step.status}${port}${tier}${error}`;
}

export function describeRun(run: RunRecord): string {
  switch (run.status) {
    case "completed":
      return `completed: ${JSON.stringify(run.output)}`;
    case "waiting":
      return `waiting for the customer's answer (run ${run.id}); use "flowdeck chat" to converse`;
    case "handoff":
      return `handed off to a human (run ${run.id})`;
    case "failed":
      return `failed: ${run.error?.code ?? ""} ${run.error?.message ?? ""}`;
    default:
      return run.status;
  }
}

function parseInput(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--input is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError('--input must be a JSON object, like {"message": "Where is my order?"}');
  }
  return value as Record<string, unknown>;
}
