import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore } from "@flowdeck/runtime";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const greeter = (greeting: string) => `# asks for a name, then greets
name: greeter
nodes:
  - { name: start, type: start }
  - name: ask_name
    type: ask
    config: { prompt: "What is your name?", variable: who }
  - name: done
    type: end
    config: { reply: "${greeting} {{ vars.who }}" }
edges:
  - { from: start, to: ask_name }
  - { from: ask_name, to: done }
`;

describe.each(TEST_DATABASE_KINDS)("runs API on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let workflowId: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server)).body;
    const created = await call("POST", "/workflows", { yaml: greeter("Hello") });
    workflowId = created.body.id;
    const published = await call("POST", `/workflows/${workflowId}/publish`, { note: "v1" });
    if (published.status !== 201) throw new Error(`publish failed: ${published.text}`);
  });
  afterAll(() => server?.close());

  function call(method: string, path: string, body?: unknown, token = owner.accessToken) {
    return server.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  }
  const tenantId = () => owner.tenant.id as string;

  /** Starts a run of the latest version, answers its question, and returns it settled. */
  async function converse(name: string): Promise<string> {
    const started = await call("POST", "/runs", { workflow: "greeter", input: {} });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: "queued", workflowVersion: expect.any(Number) });
    const waiting = await server.runs.settled(tenantId(), started.body.id, 10_000);
    expect(waiting.status).toBe("waiting");
    const { run: asked, fromSeq } = await server.runs.message({
      tenantId: tenantId(),
      target: { kind: "published", workflowId },
      conversationId: waiting.conversationId,
      channel: "api",
      text: name,
    });
    expect(asked.id).toBe(started.body.id);
    const answered = await server.runs.settled(tenantId(), asked.id, 10_000, asked.stateVersion);
    expect(answered.status).toBe("completed");
    // The turn begins at the message's own record in the log; the answer to it comes after.
    const events = await createRunStore(server.testDb.db).listEvents(tenantId(), asked.id);
    expect(events.find((event) => event.seq === fromSeq)).toMatchObject({
      type: "resume.requested",
      data: { text: name },
    });
    expect(events.filter((event) => event.seq > fromSeq).map((event) => event.data.text)).toContain(
      `Hello ${name}`,
    );
    return started.body.id;
  }

  it("starts a published version, resumes it with a message and shows its trace and events", async () => {
    const runId = await converse("Ada");
    const done = await server.runs.settled(tenantId(), runId, 10_000);
    expect(done.status).toBe("completed");
    const detail = await call("GET", `/runs/${runId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.steps.map((s: { nodeName: string }) => s.nodeName)).toEqual([
      "start",
      "ask_name",
      "done",
    ]);
    const sent = detail.body.events.filter((e: { type: string }) => e.type === "message.sent");
    expect(sent.map((e: { data: { text: string } }) => e.data.text)).toEqual([
      "What is your name?",
      "Hello Ada",
    ]);
    expect(detail.body).not.toHaveProperty("state");
    const later = await call("GET", `/runs/${runId}/events?after=${detail.body.events.at(-2).seq}`);
    expect(later.body.items).toHaveLength(1);
  });

  it("lists runs with filters and pages, and refuses unknown or malformed filters", async () => {
    await converse("Bea");
    const completed = await call("GET", "/runs?status=completed&workflow=greeter");
    expect(completed.status).toBe(200);
    expect(completed.body.items.length).toBeGreaterThanOrEqual(1);
    expect(completed.body.items.every((r: { status: string }) => r.status === "completed")).toBe(true);
    const page = await call("GET", "/runs?limit=1");
    expect(page.body.items).toHaveLength(1);
    const next = await call("GET", `/runs?limit=1&before=${encodeURIComponent(page.body.next)}`);
    expect(next.body.items[0].id).not.toBe(page.body.items[0].id);
    // Keyset on (created_at, id): walking every page with both cursors sees each run exactly once.
    const all = (await call("GET", "/runs?limit=200")).body.items.map((r: { id: string }) => r.id);
    const walked: string[] = [];
    let cursor = "";
    for (let i = 0; i < all.length + 1; i += 1) {
      const step = await call("GET", `/runs?limit=1${cursor}`);
      walked.push(...step.body.items.map((r: { id: string }) => r.id));
      if (!step.body.nextId) break;
      cursor = `&before=${encodeURIComponent(step.body.next)}&beforeId=${step.body.nextId}`;
    }
    expect(walked).toEqual(all);
    const v1 = await call("GET", "/runs?workflow=greeter&version=1");
    expect(v1.body.items.length).toBeGreaterThanOrEqual(1);
    expect(v1.body.items.every((r: { workflowVersion: number }) => r.workflowVersion === 1)).toBe(true);
    expect((await call("GET", "/runs?version=9")).body.items).toEqual([]);
    expect((await call("GET", "/runs?beforeId=x")).body.error).toMatchObject({ code: "FD355" });
    expect((await call("GET", "/runs?status=done")).body.error).toMatchObject({ code: "FD355" });
    expect((await call("GET", "/runs?limit=0")).status).toBe(400);
    expect((await call("GET", "/runs?tenant=x")).body.error.message).toContain('"tenant"');
  });

  it("cancels a waiting run and answers an ended one as it is", async () => {
    const started = await call("POST", "/runs", { workflow: "greeter" });
    await server.runs.settled(tenantId(), started.body.id, 10_000);
    const cancelled = await call("POST", `/runs/${started.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("cancelled");
    expect((await call("POST", `/runs/${started.body.id}/cancel`)).body.status).toBe("cancelled");
    // Audited once: the second cancel changed nothing.
    const audit = await call("GET", `/audit?action=run.cancel&target=run:${started.body.id}`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({ actorId: owner.user.id, detail: { from: "waiting" } });
  });

  it("replays a run against another version and compares routes and replies", async () => {
    const runId = await converse("Cy");
    await server.runs.settled(tenantId(), runId, 10_000);
    const draft = await call("GET", `/workflows/${workflowId}`);
    await server.request("PUT", `/workflows/${workflowId}/draft`, {
      token: owner.accessToken,
      headers: { "if-match": draft.headers.etag as string },
      body: { yaml: greeter("Welcome back,") },
    });
    const before = await call("POST", "/runs", { workflow: "greeter", input: {} });
    expect(before.body.workflowVersion).toBe(1);
    await call("POST", `/workflows/${workflowId}/publish`, { note: "v2" });
    // Started right after the publish, well within the time a start trusts an earlier version lookup.
    const after = await call("POST", "/runs", { workflow: "greeter", input: {} });
    expect(after.body.workflowVersion).toBe(2);
    const replay = await call("POST", `/runs/${runId}/replay`, {});
    expect(replay.status).toBe(201);
    expect(replay.body.run).toMatchObject({
      status: "completed",
      channel: `replay:${runId}`,
      mode: "replay",
      workflowVersion: 2,
    });
    expect(replay.body.comparison).toMatchObject({
      sameRoute: true,
      sameReplies: false,
      settled: true,
      routeDivergesAt: null,
    });
    expect(replay.body.comparison.replay.replies).toEqual(["What is your name?", "Welcome back, Cy"]);
    expect(replay.body.comparison.original.replies).toEqual(["What is your name?", "Hello Cy"]);
  });

  it("refuses a workflow with nothing published, an unknown one, and a viewer", async () => {
    await call("POST", "/workflows", { yaml: greeter("Hi").replace("name: greeter", "name: unpublished") });
    expect((await call("POST", "/runs", { workflow: "unpublished" })).body.error.code).toBe("FD351");
    expect((await call("POST", "/runs", { workflow: "nope" })).status).toBe(404);
    expect((await call("POST", "/runs", { workflow: "unpublished", draft: true })).status).toBe(202);
    // A draft with errors: the first one named by line and column in words, the codes in the problems.
    const broken = greeter("Hi")
      .replace("name: greeter", "name: broken_draft")
      .replace("to: done", "to: gone");
    await call("POST", "/workflows", { yaml: broken });
    const refused = await call("POST", "/runs", { workflow: "broken_draft", draft: true });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toMatch(
      /^The draft cannot run: it has 1 error\. Line 13, column \d+: This edge leads to "gone"/,
    );
    expect(refused.body.error.details.problems.find((p: JsonBody) => p.severity === "error")).toMatchObject({
      code: "FD123",
      line: 13,
    });
    expect((await call("POST", "/runs", { workflow: "greeter", tenantId: "x" })).status).toBe(400);

    // A channel still names a workflow deleted after it was published: its versions no longer run.
    const doomed = await call("POST", "/workflows", {
      yaml: greeter("Hi").replace("name: greeter", "name: doomed"),
    });
    expect((await call("POST", `/workflows/${doomed.body.id}/publish`, { note: "v1" })).status).toBe(201);
    const start = (version?: number) =>
      server.runs.start({
        tenantId: tenantId(),
        target: { kind: "published", workflowId: doomed.body.id, ...(version ? { version } : {}) },
        input: {},
        channel: "api",
      });
    await expect(start()).resolves.toMatchObject({ workflowVersion: 1 });
    expect((await call("DELETE", `/workflows/${doomed.body.id}`)).status).toBe(204);
    await expect(start()).rejects.toMatchObject({ code: "FD322" });
    await expect(start(1)).rejects.toMatchObject({ code: "FD322" });
  });

  it("refuses an input that misses what the start node declares, for a published run and a draft's test run", async () => {
    const declared = greeter("Hi")
      .replace("name: greeter", "name: declared_inputs")
      .replace(
        "  - { name: start, type: start }",
        "  - name: start\n    type: start\n    config:\n      inputs:\n        - { name: order_id, required: true }\n        - { name: amount, type: number }",
      );
    const created = await call("POST", "/workflows", { yaml: declared });
    expect(created.status).toBe(201);
    expect((await call("POST", `/workflows/${created.body.id}/publish`, {})).status).toBe(201);
    for (const draft of [false, true]) {
      const refused = await call("POST", "/runs", {
        workflow: "declared_inputs",
        draft,
        input: { amount: "3" },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe("FD344");
      expect(refused.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual([
        "input.order_id",
        "input.amount",
      ]);
    }
    const started = await call("POST", "/runs", {
      workflow: "declared_inputs",
      input: { order_id: "A-1", amount: 3 },
    });
    expect(started.status).toBe(202);
  });
});
