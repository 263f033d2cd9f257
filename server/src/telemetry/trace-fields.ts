import { isSpanContextValid, trace } from "@opentelemetry/api";

/**
 * `trace_id` and `span_id` of the active span for a log line, when there is one (only with the SDK started:
 * without it no context is ever active). Also after the span ended: the request's own log line is written on
 * `finish`, after the HTTP span has closed. Lets a log line be found from a trace and the other way round.
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return {};
  return { trace_id: context.traceId, span_id: context.spanId };
}
