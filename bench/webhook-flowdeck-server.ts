// The Flowdeck side of the webhook benchmark, in a process of its own (like Node-RED), so the load generator
// does not share its CPU: real PostgreSQL, the inline run host, the echo-router flow published with
// `trigger: webhook` behind a webhook channel. Prints `{ url, channelId, secret }` as one JSON line, then serves
// until SIGTERM.
import type { AddressInfo } from "node:net";
import { createApp } from "../server/src/app/create-app";
import { listenApp } from "../server/src/app/http-server";
import { silentServerLogger } from "../server/src/kit/logger";
import { serverConfig } from "../server/src/config/server-config";
import { createRunHost } from "../server/src/runs/create-run-host";
import { runServerMigrations } from "../server/src/store/server-migrations";
import { createTestDatabase } from "../runtime/test/support/test-database";
import { setTenantPlan } from "../server/src/plans/set-tenant-plan";
import { ECHO_ROUTER_FLOW } from "./src/echo-router-flow";

const database = await createTestDatabase("pg", { maxConnections: 20 });
await runServerMigrations(database.db);
const runs = createRunHost({
  db: database.db,
  log: silentServerLogger,
  concurrency: 32,
  rateLimiter: { consume: async () => undefined },
});
const config = serverConfig("bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz", { bcryptCost: 4 });
const app = createApp({ db: database.db, config, log: silentServerLogger, runs, editorDistDir: false });
// The server as `flowdeck start` serves it: signed webhooks take the fast path (app/webhook-fast-path.ts).
const server = await listenApp(app, 0, "127.0.0.1");
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function call(
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}
const account = await call("POST", "/auth/register", {
  tenantName: "Bench",
  email: `bench-${Date.now()}@example.com`,
  password: "correct horse battery staple",
});
// Registration starts on free; the operator's path (flowdeck tenant set-plan) moves it.
await setTenantPlan(database.db, (account.tenant as { id: string }).id, "enterprise", "test");
const token = account.accessToken as string;
const workflow = await call("POST", "/workflows", { yaml: ECHO_ROUTER_FLOW }, token);
await call("POST", `/workflows/${String(workflow.id)}/publish`, {}, token);
const channel = await call("POST", "/channels", { kind: "webhook", workflow: workflow.id }, token);
// The same flow keeping only failed runs' traces (settings.trace: errors): a successful run stores its row only.
const untraced = await call(
  "POST",
  "/workflows",
  {
    yaml: ECHO_ROUTER_FLOW.replace(
      "name: echo_router\n",
      "name: echo_router_errors\nsettings: { trace: errors }\n",
    ),
  },
  token,
);
await call("POST", `/workflows/${String(untraced.id)}/publish`, {}, token);
const untracedChannel = await call("POST", "/channels", { kind: "webhook", workflow: untraced.id }, token);
process.stdout.write(
  `${JSON.stringify({
    url,
    channelId: channel.id,
    secret: channel.webhookSecret,
    untracedChannelId: untracedChannel.id,
    untracedSecret: untracedChannel.webhookSecret,
    database: database.name,
  })}\n`,
);

process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => {
    void (async () => {
      const { rows } = await database.db.ownerTransaction((sql) =>
        sql.query<{ n: number }>("SELECT count(*)::int AS n FROM runs"),
      );
      const stored = rows[0]?.n ?? 0;
      const { transactions, statements } = database.db.stats;
      process.stderr.write(
        `runs stored: ${stored}; per run: ${(transactions / stored).toFixed(1)} transactions, ${(statements / stored).toFixed(1)} statements\n`,
      );
      await runs.close();
      await database.close();
      process.exit(0);
    })();
  });
});
