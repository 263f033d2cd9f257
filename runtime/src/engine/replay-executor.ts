import type { ExecutionContext, ExecutionResult, NodeExecutor } from "@flowdeck/node-library/runtime";
import type { EngineDeps } from "./engine-deps";
import { hasOutsideEffect } from "./replay-effects";
import { replayedRunId } from "./run-mode";
import type { RunRecord, StepRecord } from "./run-types";

/** How a replay answered a step that would have had an effect; kept in the step's `details.replay`. */
export type ReplayAnswer = "recorded" | "dry_run";

/**
 * A replay's executors (issue 16: a replayed conversation opened real tickets): a step that would change
 * something (replay-effects.ts) answers with the original run's recorded output when the original has a
 * completed step with the same id (same flow path, node and visit, so the same place in the conversation) and
 * the same node type; otherwise it renders what it would have sent and answers `{ dry_run: true, request }`.
 * Either way the real executor is not called, so no domain service, network call or idempotency claim
 * happens. Reads (lookups, kb search, HTTP GET) and models run for real: a replay exists to compare what the
 * flow would answer now.
 */
export function replayExecutors(
  deps: Pick<EngineDeps, "executors" | "registry" | "store">,
  run: Pick<RunRecord, "tenantId" | "channel">,
): Record<string, NodeExecutor> {
  const originalId = replayedRunId(run.channel);
  let recorded: Promise<ReadonlyMap<string, StepRecord>> | undefined;
  // Read once per activation and only when a step needs it; RLS keeps it inside the replay's tenant.
  const original = () =>
    (recorded ??= originalId
      ? deps.store
          .listSteps(run.tenantId, originalId)
          .then((steps) => new Map(steps.map((step) => [step.stepId, step])))
      : Promise.resolve(new Map()));
  const executors: Record<string, NodeExecutor> = {};
  for (const [type, executor] of Object.entries(deps.executors)) {
    executors[type] = (ctx, config) =>
      hasOutsideEffect(deps.registry, type, config as Record<string, unknown>)
        ? answerWithoutEffect(ctx, type, config as Record<string, unknown>, original)
        : executor(ctx, config);
  }
  return executors;
}

async function answerWithoutEffect(
  ctx: ExecutionContext,
  type: string,
  config: Readonly<Record<string, unknown>>,
  original: () => Promise<ReadonlyMap<string, StepRecord>>,
): Promise<ExecutionResult> {
  const step = (await original()).get(ctx.stepId);
  if (step && step.status === "completed" && step.nodeType === type) {
    return {
      output: step.output,
      ...(step.port ? { port: step.port } : {}),
      details: { replay: "recorded" satisfies ReplayAnswer, originalStepId: step.stepId },
    };
  }
  const request = { type, ...redactHeaders(await renderStrings(ctx, config)) };
  return {
    output: { dry_run: true, request },
    port: "out",
    details: { replay: "dry_run" satisfies ReplayAnswer, request },
  };
}

/** The config with every text rendered against the run, as the executor would have sent it. */
async function renderStrings(ctx: ExecutionContext, value: unknown): Promise<Record<string, unknown>> {
  const rendered = await renderValue(ctx, value);
  return rendered && typeof rendered === "object" && !Array.isArray(rendered)
    ? (rendered as Record<string, unknown>)
    : {};
}

async function renderValue(ctx: ExecutionContext, value: unknown): Promise<unknown> {
  if (typeof value === "string") return ctx.render(value);
  if (Array.isArray(value)) return Promise.all(value.map((item) => renderValue(ctx, item)));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await renderValue(ctx, item);
    return out;
  }
  return value;
}

// The trace is read by every member of the tenant; credentials a request would carry are not copied into it.
const SECRET_HEADER = /authorization|cookie|token|secret|key|signature|password/i;

function redactHeaders(request: Record<string, unknown>): Record<string, unknown> {
  const headers = request.headers;
  if (!headers || typeof headers !== "object" || Array.isArray(headers)) return request;
  const redacted = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, SECRET_HEADER.test(name) ? "[redacted]" : value]),
  );
  return { ...request, headers: redacted };
}
