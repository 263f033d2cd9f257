import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Issue 16 item 5: replaying a conversation that opened a ticket and went to a human opens no ticket and puts
// nothing in the inbox; the replay's trace says which effectful steps were answered from the original run
// (recorded) and which only as a dry run.
const desk = (ticketNode: string) => `name: ticket_desk
nodes:
  - { name: start, type: start }
  - name: ask_issue
    type: ask
    config: { prompt: "What went wrong?", variable: issue }
  - name: ${ticketNode}
    type: tool.ticket_create
    config:
      subject: "Problem: {{ vars.issue }}"
      description: "Customer says: {{ vars.issue }}"
      priority: high
  - name: to_human
    type: handoff
    config:
      reason: "Ticket {{ nodes.${ticketNode}.output.ticket_id }}"
      queue: support
      message: "A colleague will take over."
edges:
  - { from: start, to: ask_issue }
  - { from: ask_issue, to: ${ticketNode} }
  - { from: ${ticketNode}, to: to_human }
`;

describe("replays never perform real effects", () => {
  let server: TestServer;
  let owner: JsonBody;
  let workflowId: string;
  let originalId: string;
  beforeAll(async () => {
    server = await startTestServer("pglite");
    owner = (await registerAccount(server)).body;
    const created = await call("POST", "/workflows", { yaml: desk("open_ticket") });
    workflowId = created.body.id;
    const published = await call("POST", `/workflows/${workflowId}/publish`, { note: "v1" });
    if (published.status !== 201) throw new Error(`publish failed: ${published.text}`);
    originalId = await converse("The parcel arrived broken");
  });
  afterAll(() => server?.close());

  function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    return server.request(method, path, {
      token: owner.accessToken,
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
  }
  const tenantId = () => owner.tenant.id as string;
  const ticketCount = async () => (await call("GET", "/tickets?limit=200")).body.items.length as number;
  const inboxRuns = async () =>
    (await call("GET", "/inbox/conversations")).body.items.map((i: { runId: string }) => i.runId) as string[];

  /** A live conversation: the customer names the problem, a ticket is opened, the run goes to a human. */
  async function converse(issue: string): Promise<string> {
    const started = await call("POST", "/runs", { workflow: "ticket_desk", input: {} });
    const waiting = await server.runs.settled(tenantId(), started.body.id, 10_000);
    const { run: asked } = await server.runs.message({
      tenantId: tenantId(),
      target: { kind: "published", workflowId },
      conversationId: waiting.conversationId,
      channel: "api",
      text: issue,
    });
    const handed = await server.runs.settled(tenantId(), asked.id, 10_000, asked.stateVersion);
    expect(handed.status).toBe("handoff");
    return started.body.id;
  }

  it("the original conversation opened one ticket and is in the inbox", async () => {
    expect(await ticketCount()).toBe(1);
    expect(await inboxRuns()).toEqual([originalId]);
  });

  it("a replay against the same version answers the ticket step from the original run", async () => {
    const before = await ticketCount();
    const replay = await call("POST", `/runs/${originalId}/replay`, {});
    expect(replay.status).toBe(201);
    expect(replay.body.run).toMatchObject({
      status: "handoff",
      mode: "replay",
      channel: `replay:${originalId}`,
    });
    expect(await ticketCount()).toBe(before);
    expect(await inboxRuns()).toEqual([originalId]);
    expect(replay.body.comparison).toMatchObject({ sameRoute: true, sameReplies: true });
    // Nor can a human open, answer or hand back the replay through the inbox.
    const replayId = String(replay.body.run.id);
    expect((await call("GET", `/inbox/runs/${replayId}`)).status).toBe(404);
    expect((await call("POST", `/inbox/runs/${replayId}/reply`, { text: "Hello?" })).status).toBe(404);
    expect((await call("POST", `/inbox/runs/${replayId}/handback`, { resolved: true })).status).toBe(404);
    expect((await call("GET", `/inbox/runs/${originalId}`)).status).toBe(200);
    expect(replay.body.comparison.replay.effects).toEqual([
      { stepId: "main/open_ticket#1", node: "open_ticket", type: "tool.ticket_create", replay: "recorded" },
    ]);
    const original = await call("GET", `/runs/${originalId}`);
    const trace = await call("GET", `/runs/${replay.body.run.id}`);
    const ticketStep = (run: JsonBody) =>
      run.steps.find((s: { nodeName: string }) => s.nodeName === "open_ticket");
    expect(ticketStep(trace.body).output).toEqual(ticketStep(original.body).output);
    expect(ticketStep(trace.body).details).toMatchObject({
      replay: "recorded",
      originalStepId: "main/open_ticket#1",
    });
    // The replay's handoff names the original ticket: the flow saw the recorded result.
    const handoff = trace.body.events.find((e: { type: string }) => e.type === "run.handoff");
    expect(handoff.data.reason).toBe(`Ticket ${String(ticketStep(original.body).output.ticket_id)}`);
  });

  it("a replay against a draft whose ticket step has no match records what it would have sent", async () => {
    const etag = String((await call("GET", `/workflows/${workflowId}`)).headers.etag);
    const saved = await call(
      "PUT",
      `/workflows/${workflowId}/draft`,
      { yaml: desk("file_ticket") },
      { "if-match": etag },
    );
    expect(saved.status).toBe(200);
    const before = await ticketCount();
    const replay = await call("POST", `/runs/${originalId}/replay`, { draft: true });
    expect(replay.status).toBe(201);
    expect(replay.body.run).toMatchObject({ status: "handoff", mode: "replay" });
    expect(await ticketCount()).toBe(before);
    expect(await inboxRuns()).toEqual([originalId]);
    const [effect] = replay.body.comparison.replay.effects;
    expect(effect).toMatchObject({ node: "file_ticket", replay: "dry_run" });
    expect(effect.request).toMatchObject({
      type: "tool.ticket_create",
      subject: "Problem: The parcel arrived broken",
      priority: "high",
    });
    const trace = await call("GET", `/runs/${replay.body.run.id}`);
    const step = trace.body.steps.find((s: { nodeName: string }) => s.nodeName === "file_ticket");
    expect(step.output).toMatchObject({
      dry_run: true,
      request: { subject: "Problem: The parcel arrived broken" },
    });
  });

  it("replays are not live traffic in /metrics", async () => {
    const started = async () => {
      const text = (await server.request("GET", "/metrics")).text;
      return Number(/^flowdeck_runs_started_total\{test="false"\} (\d+)/m.exec(text)?.[1] ?? "0");
    };
    const before = await started();
    expect(before).toBeGreaterThan(0);
    const replay = await call("POST", `/runs/${originalId}/replay`, {});
    expect(replay.body.run).toMatchObject({ mode: "replay" });
    expect(await started()).toBe(before);
  });

  it("replays are not counted in analytics", async () => {
    const runs = await call("GET", "/analytics/runs?days=1&workflow=ticket_desk");
    const total = runs.body.items.reduce((sum: number, day: { total: number }) => sum + day.total, 0);
    expect(total).toBe(1);
    const listed = await call("GET", "/runs?workflow=ticket_desk");
    expect(listed.body.items).toHaveLength(4);
  });
});
