/**
 * Whether another try of a failed call can help, read from the error's typed `retryable` property (node-library's
 * `RetryableFailure` contract), never from its message. Every Flowdeck error sets it: HttpError, ToolHttpError,
 * ModelError, EngineError, StoreError. An error without it (a third-party executor's plain Error, a driver's
 * connection error) counts as retryable, as every failure did before errors said so: an unknown failure is
 * more often a blip than a verdict, and the node's `retry.attempts` bounds the cost.
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return true;
  const flag = (error as { retryable?: unknown }).retryable;
  return typeof flag === "boolean" ? flag : true;
}
