import type { WorkflowNode } from "@flowdeck/schemas";
import type {
  ExecutionContext,
  ExecutionResult,
  ExecutorEvent,
  NodeExecutor,
  ResumeInput,
  RunScope,
  TenantView,
  ToolInvoker,
} from "@flowdeck/node-library/runtime";
import { abortableSleep } from "../resilience/abortable-sleep";
import { isRetryable } from "../resilience/retryable";
import { traceHttp } from "../telemetry/traced-http";
import { traceModels } from "../telemetry/traced-models";
import { inStepSpan } from "../telemetry/step-span";
import type { EngineDeps } from "./engine-deps";
import { describeError, EngineError } from "./engine-errors";
import { evaluateExpression, renderTemplate } from "./scope";

export interface StepRequest {
  readonly tenant: TenantView;
  readonly runId: string;
  readonly stepId: string;
  readonly node: WorkflowNode;
  readonly config: Record<string, unknown>;
  readonly executor: NodeExecutor;
  readonly scope: RunScope;
  readonly resume?: ResumeInput;
  readonly signal: AbortSignal;
  readonly tools: ToolInvoker;
  readonly emit: (event: ExecutorEvent) => void;
  /** Told before each retry, so the trace shows it. */
  readonly onRetry: (attempt: number, error: { code: string; message: string }, delayMs: number) => void;
}

export type StepOutcome =
  | { readonly ok: true; readonly result: ExecutionResult; readonly attempts: number }
  | { readonly ok: false; readonly error: { code: string; message: string }; readonly attempts: number };

const DEFAULT_BACKOFF_MS = 500;

/** Delay before try `attempt + 1` (attempt is 1-based), per the node's retry policy. */
export function backoffDelayMs(node: WorkflowNode, attempt: number): number {
  const base = node.retry?.backoff_ms ?? DEFAULT_BACKOFF_MS;
  const delay = node.retry?.backoff === "fixed" ? base : base * 2 ** (attempt - 1);
  return Math.min(delay, node.retry?.max_backoff_ms ?? Number.POSITIVE_INFINITY);
}

/**
 * Runs one node: builds its context, applies its timeout to every try, retries with backoff, and turns every
 * failure into `{ code, message }`. Cancellation of the run is not a failure: it propagates. A failure whose
 * error says `retryable: false` (a refused host, a 4xx other than 408/429, a template error …) ends the step at
 * once: another try would get the same answer, later, and hit the other side again.
 */
export function runStep(request: StepRequest, deps: EngineDeps): Promise<StepOutcome> {
  // Each step is a span (a no-op without the SDK); its model and HTTP calls nest under it.
  return inStepSpan(request.node, request.stepId, () => runTries(request, deps));
}

async function runTries(request: StepRequest, deps: EngineDeps): Promise<StepOutcome> {
  const attempts = Math.max(1, request.node.retry?.attempts ?? 1);
  const sleep = deps.sleep ?? abortableSleep;
  let lastError = { code: "FD200", message: "not run" };
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const result = await attemptOnce(request, attempt, deps);
      return { ok: true, result, attempts: attempt };
    } catch (error) {
      if (request.signal.aborted) throw request.signal.reason ?? error;
      lastError = describeError(error);
      if (!isRetryable(error)) return { ok: false, error: lastError, attempts: attempt };
      if (attempt < attempts) {
        const delay = backoffDelayMs(request.node, attempt);
        request.onRetry(attempt, lastError, delay);
        await sleep(delay, request.signal);
      }
    }
  }
  return { ok: false, error: lastError, attempts };
}

async function attemptOnce(
  request: StepRequest,
  attempt: number,
  deps: EngineDeps,
): Promise<ExecutionResult> {
  const timeoutMs = request.node.timeout_ms;
  // Without a timeout the run's own signal is the step's: no controller, listener or race per step.
  if (timeoutMs === undefined)
    return request.executor(stepContext(request, attempt, deps, request.signal), request.config);
  const controller = new AbortController();
  const onRunAbort = () => controller.abort(request.signal.reason);
  request.signal.addEventListener("abort", onRunAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new EngineError("FD201", `"${request.node.name}" did not finish within ${timeoutMs} ms.`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      request.executor(stepContext(request, attempt, deps, controller.signal), request.config),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", onRunAbort);
  }
}

/**
 * The executor's context. Models, the HTTP client and the domain services are built on first use: most steps
 * (start, set, condition, end) never touch them, and building them for every step was a measurable share of a
 * short run's CPU.
 */
function stepContext(
  request: StepRequest,
  attempt: number,
  deps: EngineDeps,
  signal: AbortSignal,
): ExecutionContext {
  const tenantId = request.tenant.id;
  let models: ExecutionContext["models"] | undefined;
  let http: ExecutionContext["http"] | undefined;
  let services: ExecutionContext["services"] | undefined;
  return {
    signal,
    log: deps.log,
    tenant: request.tenant,
    runId: request.runId,
    stepId: request.stepId,
    idempotencyKey: `${request.runId}:${request.stepId}`,
    node: { name: request.node.name, type: request.node.type },
    attempt,
    scope: request.scope,
    get models() {
      return (models ??= traceModels(deps.models(tenantId)));
    },
    get http() {
      return (http ??= traceHttp(deps.http(tenantId)));
    },
    get services() {
      return (services ??= deps.services(tenantId));
    },
    ...(deps.credentials ? { credentials: deps.credentials(tenantId) } : {}),
    render: (template, extra) => renderTemplate(template, request.scope, extra),
    evaluate: (expression, extra) => evaluateExpression(expression, request.scope, extra),
    emit: request.emit,
    tools: request.tools,
    ...(request.resume ? { resume: request.resume } : {}),
  };
}
