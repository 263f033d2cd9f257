import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createModelGateway } from "../../src/models/model-gateway";
import { replayChannel } from "../../src/engine/run-mode";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { createHarness, type Harness } from "../support/harness";

// Issue 16 item 5 for the tool steps an agent runs: in a replay, the agent's ticket call is answered from the
// original run's recorded step (same step id) or as a dry run, and the ticket service is never called.
const FLOW = `name: agent_tickets
nodes:
  - { name: start, type: start }
  - name: helper
    type: agent
    config:
      prompt_template: "{{ input.message }}"
      tools: [open_ticket]
      stream: false
  - name: open_ticket
    type: tool.ticket_create
    description: Opens a ticket for the team
    config: { subject: "{{ input.subject }}", description: "From chat: {{ input.subject }}", priority: high }
  - { name: done, type: end }
edges:
  - { from: start, to: helper }
  - { from: helper, to: done }
`;

describe("an agent's effectful tool calls in a replay", () => {
  let h: Harness;
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    const models = createModelGateway({ apiKey: "sk-test", baseURL: server.url });
    h = await createHarness({ kind: "pglite", workflows: [FLOW], models });
  });
  beforeEach(() => server.reset());
  afterAll(async () => {
    await h.close();
    await server.close();
  });

  const tickets = () =>
    h.database.db.transaction(
      async (sql) => (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM tickets")).rows[0]!.n,
      { tenantId: h.tenantId },
    );
  const run = async (channel: string) => {
    server.script([
      { toolCalls: [{ name: "open_ticket", arguments: { subject: "Broken zip" } }] },
      { text: "I opened a ticket for you." },
    ]);
    const done = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("agent_tickets"),
      input: { message: "My jacket's zip broke" },
      channel,
    });
    expect(done.status).toBe("completed");
    const steps = await h.store.listSteps(h.tenantId, done.id);
    return { id: done.id, tool: steps.find((s) => s.nodeName === "open_ticket")! };
  };

  it("the live run opens a ticket; its replay answers from the recorded step and opens none", async () => {
    const live = await run("api");
    expect(await tickets()).toBe(1);
    const replay = await run(replayChannel(live.id));
    expect(await tickets()).toBe(1);
    expect(replay.tool.stepId).toBe("main/helper#1/open_ticket#1");
    expect(replay.tool.output).toEqual(live.tool.output);
    expect(replay.tool.details).toMatchObject({ replay: "recorded", originalStepId: live.tool.stepId });
    // The model read the recorded result as the tool's answer.
    expect(JSON.parse(String(server.requests[1]?.toolResults[0]?.content))).toEqual(live.tool.output);
  });

  it("a replay without an original run answers with what the call would have sent", async () => {
    const before = await tickets();
    const replay = await run(replayChannel());
    expect(await tickets()).toBe(before);
    expect(replay.tool.output).toMatchObject({
      dry_run: true,
      request: { type: "tool.ticket_create", subject: "Broken zip", priority: "high" },
    });
    expect(replay.tool.details).toMatchObject({ replay: "dry_run" });
  });
});
