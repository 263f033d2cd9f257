import { createWorkflowValidator } from "@flowdeck/schemas";
import { loadNodeTypes } from "../node-packages/load-node-packages";
import { openDatabase, QueueError, startWorker } from "@flowdeck/runtime";
import { migrateOnStart } from "../store/migration-policy";
import { createTenantHttpClients } from "../http-access/tenant-http-clients";
import { operatorAllowList } from "../http-access/operator-allow-list";
import { credentialVaults } from "../http-access/credential-store";
import { createSecretBox, loadChannelSecretKey } from "../channels/secret-box";
import { createTenantModelGateways } from "../settings/tenant-model-gateways";
import { DEFAULT_DATA_DIR } from "../config/server-config";
import { createPublishedWorkflows } from "../runs/published-workflows";
import { startTelemetry } from "../telemetry/start-telemetry";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes";
import type { CliIo } from "./io";

export interface WorkerCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Stops the worker; by default SIGTERM or SIGINT. */
  readonly signal?: AbortSignal;
}

function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => controller.abort());
  return controller.signal;
}

const number = (value: string | undefined): number | undefined => (value ? Number(value) : undefined);

/**
 * `flowdeck worker`: executes queued runs from Redis against PostgreSQL until SIGTERM/SIGINT, then finishes
 * in-flight runs within FLOWDECK_SHUTDOWN_TIMEOUT_MS (10 s) and hands the rest back. Needs DATABASE_URL and
 * REDIS_URL; FLOWDECK_QUEUE_PREFIX (flowdeck), FLOWDECK_WORKER_CONCURRENCY (8), FLOWDECK_LOCK_DURATION_MS,
 * FLOWDECK_STALLED_INTERVAL_MS are optional. Subflows resolve to the tenant's published versions. Applies
 * pending migrations first (an advisory lock makes API processes and workers take turns), or with
 * FLOWDECK_MIGRATE_ON_START=false only checks that none is pending (FD394).
 */
export async function workerCommand(io: CliIo, options: WorkerCommandOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  if (!env.DATABASE_URL || !env.REDIS_URL) {
    const error = new QueueError("FD284", "flowdeck worker needs DATABASE_URL and REDIS_URL.");
    io.err(`flowdeck: ${error.code} ${error.message} ${error.hint}`);
    return EXIT_USAGE;
  }
  const concurrency = number(env.FLOWDECK_WORKER_CONCURRENCY) ?? 8;
  const db = await openDatabase({ databaseUrl: env.DATABASE_URL, maxConnections: concurrency + 2 });
  // OTEL_EXPORTER_OTLP_ENDPOINT set: a job's activation continues the trace of the request that enqueued it.
  const telemetry = await startTelemetry({ env, defaultServiceName: "flowdeck-worker" });
  try {
    await migrateOnStart(db, env);
    // The same node packages as the API (FLOWDECK_NODE_PACKAGES); a broken one stops the worker with FD395.
    const { registry, executors } = await loadNodeTypes(env);
    const published = createPublishedWorkflows(db, createWorkflowValidator(registry.catalog()));
    const lockDurationMs = number(env.FLOWDECK_LOCK_DURATION_MS);
    const stalledIntervalMs = number(env.FLOWDECK_STALLED_INTERVAL_MS);
    const shutdownTimeoutMs = number(env.FLOWDECK_SHUTDOWN_TIMEOUT_MS);
    const prefix = env.FLOWDECK_QUEUE_PREFIX ?? "flowdeck";
    // tool.http reaches what each tenant allow-listed (and the operator's list), like in the API process.
    const tenantHttp = createTenantHttpClients({ db, operatorAllowList: operatorAllowList(env) });
    // Credentials sealed by the API open with the same key: FLOWDECK_CHANNEL_SECRET_KEY, or the development one.
    const channelKey = await loadChannelSecretKey({
      dataDir: env.FLOWDECK_DATA_DIR ?? DEFAULT_DATA_DIR,
      env,
      warn: (message) => io.err(`flowdeck worker: ${message}`),
    });
    const worker = startWorker({
      redisUrl: env.REDIS_URL,
      db,
      prefix,
      concurrency,
      engineOptions: {
        registry,
        executors,
        resolveWorkflow: published.resolve,
        http: tenantHttp.forTenant,
        credentials: credentialVaults(db, createSecretBox(channelKey)),
        models: createTenantModelGateways({ db, secretBox: createSecretBox(channelKey), env }),
      },
      ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
      ...(stalledIntervalMs !== undefined ? { stalledIntervalMs } : {}),
      ...(shutdownTimeoutMs !== undefined ? { shutdownTimeoutMs } : {}),
    });
    await new Promise<void>((resolve) => worker.worker.once("ready", () => resolve()));
    io.out(JSON.stringify({ event: "ready", prefix, concurrency }));
    const stop = options.signal ?? shutdownSignal();
    await new Promise<void>((resolve) => {
      if (stop.aborted) resolve();
      else stop.addEventListener("abort", () => resolve(), { once: true });
    });
    io.out(JSON.stringify({ event: "stopping" }));
    await worker.close();
    await tenantHttp.close();
    return EXIT_OK;
  } finally {
    await db.close().catch(() => undefined);
    // Flushes the spans still buffered.
    await telemetry?.shutdown().catch(() => undefined);
  }
}
