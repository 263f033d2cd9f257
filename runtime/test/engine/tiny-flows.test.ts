import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { TINY_FLOWS as FLOWS } from "./tiny-flow-fixtures";

// Small flows, one behaviour each (in the spirit of Node-RED's per-node specs), on the embedded store.
describe.each(["pglite", "pg"] as const)("tiny flows on %s", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ kind, workflows: Object.values(FLOWS) });
  });
  afterAll(() => h.close());

  it("runs start → reply → end with templates, in two commits", async () => {
    const before = h.store.commitCount;
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("hello"),
      input: { message: "hi" },
    });
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ reply: "Bye friend", outcome: "resolved", output: {} });
    expect(await h.messages(run.id)).toEqual(["You said: hi", "Bye friend"]);
    expect(h.store.commitCount - before).toBe(2);
    const steps = await h.store.listSteps(h.tenantId, run.id);
    expect(steps.map((s) => s.stepId)).toEqual(["main/start#1", "main/greet#1", "main/done#1"]);
  });

  it("executes a run it just created without reading it back, and never one cancelled meanwhile", async () => {
    const created = await h.engine.createRun({
      tenantId: h.tenantId,
      workflow: h.workflow("hello"),
      input: { message: "hi" },
    });
    const transactions = h.database.db.stats.transactions;
    const run = await h.engine.continueRun(h.tenantId, created.id);
    expect(run.status).toBe("completed");
    // No read of the run it was handed by createRun: the count of its activation (written before any step
    // executes, poison-run protection) and the activation's one commit.
    expect(h.database.db.stats.transactions - transactions).toBe(2);
    const outbox = await h.database.db.transaction(
      (sql) => sql.query("SELECT 1 FROM runs WHERE id = $1 AND start_pending", [run.id]),
      { tenantId: h.tenantId },
    );
    expect(outbox.rowCount).toBe(0);

    const doomed = await h.engine.createRun({
      tenantId: h.tenantId,
      workflow: h.workflow("hello"),
      input: { message: "hi" },
    });
    await h.engine.cancelRun(h.tenantId, doomed.id, "changed my mind");
    const after = await h.engine.continueRun(h.tenantId, doomed.id);
    expect(after.status).toBe("cancelled");
    expect(await h.messages(doomed.id)).toEqual([]);
  });

  it("applies a recorded message without reading the run again, and its commit retires the request's outbox row", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    expect(run.status).toBe("waiting");
    const recorded = await h.engine.requestResume(h.tenantId, run.id, { kind: "message", text: "a@b.c" });
    const pending = async () =>
      (
        await h.database.db.transaction(
          (sql) =>
            sql.query<{ id: string }>(
              "SELECT id::text AS id FROM run_outbox WHERE run_id = $1 AND dispatched_at IS NULL",
              [run.id],
            ),
          { tenantId: h.tenantId },
        )
      ).rows.map((row) => row.id);
    expect(await pending()).toEqual([recorded.outboxId]);
    const done = await h.engine.applyResumes(h.tenantId, run.id);
    expect(done.status).toBe("completed");
    expect(await h.messages(run.id)).toContain("Thanks a@b.c");
    expect(await pending()).toEqual([]);
    // The event log keeps which outbox row carried the request; the request itself is what was sent.
    const requested = (await h.store.listEvents(h.tenantId, run.id)).find(
      (e) => e.type === "resume.requested",
    );
    expect(requested?.data).toEqual({ kind: "message", text: "a@b.c", outboxId: recorded.outboxId });
  });

  it("applies recorded messages in order, reading them only with the writes that record and apply them", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    const before = h.database.db.stats.transactions;
    const first = await h.engine.requestResume(h.tenantId, run.id, { kind: "message", text: "nope" });
    const second = await h.engine.requestResume(h.tenantId, run.id, { kind: "message", text: "a@b.c" });
    expect(second.pending.map((request) => request.seq)).toEqual([first.seq, second.seq]);
    const done = await h.engine.applyResumes(h.tenantId, run.id);
    // Two recordings and two activations (each counted before it executes, then committed): the requests came
    // with the recording and with the first activation's commit, so no transaction of its own looked for them.
    expect(h.database.db.stats.transactions - before).toBe(6);
    expect(done.status).toBe("completed");
    // "nope" was applied first (the ask asked again), then the address.
    expect(await h.messages(run.id)).toEqual(["Your email?", "That is not an email.", "Thanks a@b.c"]);
  });

  it("counts the activation of a message it applies itself in the statement that records it", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("asker"), input: {} });
    let before = h.database.db.stats.transactions;
    await h.engine.requestResume(h.tenantId, run.id, { kind: "message", text: "nope" }, undefined, true);
    await h.engine.continueRun(h.tenantId, run.id);
    // The recording (which counted the activation) and the activation's commit: one transaction less than a
    // message recorded for a worker elsewhere, whose activation counts itself.
    expect(h.database.db.stats.transactions - before).toBe(2);
    before = h.database.db.stats.transactions;
    await h.engine.requestResume(h.tenantId, run.id, { kind: "message", text: "a@b.c" });
    expect((await h.engine.continueRun(h.tenantId, run.id)).status).toBe("completed");
    expect(h.database.db.stats.transactions - before).toBe(3);
  });

  it("loops on a counter with CEL integer arithmetic", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("counter"), input: {} });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["5"]);
    expect((await h.store.listSteps(h.tenantId, run.id)).filter((s) => s.nodeName === "bump")).toHaveLength(
      5,
    );
  });

  it("suspends on ask, re-asks when validation fails, resumes with the answer", async () => {
    const waiting = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("asker"),
      input: {},
    });
    expect(waiting.status).toBe("waiting");
    const again = await h.engine.resumeRun(h.tenantId, waiting.id, { kind: "message", text: "nope" });
    expect(again.status).toBe("waiting");
    const done = await h.engine.resumeRun(h.tenantId, waiting.id, {
      kind: "message",
      text: " ann@example.com ",
    });
    expect(done.status).toBe("completed");
    expect(await h.messages(done.id)).toEqual([
      "Your email?",
      "That is not an email.",
      "Thanks ann@example.com",
    ]);
    const ask = (await h.store.listSteps(h.tenantId, done.id)).filter((s) => s.nodeName === "ask_email");
    expect(ask).toMatchObject([
      { stepId: "main/ask_email#1", status: "completed", output: { answer: "ann@example.com" } },
    ]);
  });

  it("refuses a message for a run that is not waiting", async () => {
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("hello"),
      input: { message: "x" },
    });
    await expect(
      h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: "again" }),
    ).rejects.toMatchObject({ code: "FD207" });
  });

  it("parks a handoff for a human and continues when handed back", async () => {
    const parked = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("human"),
      input: { message: "help" },
    });
    expect(parked.status).toBe("handoff");
    const events = await h.store.listEvents(h.tenantId, parked.id);
    expect(events.find((e) => e.type === "run.handoff")?.data).toMatchObject({
      queue: "vip",
      priority: "high",
      reason: "asked",
    });
    const done = await h.engine.resumeRun(h.tenantId, parked.id, {
      kind: "handback",
      agentReply: "Sorted!",
      resolved: true,
    });
    expect(done).toMatchObject({ status: "completed", output: { outcome: "resolved" } });
  });

  it("retries a failing node with backoff and records the retries", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("flaky"), input: {} });
    expect(run.status).toBe("completed");
    const [step] = (await h.store.listSteps(h.tenantId, run.id)).filter((s) => s.nodeName === "shaky");
    expect(step).toMatchObject({ attempt: 3, output: { tries: 3 } });
    expect(
      (await h.store.listEvents(h.tenantId, run.id)).filter((e) => e.type === "step.retrying"),
    ).toHaveLength(2);
  });

  it("takes the error edge when retries run out", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("broken"), input: {} });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["Sorry: FD200"]);
  });

  it("fails the run with a code when a failing node has no error edge", async () => {
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("unhandled"),
      input: {},
    });
    expect(run).toMatchObject({ status: "failed", error: { code: "FD200", message: "flaky failure 1" } });
  });

  it("times a node out (FD201) and follows its error edge", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("timeout"), input: {} });
    expect(run).toMatchObject({ status: "completed", output: { outcome: "unresolved" } });
    const [step] = (await h.store.listSteps(h.tenantId, run.id)).filter((s) => s.nodeName === "stuck");
    expect(step?.error?.code).toBe("FD201");
  });

  it("cancelRun stops an executing run and closes a waiting one", async () => {
    const runId = crypto.randomUUID();
    const pending = h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("slow"),
      input: {},
      runId,
    });
    // Wait until the run is stored and executing before cancelling it.
    while ((await h.store.getRun(h.tenantId, runId))?.status !== "queued")
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const cancelled = await h.engine.cancelRun(h.tenantId, runId, "customer left");
    expect(cancelled).toMatchObject({
      status: "cancelled",
      error: { code: "FD208", message: "customer left" },
    });
    expect((await pending).status).toBe("cancelled");
    const waiting = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("asker"),
      input: {},
    });
    expect((await h.engine.cancelRun(h.tenantId, waiting.id)).status).toBe("cancelled");
    await expect(
      h.engine.resumeRun(h.tenantId, waiting.id, { kind: "message", text: "a@b.c" }),
    ).rejects.toMatchObject({ code: "FD207" });
  });

  it("cancels an executing run through its AbortSignal", async () => {
    const controller = new AbortController();
    const pending = h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("slow"),
      input: {},
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const run = await pending;
    expect(run).toMatchObject({ status: "cancelled", error: { code: "FD208" } });
  });

  it("runs a subflow inside the parent run with its own step ids, across a wait", async () => {
    const waiting = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("parent"),
      input: { name: "Ann" },
    });
    expect(waiting.status).toBe("waiting");
    expect(await h.messages(waiting.id)).toEqual(["Hi Ann, colour?"]);
    const done = await h.engine.resumeRun(h.tenantId, waiting.id, { kind: "message", text: "green" });
    expect(done.status).toBe("completed");
    expect(await h.messages(done.id)).toEqual(["Hi Ann, colour?", "child said green"]);
    const ids = (await h.store.listSteps(h.tenantId, done.id)).map((s) => s.stepId);
    expect(ids).toContain("main/call#1/q#1");
    expect(ids).toContain("main/call#1");
  });

  it("treats a condition that cannot be evaluated as false and records why", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("guarded"), input: {} });
    expect(await h.messages(run.id)).toEqual(["fallback edge"]);
    const failed = (await h.store.listEvents(h.tenantId, run.id)).find((e) => e.type === "condition.failed");
    expect(failed?.data).toMatchObject({ stepId: "main/start#1", edge: "start->one" });
  });

  it("keeps template-looking customer text literal and cannot reach prototypes", async () => {
    const message = "{{ tenant.id }} {% raw %} ${process.env} {{ 7 * 7 }}";
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("hostile"),
      input: { message },
    });
    expect(await h.messages(run.id)).toEqual([`Echo: ${message} /  / `]);
  });
});
