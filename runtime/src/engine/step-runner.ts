import type { WorkflowNode } from "@flowdeck/schemas";
import type { ExecutionResult } from "@flowdeck/node-library/runtime";
import { abortableSleep } from "../resilience/abortable-sleep";
import { isRetryable } from "../resilience/retryable";
import { inStepSpan } from "../telemetry/step-span";
import type { EngineDeps } from "./engine-deps";
import { describeError, EngineError } from "./engine-errors";
import { StepContext } from "./step-context";
import type { StepRequest } from "./step-request";

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
        request.events.retrying(request.stepId, attempt, lastError, delay);
        await sleep(delay, request.signal);
      }
    }
  }
  return { ok: false, error: lastError, attempts };
}

function attemptOnce(request: StepRequest, attempt: number, deps: EngineDeps): Promise<ExecutionResult> {
  const timeoutMs = request.node.timeout_ms;
  // Without a timeout the run's own signal is the step's: no controller, listener, race or await per step.
  if (timeoutMs === undefined)
    return request.executor(new StepContext(request, attempt, deps, request.signal), request.config);
  return attemptWithTimeout(request, attempt, deps, timeoutMs);
}

async function attemptWithTimeout(
  request: StepRequest,
  attempt: number,
  deps: EngineDeps,
  timeoutMs: number,
): Promise<ExecutionResult> {
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
      request.executor(new StepContext(request, attempt, deps, controller.signal), request.config),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener("abort", onRunAbort);
  }
}
