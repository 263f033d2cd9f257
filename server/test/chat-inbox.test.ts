import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import { createChannel, eventually, openClient, publishFlow, SHOP_ORIGIN, socketUrl } from "./chat-support";

const DESK = `name: desk
nodes:
  - { name: start, type: start }
  - name: to_human
    type: handoff
    config: { message: "Connecting you with a person.", reason: "Customer asked for a human", queue: support }
  - name: after
    type: end
    config: { reply: "Back with the bot. The agent said: {{ nodes.to_human.output.agent_reply }}" }
edges:
  - { from: start, to: to_human }
  - { from: to_human, to: after }
`;

describe("HTTP chat and the handoff inbox", () => {
  let server: TestServer;
  let token: string;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    token = (await registerAccount(server)).body.accessToken;
    const desk = await publishFlow(server, token, DESK);
    key = (await createChannel(server, token, { kind: "web", workflow: desk, allowedOrigins: [SHOP_ORIGIN] }))
      .publishableKey;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const chat = (body: unknown, headers: Record<string, string> = {}) =>
    server.request("POST", "/chat/messages", {
      body,
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN, ...headers },
    });

  it("answers POST /chat/messages with the replies, and refuses a missing key or a foreign Origin", async () => {
    expect((await server.request("POST", "/chat/messages", { body: { text: "hi" } })).status).toBe(401);
    expect((await chat({ text: "hi" }, { origin: "http://evil.test" })).status).toBe(403);
    expect((await chat({ text: "hi", tenantId: "x" })).status).toBe(400);
    const res = await chat({ text: "I want a human" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("handoff");
    expect(res.body.replies.map((r: JsonBody) => r.text)).toEqual(["Connecting you with a person."]);
    const events = await server.request("GET", `/chat/conversations/${res.body.conversationId}/events`, {
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    expect(events.body.items.map((i: JsonBody) => i.type)).toEqual(["reply", "handoff"]);
  }, 20_000);

  it("answers 202 when the flow takes longer than the sync timeout, and the rest can be polled", async () => {
    const slow = await startTestServer("pg", {}, { chat: { syncReplyTimeoutMs: 0 } });
    try {
      const owner = (await registerAccount(slow)).body.accessToken;
      const desk = await publishFlow(slow, owner, DESK);
      const slowKey = (
        await createChannel(slow, owner, { kind: "web", workflow: desk, allowedOrigins: [SHOP_ORIGIN] })
      ).publishableKey;
      const headers = { "x-channel-key": slowKey, origin: SHOP_ORIGIN };
      const accepted = await slow.request("POST", "/chat/messages", {
        body: { text: "human please" },
        headers,
      });
      expect(accepted.status).toBe(202);
      expect(accepted.body.eventsUrl).toContain(
        `/chat/conversations/${accepted.body.conversationId}/events?after=`,
      );
      let items: JsonBody[] = [];
      await eventually(
        async () => {
          items = (await slow.request("GET", accepted.body.eventsUrl, { headers })).body.items;
          return items.some((item) => item.type === "handoff");
        },
        10_000,
        "the handoff in the polled events",
      );
      expect(items.find((item) => item.type === "reply").text).toBe("Connecting you with a person.");
    } finally {
      await slow.close();
    }
  }, 60_000);

  it("lets an agent answer a handed-off conversation on the customer's socket and hand it back", async () => {
    const customer = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    customer.send({ type: "message", text: "Let me talk to someone" });
    const handoff = await customer.next((f) => f.type === "handoff");
    const conversationId = handoff.conversationId as string;

    const inbox = await server.request("GET", "/inbox/conversations", { token });
    const waiting = inbox.body.items.find((item: JsonBody) => item.conversationId === conversationId);
    expect(waiting).toMatchObject({
      reason: "Customer asked for a human",
      queue: "support",
      runId: handoff.runId,
    });

    // While a human has it, the customer's messages are kept for the inbox; no run moves.
    customer.send({ type: "message", text: "Are you there?" });
    await eventually(
      async () => {
        const view = await server.request("GET", `/inbox/runs/${handoff.runId}`, { token });
        return view.body.handoffMessages.some((m: JsonBody) => m.text === "Are you there?");
      },
      10_000,
      "the customer's message in the inbox",
    );
    const view = await server.request("GET", `/inbox/runs/${handoff.runId}`, { token });
    expect(view.body.status).toBe("handoff");
    expect(view.body.steps.map((s: JsonBody) => s.nodeName)).toContain("to_human");
    expect(view.body.transcript.length).toBeGreaterThan(0);

    const answer = await server.request("POST", `/inbox/runs/${handoff.runId}/reply`, {
      token,
      body: { text: "Hi, Sam here." },
    });
    expect(answer.status).toBe(201);
    expect(await customer.next((f) => f.type === "reply" && f.author === "agent")).toMatchObject({
      text: "Hi, Sam here.",
    });

    const back = await server.request("POST", `/inbox/runs/${handoff.runId}/handback`, {
      token,
      body: { resolved: false, text: "refund approved" },
    });
    expect(back.status).toBe(200);
    expect(back.body.handedBack).toBe(true);
    expect(
      (await customer.next((f) => f.type === "reply" && f.author === "bot" && f.text.startsWith("Back")))
        .text,
    ).toBe("Back with the bot. The agent said: refund approved");
    const twice = await server.request("POST", `/inbox/runs/${handoff.runId}/handback`, {
      token,
      body: { resolved: true },
    });
    expect(twice.body.handedBack).toBe(false);
    // Issue 17: the customer is told the bot answers again, and an answer after the hand-back is refused.
    expect(await customer.next((f) => f.type === "handback")).toMatchObject({
      runId: handoff.runId,
      resolved: false,
    });
    const late = await server.request("POST", `/inbox/runs/${handoff.runId}/reply`, {
      token,
      body: { text: "Still there?" },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("FD354");

    // A reconnecting customer gets the agent's answer from the catch-up too.
    customer.ws.close();
    const again = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    again.send({ type: "resume", conversationId });
    expect((await again.next((f) => f.type === "reply" && f.author === "agent")).text).toBe("Hi, Sam here.");
    again.ws.close();
  }, 30_000);
});
