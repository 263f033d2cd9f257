/**
 * A real server for API tests: a migrated database (real PostgreSQL or PGlite, see
 * runtime/test/support/test-database.ts) with the server's migrations, createApp listening on 127.0.0.1:0,
 * and a raw HTTP client. Raw on purpose: fetch normalises paths (`/auth/%2e%2e/x` → `/x`), and the path
 * variant tests must send exactly the bytes they mean.
 */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createApp } from "../../src/app/create-app";
import { listenApp } from "../../src/app/http-server";
import { createRunHost } from "../../src/runs/create-run-host";
import { attachChatSockets } from "../../src/chat/chat-socket-server";
import { getChatServices } from "../../src/chat/chat-services";
import type { ChatOptions } from "../../src/chat/chat-options";
import type { RunHost } from "../../src/runs/run-host";
import { createJsonLogger } from "../../src/kit/logger";
import { serverConfig, type ServerConfig } from "../../src/config/server-config";
import { runServerMigrations } from "../../src/store/server-migrations";
import { createSecretBox, deriveChannelSecretKey } from "../../src/channels/secret-box";
import { credentialVaults } from "../../src/http-access/credential-store";
import type { PlanName } from "../../src/plans/plan-limits";
import { DEFAULT_PLAN, setTenantPlan } from "../../src/plans/set-tenant-plan";
import {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseKind,
} from "../../../runtime/test/support/test-database";
import type { Express } from "express";

/** Parsed JSON as tests read it: field access without casts at every step. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of arbitrary JSON
export type JsonBody = any;

export const TEST_JWT_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

export interface TestResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** Parsed JSON body, or undefined. */
  readonly body: JsonBody;
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is, instead of JSON.stringify(body). */
  readonly rawBody?: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export interface TestServer {
  readonly app: Express;
  readonly testDb: TestDatabase;
  readonly config: ServerConfig;
  /** The app's run host (inline driver): tests wait on runs with `settled` and watch events with `subscribe`. */
  readonly runs: RunHost;
  /** `http://127.0.0.1:<port>`: for WebSocket clients (/ws/chat is attached) and browsers. */
  readonly url: string;
  /** Every log line the app wrote, raw. */
  readonly logLines: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startTestServer(
  kind: TestDatabaseKind,
  overrides: Partial<Omit<ServerConfig, "jwtSecret">> = {},
  appOptions: { readonly chat?: Partial<ChatOptions> } = {},
): Promise<TestServer> {
  const testDb = await createTestDatabase(kind);
  await runServerMigrations(testDb.db);
  // bcrypt's minimum cost keeps the suite fast; the cost is a parameter, not a different code path.
  const config = serverConfig(TEST_JWT_SECRET, { bcryptCost: 4, ...overrides });
  const logLines: string[] = [];
  const log = createJsonLogger({ level: "debug", write: (line) => void logLines.push(line) });
  const runs = createRunHost({
    db: testDb.db,
    log,
    outboxIntervalMs: 100,
    // A pass a minute in would delete the old rows a long test file dates on purpose (run-retention.test.ts
    // runs its own).
    retention: false,
    // Tests change counters under the meter's feet; it re-reads them on every start.
    runMeter: { refreshMs: 0, flushIntervalMs: 50 },
    // Sealed with the key createApp derives from the same JWT secret, as in a server without a channel key.
    credentials: credentialVaults(testDb.db, createSecretBox(deriveChannelSecretKey(config.jwtSecret))),
  });
  const app = createApp({
    db: testDb.db,
    config,
    log,
    runs,
    ...(appOptions.chat ? { chat: appOptions.chat } : {}),
  });
  // As start-server.ts serves it: signed webhooks take the fast path (app/webhook-fast-path.ts), the rest Express.
  const server: Server = await listenApp(app, 0, "127.0.0.1");
  const { port } = server.address() as AddressInfo;
  const sockets = attachChatSockets(server, getChatServices(app));

  return {
    app,
    testDb,
    config,
    runs,
    url: `http://127.0.0.1:${port}`,
    logLines,
    request: (method, path, options) => requestAt(port, method, path, options),
    async close() {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runs.close();
      await testDb.close();
    },
  };
}

/** One raw HTTP request to 127.0.0.1:port; a JSON body is parsed, anything else left in `text`. */
export function requestAt(
  port: number,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<TestResponse> {
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

let accounts = 0;

/**
 * Registers a fresh tenant + owner; returns the register answer's body and the credentials. Registration always
 * starts on the default plan; the tenant is then moved to `plan` (default pro, so suites are not throttled by the
 * free plan) through the operator's own path, setTenantPlan (what `flowdeck tenant set-plan` calls).
 */
export async function registerAccount(
  server: TestServer,
  overrides: { email?: string; password?: string; tenantName?: string; plan?: PlanName } = {},
): Promise<{ email: string; password: string; body: JsonBody }> {
  accounts += 1;
  const email = overrides.email ?? `owner${accounts}-${Date.now()}@example.com`;
  const password = overrides.password ?? "correct horse battery staple";
  const res = await server.request("POST", "/auth/register", {
    body: { tenantName: overrides.tenantName ?? `Tenant ${accounts}`, email, password },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  const plan = overrides.plan ?? "pro";
  if (plan !== DEFAULT_PLAN) await setTenantPlan(server.testDb.db, res.body.tenant.id, plan, "test");
  return { email, password, body: res.body };
}
