import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createActivationGate } from "../../src/engine/activation-gate";
import { createHarness, type Harness } from "../support/harness";
import type { NodeExecutor } from "@flowdeck/node-library/runtime";

// Poison-run protection in one process (the real process deaths are in test/queue/poison-runs.test.ts): how
// the engine counts activations, what it does with a run whose process died, and what is not a death.
const EFFECT = `name: effect
nodes:
  - { name: start, type: start }
  - { name: write, type: testkit.effect, config: { label: poison } }
  - { name: done, type: end, config: { reply: "written" } }
edges:
  - { from: start, to: write }
  - { from: write, to: done }
`;
const ASKER = `name: asker
nodes:
  - { name: start, type: start }
  - name: ask_email
    type: ask
    config: { prompt: "Your email?", variable: email, validation: "answer.contains('@')", retry_prompt: "Again?" }
  - { name: done, type: end, config: { reply: "Thanks {{ vars.email }}" } }
edges:
  - { from: start, to: ask_email }
  - { from: ask_email, to: done }
`;
const SLOW = `name: slow
nodes:
  - { name: start, type: start }
  - { name: stuck, type: testkit.slow }
  - { name: done, type: end }
edges:
  - { from: start, to: stuck }
  - { from: stuck, to: done }
`;
// Its node type has no executor in this engine (a package removed after the flow was published): FD202 stops
// the activation itself, not a step.
const BROKEN = `name: broken
nodes:
  - { name: start, type: start }
  - { name: orphan, type: testkit.flaky, config: { failures: 0 } }
  - { name: done, type: end }
edges:
  - { from: start, to: orphan }
  - { from: orphan, to: done }
`;

