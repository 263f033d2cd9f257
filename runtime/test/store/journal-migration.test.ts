import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMigrations } from "../../src/store/migrate";
import { createRunStore } from "../../src/store/sql-run-store";
import type { StepRecord } from "../../src/engine/run-types";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { TINY_WORKFLOW, tinyState } from "./run-fixtures";

/**
 * Migration 0011 on a database the first shape filled: rows written as that store wrote them (a run with its
 * definition, a row per step that a re-run overwrote, a row per event), then converted. The trace must read
 * the same through the new store: the same steps in the same order, the same events at the same seqs.
 */
describe.each(TEST_DATABASE_KINDS)("the run journal migration (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  let applied: readonly string[] = [];
  const runId = randomUUID();
  const at = (second: number) => new Date(Date.UTC(2026, 10, 1, 9, 0, second)).toISOString();

  // What the old store held, as its rows: the trace its listSteps/listEvents read.
  const oldSteps: StepRecord[] = [
    {
      stepId: "main/start#1",
      nodeName: "start",
      nodeType: "start",
      attempt: 1,
      status: "completed",
      port: "out",
      output: { message: "hi" },
      startedAt: at(1),
      finishedAt: at(1),
    },
    {
      stepId: "main/ask#1",
      nodeName: "ask",
      nodeType: "ask",
      attempt: 1,
      status: "completed",
      port: "answered",
      output: { answer: "AO-1" },
      details: { entity: null, skipped: false },
      startedAt: at(2),
      finishedAt: at(5),
    },
    {
      stepId: "main/lookup#1",
      nodeName: "lookup",
      nodeType: "tool.order_lookup",
      attempt: 2,
      status: "failed",
      output: null,
      error: { code: "FD201", message: "timed out" },
      usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 },
      startedAt: at(6),
      finishedAt: at(8),
    },
  ];
  const oldEvents = [
    { seq: 1, type: "run.created", data: { workflow: "tiny", version: 3, channel: "test" }, at: at(0) },
    { seq: 2, type: "run.started", data: {}, at: at(1) },
    {
      seq: 3,
      type: "step.completed",
      data: { stepId: "main/start#1", node: "start", type: "start", port: "out", waiting: false },
      at: at(1),
    },
    {
      seq: 4,
      type: "step.started",
      data: { stepId: "main/ask#1", node: "ask", type: "ask", port: null, waiting: true },
      at: at(2),
    },
    { seq: 5, type: "run.waiting", data: { stepId: "main/ask#1" }, at: at(2) },
    { seq: 6, type: "message.received", data: { text: "AO-1" }, at: at(5) },
    {
      seq: 7,
      type: "step.completed",
      data: { stepId: "main/ask#1", node: "ask", type: "ask", port: "answered", waiting: false },
      at: at(5),
    },
    { seq: 8, type: "step.retrying", data: { stepId: "main/lookup#1", attempt: 1 }, at: at(7) },
    {
      seq: 9,
      type: "step.failed",
      data: {
        stepId: "main/lookup#1",
        node: "lookup",
        error: { code: "FD201", message: "timed out" },
        attempts: 2,
      },
      at: at(8),
    },
    { seq: 10, type: "run.failed", data: { error: { code: "FD201", message: "timed out" } }, at: at(8) },
  ];

  beforeAll(async () => {
    testDb = await createTestDatabase(kind, { migrateThrough: "0010_conversation_memory" });
    tenantId = await testDb.createTenant("Before the journal");
    await testDb.db.ownerTransaction(async (sql) => {
      await sql.query(
        `INSERT INTO runs (tenant_id, id, workflow_name, workflow_version, definition, status, state, state_version,
                           event_seq, input, error, conversation_id, channel)
         VALUES ($1, $2, 'tiny', 3, $3, 'failed', $4, 4, 10, '{"message":"hi"}', $5, 'conv-1', 'test')`,
        [
          tenantId,
          runId,
          JSON.stringify(TINY_WORKFLOW),
          JSON.stringify(tinyState()),
          JSON.stringify(oldSteps[2]!.error),
        ],
      );
      for (const step of oldSteps)
        await sql.query(
          `INSERT INTO run_steps (tenant_id, run_id, step_id, node_name, node_type, attempt, status, port, output,
                                  error, details, usage, started_at, finished_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [
            tenantId,
            runId,
            step.stepId,
            step.nodeName,
            step.nodeType,
            step.attempt,
            step.status,
            step.port ?? null,
            JSON.stringify(step.output),
            step.error ? JSON.stringify(step.error) : null,
            step.details ? JSON.stringify(step.details) : null,
            step.usage ? JSON.stringify(step.usage) : null,
            step.startedAt,
            step.finishedAt,
          ],
        );
      for (const event of oldEvents)
        await sql.query(
          "INSERT INTO run_events (tenant_id, run_id, seq, type, data, at) VALUES ($1, $2, $3, $4, $5, $6)",
          [tenantId, runId, event.seq, event.type, JSON.stringify(event.data), event.at],
        );
    });
    applied = (await runMigrations(testDb.db)).applied;
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it("applies 0011 to the filled database", () => {
    expect(applied).toContain("0011_run_journal");
  });

  it("reads the same steps, in the same order, from the journal", async () => {
    const store = createRunStore(testDb.db);
    expect(await store.listSteps(tenantId, runId)).toEqual(oldSteps);
  });

  it("keeps every event at its seq with its data (step events gain their step's record)", async () => {
    const store = createRunStore(testDb.db);
    const events = await store.listEvents(tenantId, runId);
    expect(events.map((e) => [e.seq, e.type, e.at])).toEqual(oldEvents.map((e) => [e.seq, e.type, e.at]));
    for (const [index, event] of events.entries()) expect(event.data).toMatchObject(oldEvents[index]!.data);
    expect((await store.listEvents(tenantId, runId, 7)).map((e) => e.seq)).toEqual([8, 9, 10]);
  });

  it("points the run at a snapshot of its definition and drops the old tables", async () => {
    const store = createRunStore(testDb.db);
    const run = await store.getRun(tenantId, runId);
    expect(run).toMatchObject({ status: "failed", stateVersion: 4, definition: TINY_WORKFLOW });
    const tables = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'run\\_%' ORDER BY 1",
      ),
    );
    expect(tables.rows.map((row) => row.name)).toEqual(["run_definitions", "run_journal", "run_outbox"]);
  });

  it("continues the converted run's log after its last seq", async () => {
    const store = createRunStore(testDb.db);
    const run = (await store.getRun(tenantId, runId))!;
    await store.commit({
      tenantId,
      runId,
      expectedVersion: run.stateVersion,
      status: "failed",
      state: run.state,
      events: [{ type: "run.cancelled", data: { reason: "tidy" }, at: at(20) }],
    });
    expect((await store.listEvents(tenantId, runId, 9)).map((e) => [e.seq, e.type])).toEqual([
      [10, "run.failed"],
      [11, "run.cancelled"],
    ]);
  });
});
