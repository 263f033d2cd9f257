// A real Flowdeck server for browser tests: a fresh PostgreSQL database for the test file (runtime's
// createTestDatabase), the server's migrations, and createApp serving the production build of the editor from
// editor/dist. Test code may reach into server/ and runtime/ (the editor's product code never does; see
// .dependency-cruiser.cjs).
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../../../server/src/app/create-app";
import { listenApp } from "../../../../server/src/app/http-server";
import { attachChatSockets } from "../../../../server/src/chat/chat-socket-server";
import { getChatServices } from "../../../../server/src/chat/chat-services";
import { createJsonLogger } from "../../../../server/src/kit/logger";
import { serverConfig } from "../../../../server/src/config/server-config";
import { createRunHost } from "../../../../server/src/runs/create-run-host";
import type { NodeTypes } from "../../../../server/src/node-packages/node-types";
import { runServerMigrations } from "../../../../server/src/store/server-migrations";
import { setTenantPlan } from "../../../../server/src/plans/set-tenant-plan";
import { createTestDatabase, type TestDatabaseKind } from "../../../../runtime/test/support/test-database";
import { EDITOR_DIST_DIR } from "./editor-build";

const TEST_JWT_SECRET = "browser-test-secret-0123456789-abcdefghijklmnop";

export interface FlowdeckTestServer {
  /** http://127.0.0.1:<port>, serving the API and the editor. */
  readonly url: string;
  /** Calls the API directly (setup and "the server refuses too" checks). */
  api<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
  /** The operator's plan change (what `flowdeck tenant set-plan` does): registration always starts on free. */
  setPlan(tenantId: string, plan: "free" | "pro" | "enterprise"): Promise<void>;
  close(): Promise<void>;
}

export async function startFlowdeckServer(
  kind: TestDatabaseKind = "pg",
  editorDistDir: string = EDITOR_DIST_DIR,
  /** Node types from packages (loadNodeTypes), as `serve` would load them; default the built-ins. */
  nodeTypes?: NodeTypes,
): Promise<FlowdeckTestServer> {
  const testDb = await createTestDatabase(kind);
  await runServerMigrations(testDb.db);
  // bcrypt's minimum cost keeps sign-ups fast; the cost is a parameter, not a different code path.
  const config = serverConfig(TEST_JWT_SECRET, { bcryptCost: 4 });
  const log = createJsonLogger({ level: "warn", write: () => undefined });
  const runs = createRunHost({
    db: testDb.db,
    log,
    ...(nodeTypes ? { engine: { registry: nodeTypes.registry, executors: nodeTypes.executors } } : {}),
  });
  const app = createApp({
    db: testDb.db,
    config,
    log,
    runs,
    editorDistDir,
    ...(nodeTypes ? { nodeTypes } : {}),
  });
  // As start-server.ts serves it (signed webhooks on the fast path, the rest through Express).
  const server: Server = await listenApp(app, 0, "127.0.0.1");
  // The chat socket too, so a widget embedded from a channel page really chats (channels.test.ts).
  const sockets = attachChatSockets(server, getChatServices(app));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async api<T>(
      method: string,
      path: string,
      options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.body !== undefined) headers["content-type"] = "application/json";
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async setPlan(tenantId, plan) {
      await setTenantPlan(testDb.db, tenantId, plan, "test");
    },
    async close() {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runs.close();
      await testDb.close();
    },
  };
}