describe("activation guard", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({
      kind: "pg",
      workflows: [EFFECT, ASKER, SLOW, BROKEN],
      executors: { "testkit.flaky": undefined as unknown as NodeExecutor },
    });
  });
  afterAll(() => h.close());

  const create = (workflow: string) =>
    h.engine.createRun({ tenantId: h.tenantId, workflow: h.workflow(workflow), input: { message: "hi" } });
  const unfinished = async (runId: string) =>
    (await h.store.getRun(h.tenantId, runId))?.activationsUnfinished ?? 0;
  /** What a process that died mid-activation leaves: a counted activation that never ended. */
  const died = (runId: string) => h.store.beginActivation(h.tenantId, runId);
  const message = (text: string) => ({ kind: "message" as const, text });
  const until = async (check: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 400 && !(await check()); i += 1) await new Promise((r) => setTimeout(r, 10));
  };

  it("fails a run whose process died in two activations (FD219) without executing a step", async () => {
    const run = await create("effect");
    await died(run.id);
    await died(run.id);
    const failed = await h.restart().continueRun(h.tenantId, run.id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "FD219" } });
    expect(failed.error?.message).toMatch(/^Stopped to protect the service: the last 2 activations/);
    expect(failed.error?.message).toContain("main/start");
    expect(h.testkit.effects).toEqual([]);
    expect(await h.store.listSteps(h.tenantId, run.id)).toEqual([]);
    const events = await h.store.listEvents(h.tenantId, run.id);
    expect(events.map((e) => e.type)).toEqual(["run.created", "run.failed"]);
    expect(events[1]?.data).toMatchObject({ error: { code: "FD219" }, unfinishedActivations: 2 });
    // Published like any commit's events, so a chat or the API learns the run failed.
    expect(h.events.filter((e) => e.runId === run.id).map((e) => e.event.type)).toEqual(["run.failed"]);
    expect(await unfinished(run.id)).toBe(0);
    // Its start was taken: the dispatcher does not enqueue it again.
    const outbox = await h.database.db.transaction(
      (sql) => sql.query("SELECT 1 FROM runs WHERE id = $1 AND start_pending", [run.id]),
      { tenantId: h.tenantId },
    );
    expect(outbox.rowCount).toBe(0);
    // And it stays failed: nothing picks it up again.
    expect(await h.restart().continueRun(h.tenantId, run.id)).toMatchObject({ status: "failed" });
  });

  it("continues a run whose process died once, after its last commit, and clears the count", async () => {
    const run = await create("effect");
    await died(run.id);
    const done = await h.restart().continueRun(h.tenantId, run.id);
    expect(done).toMatchObject({ status: "completed", output: { reply: "written" } });
    expect(done.activationsUnfinished).toBeUndefined();
    expect(await unfinished(run.id)).toBe(0);
  });

  it("never fails a run that activates many times and finishes each activation (a chat)", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    for (const text of ["no", "nope", "still no", "not telling", "x@y.z"]) {
      await h.engine.requestResume(h.tenantId, run.id, { kind: "message", text });
      await h.restart().applyResumes(h.tenantId, run.id);
      expect(await unfinished(run.id)).toBe(0);
    }
    expect(await h.store.getRun(h.tenantId, run.id)).toMatchObject({ status: "completed" });
  });

  it("counts a message's activation in the record, when this process applies it next, and never twice", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    const begin = vi.spyOn(h.store, "beginActivation");
    try {
      const recorded = await h.engine.requestResume(h.tenantId, run.id, message("no"), undefined, true);
      expect(recorded.activationCounted).toBe(true);
      // Read as before its own count, so the activation enters as one whose process never died.
      expect(recorded.run.activationsUnfinished).toBeUndefined();
      expect(await unfinished(run.id)).toBe(1);
      expect(await h.engine.continueRun(h.tenantId, run.id)).toMatchObject({ status: "waiting" });
      expect(await unfinished(run.id)).toBe(0);
      expect(begin).not.toHaveBeenCalled();

      // Two messages before either is applied: the first record counts, the second finds it counted.
      const first = await h.engine.requestResume(h.tenantId, run.id, message("nope"), undefined, true);
      const second = await h.engine.requestResume(h.tenantId, run.id, message("x@y.z"), undefined, true);
      expect([first.activationCounted, second.activationCounted]).toEqual([true, false]);
      expect(await unfinished(run.id)).toBe(1);
      // One drive applies both: the first activation takes the count, the second counts its own.
      expect(await h.engine.continueRun(h.tenantId, run.id)).toMatchObject({ status: "completed" });
      expect(await unfinished(run.id)).toBe(0);
      expect(begin).toHaveBeenCalledTimes(1);
    } finally {
      begin.mockRestore();
    }
  });

  it("takes back a message's count when nobody here applies it: cancelled, or handed back on shutdown", async () => {
    const start = () => h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    const cancelled = await start();
    await h.engine.requestResume(h.tenantId, cancelled.id, message("hi"), undefined, true);
    expect(await unfinished(cancelled.id)).toBe(1);
    expect(await h.engine.cancelRun(h.tenantId, cancelled.id)).toMatchObject({ status: "cancelled" });
    expect(await unfinished(cancelled.id)).toBe(0);

    const handedBack = await start();
    await h.engine.requestResume(h.tenantId, handedBack.id, message("hi"), undefined, true);
    await h.engine.handBack();
    expect(await unfinished(handedBack.id)).toBe(0);
    // Whoever applies it later counts its own activation, and only that one.
    expect(await h.restart().applyResumes(h.tenantId, handedBack.id)).toMatchObject({ status: "waiting" });
    expect(await unfinished(handedBack.id)).toBe(0);
  });

  it("leaves the count to the applier when an activation is counted already (a process died)", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    await died(run.id);
    const recorded = await h.engine.requestResume(h.tenantId, run.id, message("x@y.z"), undefined, true);
    expect(recorded.activationCounted).toBe(false);
    expect(recorded.run.activationsUnfinished).toBe(1);
    // One death on record: the applier counts its own activation, executes alone, and ends the count.
    expect(await h.engine.continueRun(h.tenantId, run.id)).toMatchObject({ status: "completed" });
    expect(await unfinished(run.id)).toBe(0);
  });

  it("does not count an activation that stopped on an error while its process lived", async () => {
    const run = await create("broken");
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(h.restart().continueRun(h.tenantId, run.id)).rejects.toMatchObject({ code: "FD202" });
    }
    expect(await unfinished(run.id)).toBe(0);
  });

  it("executes a run whose process died alone in its process", async () => {
    const slow = await create("slow");
    const engine = h.restart();
    const busy = engine.continueRun(h.tenantId, slow.id);
    await until(async () => (await unfinished(slow.id)) === 1);
    const suspect = await create("effect");
    await died(suspect.id);
    const alone = engine.continueRun(h.tenantId, suspect.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Still waiting for the slow run to leave the process: not counted, nothing executed.
    expect(await unfinished(suspect.id)).toBe(1);
    expect(h.testkit.effects.filter((e) => e.key.startsWith(suspect.id))).toEqual([]);
    await engine.cancelRun(h.tenantId, slow.id);
    await busy;
    expect(await alone).toMatchObject({ status: "completed" });
    expect(h.testkit.effects.filter((e) => e.key.startsWith(suspect.id))).toHaveLength(1);
  });

  it("takes back the claims of activations handed back on graceful shutdown", async () => {
    const slow = await create("slow");
    const engine = h.restart();
    const busy = engine.continueRun(h.tenantId, slow.id);
    await until(async () => (await unfinished(slow.id)) === 1);
    // The claim can be counted by the read that found the run, before the engine holds the activation: wait
    // until its step executes, so there is one to hand back.
    await until(() => h.testkit.slowStarted.some((key) => key.startsWith(slow.id)));
    expect(await engine.handBack()).toBe(1);
    expect(await unfinished(slow.id)).toBe(0);
    await engine.cancelRun(h.tenantId, slow.id);
    expect(await busy).toMatchObject({ status: "cancelled" });
    expect(await unfinished(slow.id)).toBe(0);
  });

  it("counts a deferred run's activation from the insert that stores it, until its end", async () => {
    const deferred = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("effect"),
      input: {},
      deferStore: true,
    });
    expect(deferred.status).toBe("completed");
    expect(await unfinished(deferred.id)).toBe(0);

    // The insert before the effect stores it counted; an activation that then stops on an error gives it back.
    const dying = h.restart({
      afterStep: ({ runId, effect }) => {
        if (effect) throw new Error(`stopped after the effect of ${runId}`);
      },
    });
    const runId = crypto.randomUUID();
    await expect(
      dying.startRun({
        tenantId: h.tenantId,
        workflow: h.workflow("effect"),
        input: {},
        runId,
        deferStore: true,
      }),
    ).rejects.toThrow(/stopped after the effect/);
    expect(await h.store.getRun(h.tenantId, runId)).toMatchObject({ status: "running" });
    expect(await unfinished(runId)).toBe(0);
  });
});

describe("activation gate", () => {
  it("lets shared entrants in together and an exclusive one alone, in arrival order", async () => {
    const gate = createActivationGate();
    const order: string[] = [];
    const a = await gate.enter("shared");
    const b = await gate.enter("shared");
    expect(gate.inside()).toBe(2);
    const x = gate.enter("exclusive").then((leave) => (order.push("x"), leave));
    // Behind a waiting exclusive entrant, a shared one waits too (no starvation).
    const c = gate.enter("shared").then((leave) => (order.push("c"), leave));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    a();
    b();
    const leaveX = await x;
    expect(gate.inside()).toBe(1);
    expect(order).toEqual(["x"]);
    leaveX();
    leaveX(); // leaving twice changes nothing
    (await c)();
    expect(order).toEqual(["x", "c"]);
    expect(gate.inside()).toBe(0);
  });
});
