/** Runtime error codes (FD200–FD219 engine; FD220–FD239 models; FD240–FD259 http; FD260–FD279 store). */
export const ENGINE_ERRORS = {
  FD200:
    "A node failed after its retries; add an error edge to handle it, or fix the cause in the step trace.",
  FD201: "A node took longer than its timeout_ms; raise the timeout or make the step faster.",
  FD202: "No executor is installed for this node type; install the package that provides it.",
  FD203: "The subflow names a workflow that does not exist or is not published.",
  FD204: "Subflows call each other too deeply; look for a subflow that calls itself.",
  FD205: "The run took too many steps without waiting for the customer; check the loops in the flow.",
  FD206: "There is no such run for this tenant.",
  FD207: "The run is not waiting for a message, so it cannot be resumed with one.",
  FD208: "The run was cancelled.",
  FD209: "The workflow of this run is not valid; fix it and publish again.",
  FD210: "A CEL expression failed while running; check the values it reads in the step trace.",
  FD211: "A Liquid template failed while rendering; check the values it reads in the step trace.",
  FD212: "Nobody answered the ask within its timeout_minutes; add an error edge to follow up, or raise it.",
  FD213:
    "A template asked for a file (include, render, layout); templates cannot read files. Write the text in.",
  FD214:
    "A template or expression reached a work limit (loop size, run time, output, text for matches); make it do less.",
  // A note on a step, not a failure: the run goes on.
  FD215:
    "A message to the customer was blank, so nothing was sent; check what its template reads, or the model's answer, in the step trace.",
  FD216:
    "The model called a tool this agent does not list; nothing ran. List the tool node under the agent's tools.",
  FD217:
    "The model asked for more tool calls than the agent allows; the rest did not run. Raise max_tool_calls_*.",
  FD219:
    "The process executing this run died twice mid-run (out of memory, killed); see the run's error for what to check, then start a new run.",
} as const;

export type EngineErrorCode = keyof typeof ENGINE_ERRORS;

/**
 * Codes another try of the same step can change: a failure after retries (an unknown cause) and a timeout.
 * The rest are verdicts (bad config, a template or expression error or limit, a refused tool call, a run that
 * is gone or cancelled): repeating the step gives the same answer, so its `retry` is not spent on them.
 */
const RETRYABLE_ENGINE_CODES: ReadonlySet<EngineErrorCode> = new Set(["FD200", "FD201"]);

/** A failure the engine understands: stable code, a message for the step trace, a one-line hint. */
export class EngineError extends Error {
  readonly hint: string;
  /** Whether the node's `retry` may try the step again (see `RETRYABLE_ENGINE_CODES`). */
  readonly retryable: boolean;
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "EngineError";
    this.hint = ENGINE_ERRORS[code];
    this.retryable = RETRYABLE_ENGINE_CODES.has(code);
  }
}

/** `{ code, message }` for any thrown value, keeping codes that other layers (FD22x, FD24x …) already set. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      code: typeof code === "string" && /^FD\d{3}$/.test(code) ? code : "FD200",
      message: error.message,
    };
  }
  return { code: "FD200", message: String(error) };
}
