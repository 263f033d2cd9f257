import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { openDatabase, type Database } from "@flowdeck/runtime";
import { migrateOnStart } from "../store/migration-policy";
import { operatorAllowList } from "../http-access/operator-allow-list";
import { credentialVaults } from "../http-access/credential-store";
import { createRunHost, type ServerRunHost } from "../runs/create-run-host";
import { createSecretBox, loadChannelSecretKey } from "../channels/secret-box";
import { createTenantModelGateways } from "../settings/tenant-model-gateways";
import { attachChatSockets } from "../chat/chat-socket-server";
import { getChatServices } from "../chat/chat-services";
import { chatOptionsFromEnv } from "../chat/chat-options-env";
import { queueReadinessChecks } from "../metrics/queue-stats";
import { maxTenantSeriesFromEnv } from "../metrics/metrics-env";
import { loadNodeTypes } from "../node-packages/load-node-packages";
import type { NodeTypes } from "../node-packages/node-types";
import { listenApp } from "./http-server";
import { createApp } from "./create-app";
import { createJsonLogger, type Logger } from "../kit/logger";
import { startTelemetry } from "../telemetry/start-telemetry";
import { DEFAULT_DATA_DIR, loadServerConfig } from "../config/server-config";

export interface StartServerOptions {
  /**
   * Default process.env: PORT (8080), HOST (127.0.0.1), FLOWDECK_DATA_DIR (./.flowdeck), DATABASE_URL,
   * FLOWDECK_METRICS_TOKEN (bearer token for /metrics; loopback only when unset), FLOWDECK_METRICS_MAX_TENANTS
   * (tenants with series of their own, default 1000, 0 = none), FLOWDECK_JWT_SECRET and
   * FLOWDECK_CHANNEL_SECRET_KEY (else development secrets in FLOWDECK_SECRETS_DIR, see config/secret-files.ts),
   * FLOWDECK_CHAT_* socket caps (chat/chat-options-env.ts), FLOWDECK_MIGRATE_ON_START (true; false only checks,
   * see store/migration-policy.ts), FLOWDECK_NODE_PACKAGES and FLOWDECK_NODE_PACKAGES_DIR (node-packages/).
   */
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: Logger;
  /** Overrides PORT; 0 picks a free port. */
  readonly port?: number;
  /** Node types already loaded by the caller (`flowdeck serve` prints them first); default loadNodeTypes(env). */
  readonly nodeTypes?: NodeTypes;
}

export interface RunningServer {
  readonly url: string;
  readonly db: Database;
  readonly runs: ServerRunHost;
  close(): Promise<void>;
}

const DEFAULT_PORT = 8080;

/**
 * What `flowdeck serve` / `npm start` calls: PostgreSQL when DATABASE_URL is set, else PGlite in
 * `<data dir>/pglite`; migrations; the run host (BullMQ when REDIS_URL is set, else inline); the app.
 * Binds to loopback unless HOST says otherwise, so a development start is not exposed on the network.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const log = options.log ?? createJsonLogger();
  const dataDir = env.FLOWDECK_DATA_DIR ?? DEFAULT_DATA_DIR;
  // Secrets first: a refused secret file (FD396) stops the start before anything is opened or migrated.
  const config = await loadServerConfig({ env, dataDir, log });
  const chat = chatOptionsFromEnv(env);
  // Node packages load before anything opens: a broken one refuses the start (FD395), naming it.
  const nodeTypes = options.nodeTypes ?? (await loadNodeTypes(env));
  if (nodeTypes.packages.length > 0) {
    log.info("node packages", { packages: nodeTypes.packages.map((p) => `${p.name}@${p.version}`) });
  }
  // FLOWDECK_CHANNEL_SECRET_KEY seals webhook secrets; in development one is kept in the secrets folder.
  const channelSecretKey = await loadChannelSecretKey({
    dataDir,
    env,
    warn: (message, fields) => log.warn(message, fields),
  });
  // OTEL_EXPORTER_OTLP_ENDPOINT set: spans leave over OTLP/HTTP (telemetry/start-telemetry.ts); else none.
  const telemetry = await startTelemetry({ env, defaultServiceName: "flowdeck-api" });
  // PGlite creates its own folder but not the data folder's missing parents; the database is the server's alone.
  if (!env.DATABASE_URL) await mkdir(join(dataDir, "pglite"), { recursive: true, mode: 0o700 });
  const db = await openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: join(dataDir, "pglite") },
  );
  try {
    const migrations = await migrateOnStart(db, env);
    log.info("migrations", {
      applied: migrations.applied.length,
      checkedOnly: migrations.checkedOnly,
      driver: db.driver,
    });
    // REDIS_URL: runs go to BullMQ for `flowdeck worker` processes; without it they execute in this process.
    const runs = createRunHost({
      db,
      log,
      operatorAllowList: operatorAllowList(env),
      credentials: credentialVaults(db, createSecretBox(channelSecretKey)),
      // A workspace's own model key and base URL (settings/model-settings-routes.ts), else OPENAI_* or offline.
      engine: {
        models: createTenantModelGateways({ db, secretBox: createSecretBox(channelSecretKey), env }),
        registry: nodeTypes.registry,
        executors: nodeTypes.executors,
      },
      ...(env.REDIS_URL
        ? {
            driver: {
              kind: "bullmq",
              redisUrl: env.REDIS_URL,
              prefix: env.FLOWDECK_QUEUE_PREFIX ?? "flowdeck",
            },
          }
        : {}),
    });
    await runs.whenReady();
    const queueStats = runs.queueStats;
    // FLOWDECK_METRICS_TOKEN: /metrics for a scraper elsewhere; without it /metrics answers loopback only.
    const metricsToken = env.FLOWDECK_METRICS_TOKEN?.trim();
    const maxTenantSeries = maxTenantSeriesFromEnv(env);
    const app = createApp({
      db,
      config,
      log,
      runs,
      channelSecretKey,
      chat,
      nodeTypes,
      metrics: {
        ...(metricsToken ? { token: metricsToken } : {}),
        ...(queueStats ? { queueStats } : {}),
        ...(maxTenantSeries === undefined ? {} : { maxTenantSeries }),
      },
      ...(queueStats ? { readinessChecks: queueReadinessChecks(queueStats) } : {}),
    });
    const port = options.port ?? (env.PORT ? Number(env.PORT) : DEFAULT_PORT);
    const host = env.HOST ?? "127.0.0.1";
    const server: Server = await listenApp(app, port, host);
    const sockets = attachChatSockets(server, getChatServices(app));
    const address = server.address() as AddressInfo;
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
    log.info("listening", { url });
    return {
      url,
      db,
      runs,
      async close() {
        sockets.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runs.close();
        await db.close();
        await telemetry?.shutdown();
      },
    };
  } catch (error) {
    await db.close();
    await telemetry?.shutdown();
    throw error;
  }
}
