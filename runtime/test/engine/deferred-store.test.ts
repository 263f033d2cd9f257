import type { NodeExecutor } from "@flowdeck/node-library/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../../src/engine/run-types";
import { createHarness, type Harness } from "../support/harness";
import { TEST_DATABASE_KINDS } from "../support/test-database";

/**
 * `deferStore`: a run stored with its first commit rather than before it executes. Pure steps may run while it
 * exists only in memory; a node type that is not pure makes the engine store it first, so a crash never leaves
 * an effect behind a run the caller's retry cannot see.
 */
const PURE = `name: echo
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { values: { text: "{{ input.message }}" } } }
  - { name: is_order, type: condition, config: { expression: "vars.text.contains('order')" } }
  - { name: order, type: end, config: { output: { route: order, echo: "{{ vars.text }}" } } }
  - { name: other, type: end, config: { output: { route: other } } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_order }
  - { from: is_order, to: order, port: then }
  - { from: is_order, to: other, port: else }
`;

const WITH_EFFECT = `name: effectful
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { values: { text: "{{ input.message }}" } } }
  - { name: write, type: testkit.effect, config: { label: "once" } }
  - { name: done, type: end, config: { output: { ok: "yes" } } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: write }
  - { from: write, to: done }
`;

class SimulatedCrash extends Error {}

describe.each(TEST_DATABASE_KINDS)("deferred store (%s)", (kind) => {
  let h: Harness;
  /** What the effect node saw of its own run in the database when it executed. */
  const seenByEffect: Array<{ run: RunRecord | undefined; steps: string[] }> = [];

  beforeAll(async () => {
    const effect: NodeExecutor = async (ctx) => {
      const runId = ctx.idempotencyKey.split(":")[0]!;
      seenByEffect.push({
        run: await h.store.getRun(ctx.tenant.id, runId),
        steps: (await h.store.listSteps(ctx.tenant.id, runId)).map((s) => s.stepId),
      });
      return { output: { done: true }, port: "out", effect: true };
    };
    h = await createHarness({
      kind,
      workflows: [PURE, WITH_EFFECT],
      executors: { "testkit.effect": effect },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  const start = (workflow: string, message: string, extra: object = {}) => ({
    tenantId: h.tenantId,
    workflow: h.workflow(workflow),
    input: { message },
    ...extra,
  });

  it("stores a pure run once, at its end, with the same log and steps as a run stored first", async () => {
    const stored = await h.engine.startRun(start("echo", "where is my order"));
    const before = h.database.db.stats.transactions;
    const deferred = await h.engine.startRun(start("echo", "where is my order", { deferStore: true }));
    expect(h.database.db.stats.transactions - before).toBe(1);

    expect(deferred).toMatchObject({ status: "completed", stateVersion: 1 });
    expect(deferred.output).toEqual(stored.output);
    expect(await h.store.getRun(h.tenantId, deferred.id)).toMatchObject({
      status: "completed",
      stateVersion: 1,
      output: { output: { route: "order", echo: "where is my order" } },
      createdAt: deferred.createdAt,
    });
    const types = async (run: RunRecord) =>
      (await h.store.listEvents(h.tenantId, run.id)).map((e) => [e.seq, e.type, e.data.stepId ?? null]);
    expect(await types(deferred)).toEqual(await types(stored));
    const steps = async (run: RunRecord) =>
      (await h.store.listSteps(h.tenantId, run.id)).map((s) => [s.stepId, s.status, s.port ?? null]);
    expect(await steps(deferred)).toEqual(await steps(stored));
  });

  it("stores the run before the first step that is not pure, with the pure steps before it", async () => {
    seenByEffect.length = 0;
    const run = await h.engine.startRun(start("effectful", "hi", { deferStore: true }));
    // Stored before the effect (1), committed after it (2) and at the end (3).
    expect(run).toMatchObject({ status: "completed", stateVersion: 3, output: { output: { ok: "yes" } } });
    expect(seenByEffect).toHaveLength(1);
    expect(seenByEffect[0]!.run).toMatchObject({ id: run.id, status: "running", stateVersion: 1 });
    expect(seenByEffect[0]!.steps).toEqual(["main/start#1", "main/remember#1"]);
  });

  it("leaves nothing behind a crash before the first commit; the retry with the same claim runs", async () => {
    const key = `webhook:test:${crypto.randomUUID()}`;
    const claim = { key, duplicate: () => new Error("replayed") };
    const runId = crypto.randomUUID();
    const crashing = h.restart({
      afterStep: ({ stepId }) => {
        if (stepId === "main/is_order#1") throw new SimulatedCrash("process died");
      },
    });
    await expect(
      crashing.startRun(start("echo", "order 7", { deferStore: true, claim, runId })),
    ).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await h.store.getRun(h.tenantId, runId)).toBeUndefined();
    expect(await h.store.listEvents(h.tenantId, runId)).toEqual([]);

    const retried = await h.engine.startRun(start("echo", "order 7", { deferStore: true, claim }));
    expect(retried.status).toBe("completed");
    // A replay of the same key executes only pure steps, stores nothing and is refused.
    const before = await countRuns();
    await expect(h.engine.startRun(start("echo", "order 7", { deferStore: true, claim }))).rejects.toThrow(
      "replayed",
    );
    expect(await countRuns()).toBe(before);
  });

  async function countRuns(): Promise<number> {
    const { rows } = await h.database.db.transaction(
      (sql) => sql.query<{ n: number }>("SELECT count(*)::int AS n FROM runs"),
      { tenantId: h.tenantId },
    );
    return rows[0]!.n;
  }
});
