import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";

/** W3C trace context (`traceparent`, `tracestate`) as it travels inside a queue job's data. */
export type TraceCarrier = Readonly<Record<string, string>>;

/**
 * The active trace context as a carrier, or undefined when there is none to carry (no SDK registered: the
 * API's propagator injects nothing, so a job's data stays as it was).
 */
export function activeTraceCarrier(): TraceCarrier | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/**
 * Runs `work` under the context a job carried, so the worker's spans continue the trace of the request that
 * enqueued the job. Anything that is not a carrier of short strings is ignored (job data comes from Redis).
 */
export function withTraceCarrier<T>(carrier: unknown, work: () => T): T {
  if (!isCarrier(carrier)) return work();
  return context.with(propagation.extract(ROOT_CONTEXT, carrier), work);
}

function isCarrier(value: unknown): value is TraceCarrier {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.length <= 8 &&
    entries.every(([, item]) => typeof item === "string" && item.length <= 512)
  );
}
