/** Queue and worker error codes (FD280–FD299; DESIGN.md §7), each with a one-line fix hint. */
export const QUEUE_ERRORS = {
  FD280: "The queue is closed; create a new one (or restart the process) before enqueueing.",
  FD281: "Redis did not answer in time; check REDIS_URL and that Redis is running, the outbox will retry.",
  FD282: "A queue option is out of range; see the option's documented default and units.",
  FD283: "A job's data is not { tenantId, runId } with UUIDs; enqueue through RunQueue, not by hand.",
  FD284: "The worker is missing configuration; set DATABASE_URL and REDIS_URL.",
} as const;

export type QueueErrorCode = keyof typeof QUEUE_ERRORS;

/** A failure of the queue layer: stable code, message for logs, one-line hint. */
export class QueueError extends Error {
  readonly hint: string;
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "QueueError";
    this.hint = QUEUE_ERRORS[code];
  }
}

/** Rejects with FD281 when `promise` takes longer than `timeoutMs`; the outbox must not hold rows forever. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new QueueError("FD281", `${what} took longer than ${timeoutMs} ms.`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
