/** A started OpenTelemetry SDK; `shutdown` flushes the spans still buffered. */
export interface Telemetry {
  readonly serviceName: string;
  /** Where traces go (`…/v1/traces`). */
  readonly tracesUrl: string;
  shutdown(): Promise<void>;
}

export interface StartTelemetryOptions {
  /** Where OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and OTEL_SERVICE_NAME are read. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** OTEL_SERVICE_NAME's default: `flowdeck-api` or `flowdeck-worker`. */
  readonly defaultServiceName: string;
}

// One SDK per process (it registers the global tracer provider, context manager and propagator): a second
// start in the same process (tests that start several servers) shares the first, and the last shutdown ends it.
let shared: { telemetry: Telemetry; users: number } | undefined;

/**
 * Starts tracing when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, else
 * returns undefined and registers nothing, so `npm start` runs as before and the runtime's spans stay the
 * API's no-ops. Spans leave over OTLP/HTTP with JSON bodies through a batch processor; the other standard
 * OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES)
 * are read by the SDK from the process environment. Only traces: no metrics (Prometheus has them) and no
 * log exporter (logs go to stdout with trace_id). Spans are created by hand, no auto-instrumentation: it
 * patches modules at load time, which under ESM needs a loader hook and depends on import order.
 */
export async function startTelemetry(options: StartTelemetryOptions): Promise<Telemetry | undefined> {
  const env = options.env ?? process.env;
  const tracesUrl = tracesEndpoint(env);
  if (!tracesUrl) return undefined;
  const joined = joinShared();
  if (joined) return joined;
  // Loaded only now: a process without tracing never loads the SDK (about 50 modules, grpc's protobufs among them).
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
  ]);
  // Another start may have finished while this one loaded the SDK.
  const joinedLater = joinShared();
  if (joinedLater) return joinedLater;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || options.defaultServiceName;
  const sdk = new NodeSDK({
    serviceName,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl }),
    instrumentations: [],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  const telemetry: Telemetry = {
    serviceName,
    tracesUrl,
    shutdown: () => sdk.shutdown(),
  };
  shared = { telemetry, users: 1 };
  return handle(telemetry);
}

function joinShared(): Telemetry | undefined {
  if (!shared) return undefined;
  shared.users += 1;
  return handle(shared.telemetry);
}

function handle(telemetry: Telemetry): Telemetry {
  let done = false;
  return {
    serviceName: telemetry.serviceName,
    tracesUrl: telemetry.tracesUrl,
    async shutdown() {
      if (done || !shared) return;
      done = true;
      shared.users -= 1;
      if (shared.users > 0) return;
      shared = undefined;
      await telemetry.shutdown();
    },
  };
}

/** The spec's rule: a signal-specific endpoint is used as is, the general one gets `/v1/traces` appended. */
export function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, "")}/v1/traces`;
}
