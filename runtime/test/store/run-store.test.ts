import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import { isStoreError } from "../../src/store/store-errors";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { events, newRun, step, stepEvents, tinyState } from "./run-fixtures";

describe.each(TEST_DATABASE_KINDS)("run store (%s)", (kind) => {
  let testDb: TestDatabase;
  let store: SqlRunStore;
  let tenantId: string;
  let otherTenant: string;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    store = createRunStore(testDb.db);
    tenantId = await testDb.createTenant("Acme Outfitters");
    otherTenant = await testDb.createTenant("Globex");
  });

  afterAll(async () => {
    await testDb?.close();
  });

  it("creates a queued run with its run.created event and an outbox row in one transaction", async () => {
    const commitsBefore = store.commitCount;
    const transactionsBefore = testDb.db.stats.transactions;
    const run = await store.createRun(newRun(tenantId));
    expect(store.commitCount).toBe(commitsBefore + 1);
    expect(testDb.db.stats.transactions).toBe(transactionsBefore + 1);
    expect(run).toMatchObject({
      tenantId,
      workflowName: "tiny",
      workflowVersion: 3,
      status: "queued",
      stateVersion: 0,
      input: { message: "hi" },
      output: null,
      error: null,
      conversationId: "conv-1",
      channel: "test",
    });
    expect(run.definition.nodes.map((node) => node.name)).toEqual(["start", "done"]);
    expect(Date.parse(run.createdAt)).not.toBeNaN();
    expect(await store.getRun(tenantId, run.id)).toEqual(run);

    const log = await store.listEvents(tenantId, run.id);
    expect(log).toEqual([
      {
        seq: 1,
        type: "run.created",
        data: { workflow: "tiny", version: 3, channel: "test" },
        at: run.createdAt,
      },
    ]);
    // Marked for the dispatcher on its own row, with no outbox row (migration 0012).
    const marks = await testDb.db.transaction(
      async (sql) => ({
        run: (await sql.query("SELECT start_pending FROM runs WHERE id = $1", [run.id])).rows,
        outbox: (await sql.query("SELECT 1 FROM run_outbox WHERE run_id = $1", [run.id])).rowCount,
      }),
      { tenantId },
    );
    expect(marks).toEqual({ run: [{ start_pending: true }], outbox: 0 });
  });

  it("claims a key with the run's own insert: a replay stores no run and leaves the first alone", async () => {
    const key = `webhook:${crypto.randomUUID()}:m-1`;
    const claim = { key, duplicate: () => new Error("claimed already") };
    const first = await store.createRun(newRun(tenantId, { claim }));
    expect((await store.getRun(tenantId, first.id))?.status).toBe("queued");

    const id = crypto.randomUUID();
    const replay = await store.createRun(newRun(tenantId, { id, claim })).catch((error: unknown) => error);
    expect((replay as Error).message).toBe("claimed already");
    expect(await store.getRun(tenantId, id)).toBeUndefined();
    expect(await store.listEvents(tenantId, id)).toEqual([]);

    // Keys are per tenant, and the refused attempt left its run id free.
    const elsewhere = await store.createRun(newRun(otherTenant, { claim }));
    expect(elsewhere.tenantId).toBe(otherTenant);
    const stored = await store.createRun(newRun(tenantId, { id }));
    expect(stored.id).toBe(id);
  });

  it("clears a queued run's start mark with its first commit, and only when asked", async () => {
    const pending = async (runId: string) =>
      (
        await testDb.db.transaction(
          (sql) => sql.query("SELECT 1 FROM runs WHERE id = $1 AND start_pending", [runId]),
          { tenantId },
        )
      ).rowCount;
    const base = { tenantId, status: "running" as const, state: tinyState(), steps: [], events: [] };
    const plain = await store.createRun(newRun(tenantId));
    await store.commit({ ...base, runId: plain.id, expectedVersion: 0 });
    expect(await pending(plain.id)).toBe(1);

    const started = await store.createRun(newRun(tenantId));
    await store.commit({ ...base, runId: started.id, expectedVersion: 0, startConsumed: true });
    expect(await pending(started.id)).toBe(0);

    // A refused commit (stale version) stamps nothing.
    const stale = await store.createRun(newRun(tenantId));
    await store.commit({ ...base, runId: stale.id, expectedVersion: 0 });
    await expect(
      store.commit({ ...base, runId: stale.id, expectedVersion: 0, startConsumed: true }),
    ).rejects.toMatchObject({ code: "FD260" });
    expect(await pending(stale.id)).toBe(1);
  });

  it("stores a definition once per distinct text, and another process reads it back by hash", async () => {
    const workflow = { ...newRun(tenantId).definition, description: `snapshot ${crypto.randomUUID()}` };
    const first = await store.createRun(newRun(tenantId, { definition: workflow }));
    // An equal text in a new object (a draft saved again unchanged) points at the same snapshot.
    const second = await store.createRun(newRun(tenantId, { definition: structuredClone(workflow) }));
    const snapshots = await testDb.db.ownerTransaction((sql) =>
      sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM run_definitions WHERE definition->>'description' = $1",
        [workflow.description],
      ),
    );
    expect(snapshots.rows[0]!.n).toBe(1);
    const elsewhere = createRunStore(testDb.db);
    expect((await elsewhere.getRun(tenantId, first.id))!.definition).toEqual(workflow);
    expect((await elsewhere.getRun(tenantId, second.id))!.definition).toEqual(workflow);
  });

  it("refuses to read a run whose snapshot is gone with FD267, not a run without a definition", async () => {
    const workflow = { ...newRun(tenantId).definition, description: `gone ${crypto.randomUUID()}` };
    const run = await store.createRun(newRun(tenantId, { definition: workflow }));
    await testDb.db.ownerTransaction((sql) =>
      sql.query("DELETE FROM run_definitions WHERE definition->>'description' = $1", [workflow.description]),
    );
    const error = await createRunStore(testDb.db)
      .getRun(tenantId, run.id)
      .catch((reason: unknown) => reason);
    expect(isStoreError(error, "FD267")).toBe(true);
  });

  it("uses the caller's run id when given one", async () => {
    const id = crypto.randomUUID();
    const run = await store.createRun(newRun(tenantId, { id }));
    expect(run.id).toBe(id);
  });

  it("commits state and events (steps' records among them) atomically and returns the new version", async () => {
    const run = await store.createRun(newRun(tenantId));
    const state = tinyState({ waitingStep: "main/ask#1" });
    const version = await store.commit({
      tenantId,
      runId: run.id,
      expectedVersion: 0,
      status: "waiting",
      state,
      events: [
        ...stepEvents(
          step("main/start#1"),
          step("main/ask#1", { nodeType: "ask", status: "waiting", port: undefined }),
        ),
        ...events(3),
      ],
    });
    expect(version).toBe(1);
    const stored = await store.getRun(tenantId, run.id);
    expect(stored).toMatchObject({ status: "waiting", stateVersion: 1, state });
    expect(Date.parse(stored!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(run.updatedAt));

    const steps = await store.listSteps(tenantId, run.id);
    expect(steps.map((s) => [s.stepId, s.status])).toEqual([
      ["main/start#1", "completed"],
      ["main/ask#1", "waiting"],
    ]);
    expect(steps[0]).toEqual(
      step("main/start#1", { startedAt: steps[0]!.startedAt, finishedAt: steps[0]!.finishedAt }),
    );
    expect(steps[1]!.port).toBeUndefined();

    const log = await store.listEvents(tenantId, run.id);
    // run.created, the two steps' events, then the commit's other events: one journal row per commit.
    expect(log.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.slice(3).map((event) => event.data)).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }]);
    expect(log[3]!.at).toBe("2026-01-01T00:00:00.000Z");
    expect((await store.listEvents(tenantId, run.id, 4)).map((event) => event.seq)).toEqual([5, 6]);
  });

  it("lets a later record of a step supersede the earlier one, keeping its position in the trace", async () => {
    const run = await store.createRun(newRun(tenantId));
    const base = { tenantId, runId: run.id, status: "running" as const, state: run.state };
    await store.commit({
      ...base,
      expectedVersion: 0,
      events: stepEvents(step("main/a#1"), step("main/ask#1", { status: "waiting" })),
    });
    await store.commit({
      ...base,
      expectedVersion: 1,
      events: stepEvents(
        step("main/ask#1", { status: "completed", output: { answer: "yes" } }),
        step("main/b#1"),
      ),
    });
    const steps = await store.listSteps(tenantId, run.id);
    expect(steps.map((s) => s.stepId)).toEqual(["main/a#1", "main/ask#1", "main/b#1"]);
    expect(steps[1]).toMatchObject({ status: "completed", output: { answer: "yes" } });
  });

  it("keeps the last record when one batch holds a step twice (a failed attempt, then its retry)", async () => {
    const run = await store.createRun(newRun(tenantId));
    await store.commit({
      tenantId,
      runId: run.id,
      expectedVersion: 0,
      status: "running",
      state: run.state,
      events: stepEvents(
        step("main/tool#1", { attempt: 1, status: "failed", error: { code: "FD201", message: "timeout" } }),
        step("main/tool#1", { attempt: 2, status: "completed" }),
      ),
    });
    const steps = await store.listSteps(tenantId, run.id);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ attempt: 2, status: "completed" });
    expect(steps[0]!.error).toBeUndefined();
  });

  it("refuses a commit from a stale version with FD260 and leaves the run as it was", async () => {
    const run = await store.createRun(newRun(tenantId));
    const commit = {
      tenantId,
      runId: run.id,
      status: "running" as const,
      state: run.state,
      events: events(1),
    };
    expect(await store.commit({ ...commit, expectedVersion: 0 })).toBe(1);
    const error = await store
      .commit({ ...commit, expectedVersion: 0, status: "completed", events: stepEvents(step("main/x#1")) })
      .catch((reason: unknown) => reason);
    expect(isStoreError(error, "FD260")).toBe(true);
    expect((error as Error).message).toMatch(/moved on/);
    expect(await store.getRun(tenantId, run.id)).toMatchObject({ status: "running", stateVersion: 1 });
    expect(await store.listSteps(tenantId, run.id)).toEqual([]);
    expect(await store.listEvents(tenantId, run.id)).toHaveLength(2);
  });

  it("lets exactly one of two concurrent writers of the same version win", async () => {
    const run = await store.createRun(newRun(tenantId));
    const commit = (marker: string) =>
      store.commit({
        tenantId,
        runId: run.id,
        expectedVersion: 0,
        status: "running",
        state: tinyState({ waitingStep: marker }),
        events: events(2),
      });
    const results = await Promise.allSettled([commit("first"), commit("second")]);
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result) => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isStoreError((lost[0] as PromiseRejectedResult).reason, "FD260")).toBe(true);
    expect((await store.listEvents(tenantId, run.id)).map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it("answers FD261 for a commit to a run that does not exist, or belongs to another tenant", async () => {
    const run = await store.createRun(newRun(tenantId));
    const commit = {
      expectedVersion: 0,
      status: "running" as const,
      state: run.state,
      events: [],
    };
    for (const target of [
      { tenantId, runId: crypto.randomUUID() },
      { tenantId: otherTenant, runId: run.id },
      { tenantId, runId: "not-a-uuid" },
    ]) {
      const error = await store.commit({ ...commit, ...target }).catch((reason: unknown) => reason);
      expect(isStoreError(error, "FD261")).toBe(true);
    }
  });

  it("hides runs, steps and events from other tenants", async () => {
    const run = await store.createRun(newRun(tenantId));
    expect(await store.getRun(otherTenant, run.id)).toBeUndefined();
    expect(await store.listEvents(otherTenant, run.id)).toEqual([]);
    expect(await store.listSteps(otherTenant, run.id)).toEqual([]);
    expect(await store.getRun(tenantId, "123")).toBeUndefined();
  });

  it("writes all events of a commit in one statement, whatever their number", async () => {
    const run = await store.createRun(newRun(tenantId));
    const statementsFor = async (eventCount: number, version: number) => {
      const before = testDb.db.stats.statements;
      const commitsBefore = store.commitCount;
      await store.commit({
        tenantId,
        runId: run.id,
        expectedVersion: version,
        status: "running",
        state: run.state,
        events: [
          ...stepEvents(step(`main/s${version}#1`), step(`main/t${version}#1`)),
          ...events(eventCount),
        ],
      });
      expect(store.commitCount).toBe(commitsBefore + 1);
      return testDb.db.stats.statements - before;
    };
    const one = await statementsFor(1, 0);
    const many = await statementsFor(50, 1);
    // Role + tenant setup (one round trip with BEGIN), then the run row and its journal row in one statement.
    expect(one).toBe(3);
    expect(many).toBe(one);
    expect(await store.listEvents(tenantId, run.id)).toHaveLength(56);
  });

  it("completes a run with its output and error, and keeps them when later commits omit them", async () => {
    const run = await store.createRun(newRun(tenantId));
    const base = { tenantId, runId: run.id, state: run.state, events: [] };
    await store.commit({
      ...base,
      expectedVersion: 0,
      status: "failed",
      error: { code: "FD200", message: "boom" },
    });
    await store.commit({
      ...base,
      expectedVersion: 1,
      status: "completed",
      output: { reply: "done" },
      error: null,
    });
    await store.commit({ ...base, expectedVersion: 2, status: "completed" });
    expect(await store.getRun(tenantId, run.id)).toMatchObject({
      status: "completed",
      output: { reply: "done" },
      error: null,
      stateVersion: 3,
    });
  });

  it("stores CEL integers (BigInt) as numbers when safe and as strings otherwise", async () => {
    const run = await store.createRun(
      newRun(tenantId, { input: { count: 7n, huge: 2n ** 70n, list: [1n, -3n] } as Record<string, unknown> }),
    );
    const state = tinyState();
    const frame = { ...state.frames[0]!, vars: { lookup_misses: 2n, big: -(2n ** 64n) } };
    await store.commit({
      tenantId,
      runId: run.id,
      expectedVersion: 0,
      status: "running",
      state: { ...state, frames: [frame] },
      events: [
        ...stepEvents(step("main/count#1", { output: { values: { lookup_misses: 2n } } })),
        { type: "step.completed", data: { value: 9007199254740993n }, at: new Date().toISOString() },
      ],
    });
    const stored = await store.getRun(tenantId, run.id);
    expect(stored!.input).toEqual({ count: 7, huge: "1180591620717411303424", list: [1, -3] });
    expect(stored!.state.frames[0]!.vars).toEqual({ lookup_misses: 2, big: "-18446744073709551616" });
    expect((await store.listSteps(tenantId, run.id))[0]!.output).toEqual({ values: { lookup_misses: 2 } });
    expect((await store.listEvents(tenantId, run.id))[2]!.data).toEqual({ value: "9007199254740993" });
  });

  it("stores chat text with NUL characters and lone surrogates instead of failing the commit", async () => {
    const hostile = "a\u0000b \ud800 {{ input.constructor }} \\u0000";
    const run = await store.createRun(newRun(tenantId, { input: { message: hostile, [`k\u0000`]: 1 } }));
    expect(run.input).toEqual({ message: "a\ufffdb \ufffd {{ input.constructor }} \\u0000", "k\ufffd": 1 });
  });
});
