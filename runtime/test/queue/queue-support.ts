/**
 * Shared pieces of the queue tests: a unique BullMQ prefix per file, a flow with two side-effecting domain
 * tools, and counting helpers over a tenant's rows.
 */
import { randomBytes } from "node:crypto";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import type { Workflow } from "@flowdeck/schemas";
import { createDatabaseEngine, resolveFrom, type DatabaseEngine } from "../../src/engine/database-engine";
import { createWorkflowLibrary } from "../../src/engine/workflow-library";
import { createModelGateway } from "../../src/models/model-gateway";
import type { Database } from "../../src/store/database";

export const REDIS_URL = process.env.FLOWDECK_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Five nodes, two effects (a ticket, a lead), no model call. The lead's email is per run, so rows count runs. */
export const EFFECTS_FLOW = `name: queue_effects
nodes:
  - { name: start, type: start }
  - { name: ticket, type: tool.ticket_create, config: { subject: "Queue test", description: "{{ input.message }}", priority: medium } }
  - { name: lead, type: tool.lead_capture, config: { email: "{{ input.email }}", name: "Queue Test" } }
  - { name: tell, type: reply, config: { text: "Ticket {{ nodes.ticket.output.ticket_id }} opened" } }
  - { name: done, type: end, config: { reply: "done", outcome: resolved } }
edges:
  - { from: start, to: ticket }
  - { from: ticket, to: lead }
  - { from: lead, to: tell }
  - { from: tell, to: done }
`;

export function uniquePrefix(name: string): string {
  return `fdtest-${name}-${randomBytes(4).toString("hex")}`;
}

export function effectsWorkflow(): Workflow {
  const library = createWorkflowLibrary(createBuiltinRegistry().catalog());
  return library.add(EFFECTS_FLOW);
}

/** The engine options a test worker needs: no subflows, the offline model provider. */
export function testEngineOptions() {
  const offline = createModelGateway({ env: {} });
  return { resolveWorkflow: resolveFrom(() => undefined), models: () => offline };
}

export function testEngine(db: Database): DatabaseEngine {
  return createDatabaseEngine({ db, ...testEngineOptions() });
}

/** Stores `count` queued runs (with their outbox rows) for a tenant; returns their ids. */
export async function createQueuedRuns(
  engine: DatabaseEngine,
  tenantId: string,
  count: number,
  workflow = effectsWorkflow(),
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const runId = crypto.randomUUID();
    await engine.engine.createRun({
      tenantId,
      workflow,
      input: { message: `run ${i}`, email: `run-${runId}@example.com` },
      runId,
    });
    ids.push(runId);
  }
  return ids;
}

export async function countRows(db: Database, tenantId: string, query: string): Promise<number> {
  return db.transaction(async (sql) => Number((await sql.query<{ n: string }>(query)).rows[0]?.n ?? 0), {
    tenantId,
  });
}

/** Runs of the tenant by status. */
export async function statusCounts(db: Database, tenantId: string): Promise<Record<string, number>> {
  return db.transaction(
    async (sql) => {
      const rows = await sql.query<{ status: string; n: number }>(
        "SELECT status, count(*)::int AS n FROM runs GROUP BY status",
      );
      return Object.fromEntries(rows.rows.map((row) => [row.status, row.n]));
    },
    { tenantId },
  );
}

/** Polls until `check` is true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The side effects of a tenant's runs: tickets, leads, idempotency keys. Each must equal one per run per tool. */
export async function sideEffects(db: Database, tenantId: string) {
  return {
    tickets: await countRows(db, tenantId, "SELECT count(*) AS n FROM tickets"),
    leads: await countRows(db, tenantId, "SELECT count(*) AS n FROM leads"),
    keys: await countRows(db, tenantId, "SELECT count(*) AS n FROM idempotency_keys"),
  };
}

/** Removes every key of a test prefix (the tests share the machine's Redis). */
export async function dropPrefix(redis: import("ioredis").Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
