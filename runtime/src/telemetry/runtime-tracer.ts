import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from "@opentelemetry/api";

/**
 * The runtime's spans go through the OpenTelemetry API only: without a registered SDK (no
 * OTEL_EXPORTER_OTLP_ENDPOINT, `npm start`, tests) every call below is the API's no-op, so the engine pays a
 * function call and a non-recording span object per span, nothing more. The server's process starts the SDK.
 */
export const runtimeTracer: Tracer = trace.getTracer("@flowdeck/runtime");

export interface SpanOptions {
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
}

/**
 * Runs `work` inside an active span (its children nest under it) and ends the span when `work` settles. A
 * thrown error marks the span as an error with its stable code only: error messages may quote customer text
 * or a template, and span attributes must never carry either.
 */
export function inSpan<T>(name: string, options: SpanOptions, work: (span: Span) => Promise<T>): Promise<T> {
  return runtimeTracer.startActiveSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        markFailed(span, errorCode(error));
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Error status with a stable code (`FD2xx`, or the error's class name when it has none). */
export function markFailed(span: Span, code: string): void {
  span.setAttribute("error.type", code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

function errorCode(error: unknown): string {
  if (error !== null && typeof error === "object") {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z0-9_]{1,32}$/.test(code)) return code;
    if (error instanceof Error) return error.name;
  }
  return "Error";
}
