import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "@flowdeck/node-library";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { ENGINE_ERRORS } from "../../src/engine/engine-errors";
import { createModelGateway } from "../../src/models/model-gateway";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "../support/fake-openai-server";
import { createHarness, type Harness } from "../support/harness";

// A reply whose text renders blank, a version published with `text: ""` before FD111, a model that answers
// only whitespace: each used to reach the customer as an empty chat bubble. The engine sends none of them and
// notes on the step (`details.notes`, FD215) why nothing was sent; the flow goes on.
const REPLIES = `name: blank_replies
nodes:
  - { name: start, type: start }
  - name: empty
    type: reply
    config: { text: "{{ vars.missing }}" }
  - name: spaces
    type: reply
    config: { text: "  {{ vars.missing }} \\n", quick_replies: [Track my order, Talk to a person] }
  - name: hello
    type: reply
    config: { text: "Hello {{ input.message }}." }
  - name: done
    type: end
    config: { reply: " {{ vars.missing }}" }
edges:
  - { from: start, to: empty }
  - { from: empty, to: spaces }
  - { from: spaces, to: hello }
  - { from: hello, to: done }
`;

const AGENT = `name: blank_agent
nodes:
  - { name: start, type: start }
  - name: answer
    type: agent
    config: { prompt_template: "{{ input.message }}", stream: {{STREAM}} }
  - name: after
    type: reply
    config: { text: "Anything else?" }
edges:
  - { from: start, to: answer }
  - { from: answer, to: after }
`;

const note = (message: string) => ({ code: "FD215", message, hint: ENGINE_ERRORS.FD215 });
const REPLY_NOTE = note("The reply's text was blank, so nothing was sent.");

describe("blank messages are not sent", () => {
  let h: Harness;
  let model: FakeOpenAiServer;
  beforeAll(async () => {
    model = await startFakeOpenAiServer();
    h = await createHarness({
      kind: "pglite",
      workflows: [
        REPLIES,
        AGENT.replace("{{STREAM}}", "true"),
        AGENT.replace("blank_agent", "blank_agent_whole").replace("{{STREAM}}", "false"),
      ],
      models: createModelGateway({ apiKey: "sk-test", baseURL: model.url }),
    });
  });
  beforeEach(() => model.reset());
  afterAll(async () => {
    await h?.close();
    await model?.close();
  });

  const notesOf = async (runId: string) =>
    Object.fromEntries(
      (await h.store.listSteps(h.tenantId, runId)).map((step) => [step.nodeName, step.details?.notes]),
    );

  it("sends no blank reply and notes on each step why, in the stored trace", async () => {
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("blank_replies"),
      input: { message: "Ada" },
    });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["Hello Ada."]);
    expect(await notesOf(run.id)).toEqual({
      start: undefined,
      empty: [REPLY_NOTE],
      spaces: [
        note(
          "The reply's text was blank, so nothing was sent; its quick replies were left out too, as buttons need a message to go with.",
        ),
      ],
      hello: undefined,
      done: [note("This step's message was blank, so nothing was sent.")],
    });
    // The output is what the template made: a later node may still read it.
    const steps = await h.store.listSteps(h.tenantId, run.id);
    expect(steps.find((s) => s.nodeName === "empty")?.output).toEqual({ text: "", quick_replies: [] });
    // The one message sent is the step's first: reply ids count sent messages only.
    const sent = (await h.store.listEvents(h.tenantId, run.id)).filter((e) => e.type === "message.sent");
    expect(sent.map((e) => e.data)).toEqual([{ stepId: "main/hello#1", text: "Hello Ada.", index: 0 }]);
  });

  it("runs a version published with an empty text before the rule, sending nothing for it", async () => {
    const text = REPLIES.replace('"{{ vars.missing }}"', '""').replace("blank_replies", "old_version");
    const validator = createWorkflowValidator(createBuiltinRegistry().catalog());
    const workflow = validator.validate(text, { published: true }).workflow;
    expect(workflow).toBeDefined();
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: workflow!,
      input: { message: "Bo" },
    });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["Hello Bo."]);
    expect((await notesOf(run.id)).empty).toEqual([REPLY_NOTE]);
  });

  it("streams nothing and sends nothing for a model's answer of whitespace, and says so", async () => {
    model.script([{ text: " \n\n  " }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("blank_agent"),
      input: { message: "Hi" },
    });
    expect(run.status).toBe("completed");
    expect(model.requests).toHaveLength(1);
    // Not even a live token: a widget opens a bubble at the first one.
    expect(h.events.filter((e) => e.runId === run.id && e.event.type === "token")).toEqual([]);
    expect(await h.messages(run.id)).toEqual(["Anything else?"]);
    expect((await notesOf(run.id)).answer).toEqual([
      note("The model's answer was blank, so nothing was sent."),
    ]);
  });

  it("notes an empty answer without streaming too", async () => {
    model.script([{ text: "" }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("blank_agent_whole"),
      input: { message: "Hi" },
    });
    expect(await h.messages(run.id)).toEqual(["Anything else?"]);
    expect((await notesOf(run.id)).answer).toEqual([
      note("The model's answer was blank, so nothing was sent."),
    ]);
  });

  it("still streams and sends an answer that starts with whitespace, whole", async () => {
    model.script([{ text: "\n\n  Happy to help." }]);
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("blank_agent"),
      input: { message: "Hi" },
    });
    const tokens = h.events
      .filter((e) => e.runId === run.id && e.event.type === "token")
      .map((e) => String(e.event.data.text));
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe("\n\n  Happy to help.");
    expect(await h.messages(run.id)).toEqual(["\n\n  Happy to help.", "Anything else?"]);
    expect((await notesOf(run.id)).answer).toBeUndefined();
  });
});
