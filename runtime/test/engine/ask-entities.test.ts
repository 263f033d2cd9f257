import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createHarness, type Harness } from "../support/harness";
import { replayChannel } from "../../src/engine/run-mode";

const ORDER_FLOW = `name: ask_entities
entities:
  order_id: { type: pattern, pattern: '(?i)\\bAO-?\\d{5}\\b', case: upper }
nodes:
  - name: start
    type: start
  - name: ask_order
    type: ask
    config: { prompt: "Your order number?", variable: order_id, entity: order_id }
  - name: remember
    type: set
    config: { conversation: { order_id: "{{ vars.order_id }}" } }
  - name: done
    type: end
    config: { reply: "Order {{ vars.order_id }}; found {{ entities.order_id }}; remembered {{ conversation.order_id }}" }
edges:
  - { from: start, to: ask_order }
  - { from: ask_order, to: remember }
  - { from: remember, to: done }
`;

// A lookup that fails loops back to the ask: its second visit must ask, not skip with the number that failed.
const RETRY_FLOW = `name: ask_again
entities:
  order_id: { type: pattern, pattern: 'AO-\\d{5}' }
vars: { tries: 0 }
nodes:
  - name: start
    type: start
  - name: ask_order
    type: ask
    config: { prompt: "Your order number?", variable: order_id, entity: order_id, retry_prompt: "An order number, please." }
  - name: count
    type: set
    config: { expressions: { tries: int(vars.tries) + 1 } }
  - name: done
    type: end
    config: { reply: "Order {{ vars.order_id }} after {{ vars.tries }}" }
edges:
  - { from: start, to: ask_order }
  - { from: ask_order, to: count }
  - { from: count, to: ask_order, condition: "vars.order_id == 'AO-00000' && int(vars.tries) < 3" }
  - { from: count, to: done }
`;

describe("ask with an entity, and conversation memory", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ kind: "pg", workflows: [ORDER_FLOW, RETRY_FLOW] });
  });
  afterAll(() => h.close());

  const start = (message: string, conversationId?: string, channel?: string) =>
    h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("ask_entities"),
      input: { message },
      ...(conversationId ? { conversationId } : {}),
      ...(channel ? { channel } : {}),
    });

  it("skips the question when the triggering message already holds the answer", async () => {
    const run = await start("Where is my order ao-10489?");
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["Order AO-10489; found AO-10489; remembered AO-10489"]);
    const ask = (await h.store.listSteps(h.tenantId, run.id)).find((s) => s.nodeName === "ask_order");
    expect(ask?.output).toEqual({ answer: "AO-10489", skipped: true, source: "message" });
  });

  it("asks again when the answer holds no order number, and stores only the number from the answer", async () => {
    let run = await start("Where is my order?");
    expect(run.status).toBe("waiting");
    run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: "yes" });
    expect(run.status).toBe("waiting");
    run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: "It's AO-10485 I think" });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual([
      "Your order number?",
      "Sorry, that doesn't look like a valid order id. Your order number?",
      "Order AO-10485; found AO-10485; remembered AO-10485",
    ]);
  });

  it("asks on a second visit (a loop back) instead of skipping with the value that failed", async () => {
    let run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("ask_again"),
      input: { message: "order AO-00000" },
    });
    expect(run.status).toBe("waiting");
    expect(await h.messages(run.id)).toEqual(["Your order number?"]);
    run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: "AO-10492" });
    expect(run.status).toBe("completed");
    expect(await h.messages(run.id)).toEqual(["Your order number?", "Order AO-10492 after 2"]);
  });

  it("numbers an ask's prompt and each retry prompt across activations (reply ids are made of it)", async () => {
    let run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("ask_again"),
      input: { message: "hello" },
    });
    expect(run.state.waitingStepSent).toBe(1);
    run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: "no idea" });
    run = await h.engine.resumeRun(h.tenantId, run.id, { kind: "message", text: "still none" });
    expect(run.state).toMatchObject({ waitingStep: "main/ask_order#1", waitingStepSent: 3 });
    const sent = (await h.store.listEvents(h.tenantId, run.id)).filter((e) => e.type === "message.sent");
    expect(sent.map((e) => [e.data.stepId, e.data.index, e.data.text])).toEqual([
      ["main/ask_order#1", 0, "Your order number?"],
      ["main/ask_order#1", 1, "An order number, please."],
      ["main/ask_order#1", 2, "An order number, please."],
    ]);
  });

  it("keeps conversation memory for the next run of the conversation, not for others", async () => {
    const conversationId = randomUUID();
    const first = await start("status of AO-10489 please", conversationId);
    expect(first.state.conversation.remembered).toEqual({ order_id: "AO-10489" });
    const stored = await h.database.db.statement<{ memory: unknown }>(
      "SELECT memory FROM conversation_memory WHERE conversation_id = $1",
      [conversationId],
      { tenantId: h.tenantId },
    );
    expect(stored.rows[0]?.memory).toEqual({ order_id: "AO-10489" });

    // "cancel it": no number in the message, the one this conversation is about is used without asking.
    const followUp = await start("Can you cancel it please?", conversationId);
    expect(followUp.status).toBe("completed");
    expect(await h.messages(followUp.id)).toEqual(["Order AO-10489; found ; remembered AO-10489"]);
    const ask = (await h.store.listSteps(h.tenantId, followUp.id)).find((s) => s.nodeName === "ask_order");
    expect(ask?.output).toMatchObject({ skipped: true, source: "conversation" });

    // A number in the new message wins over the remembered one.
    const other = await start("and AO-10493?", conversationId);
    expect(await h.messages(other.id)).toEqual(["Order AO-10493; found AO-10493; remembered AO-10493"]);

    // Another conversation knows nothing of it.
    const stranger = await start("Can you cancel it please?", randomUUID());
    expect(stranger.status).toBe("waiting");
  });

  it("neither reads nor writes live memory in a replay", async () => {
    const conversationId = randomUUID();
    await start("AO-10489", conversationId);
    const replay = await start("cancel it", conversationId, replayChannel());
    expect(replay.status).toBe("waiting");
    const rows = await h.database.db.statement<{ memory: unknown }>(
      "SELECT memory FROM conversation_memory WHERE conversation_id = $1",
      [conversationId],
      { tenantId: h.tenantId },
    );
    expect(rows.rows[0]?.memory).toEqual({ order_id: "AO-10489" });
  });
});
