import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import {
  createChannel,
  openClient,
  publishFlow,
  SHOP_ORIGIN,
  socketUrl,
  type ChatClient,
} from "./chat-support";

// Issue 16, "the customer's view": the greeting once and first, messages in order, a hand-back's words shown.
const SHOP = `name: shop
nodes:
  - name: start
    type: start
    config: { greeting: "Welcome to {{ tenant.name }}! How can I help?" }
  - name: ack
    type: reply
    config: { text: "Let me look into that for you." }
  - name: answer
    type: agent
    config:
      model: gpt-4o-mini
      prompt_template: "Answer: {{ input.message }}"
      fallback_template: "Your parcel left our warehouse this morning and arrives tomorrow."
  - name: human
    type: handoff
    config: { message: "Connecting you with a person.", reason: "asked for a human" }
  - name: back
    type: end
    config: { reply: "The bot again: anything else?" }
edges:
  - { from: start, to: human, condition: "input.message.contains('human')" }
  - { from: start, to: ack }
  - { from: ack, to: answer }
  - { from: human, to: back }
`;

const GREETING = "Welcome to Acme! How can I help?";

describe("the customer's view of a chat", () => {
  let server: TestServer;
  let token: string;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    token = (await registerAccount(server, { tenantName: "Acme" })).body.accessToken;
    const shop = await publishFlow(server, token, SHOP);
    key = (await createChannel(server, token, { kind: "web", workflow: shop, allowedOrigins: [SHOP_ORIGIN] }))
      .publishableKey;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const connect = () => openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
  const replies = (client: ChatClient) =>
    client.frames.filter((frame) => frame.type === "reply").map((frame) => frame.text as string);
  const settled = (client: ChatClient, count: number) =>
    client.next((frame) => frame.type === "typing" && frame.on === false && replies(client).length >= count);

  it("greets when the chat opens, before the customer writes, and never again in that conversation", async () => {
    const client = await connect();
    client.send({ type: "open" });
    const ready = await client.next((frame) => frame.type === "ready" && frame.conversationId !== undefined);
    const greeting = await client.next((frame) => frame.type === "reply");
    expect(greeting).toMatchObject({ author: "bot", text: GREETING, conversationId: ready.conversationId });
    // A second open in the same session starts nothing.
    client.send({ type: "open" });
    client.send({ type: "message", text: "Where is my parcel?" });
    await client.next((frame) => frame.type === "reply" && String(frame.text).startsWith("Your parcel"));
    // A second run in the same conversation (the first completed) does not greet either.
    client.send({ type: "message", text: "And the other one?" });
    await eventuallyReplies(client, 5);
    expect(replies(client)).toEqual([
      GREETING,
      "Let me look into that for you.",
      "Your parcel left our warehouse this morning and arrives tomorrow.",
      "Let me look into that for you.",
      "Your parcel left our warehouse this morning and arrives tomorrow.",
    ]);
    expect(client.frames.filter((frame) => frame.type === "ready" && frame.conversationId)).toHaveLength(1);

    // A reconnect's catch-up starts with the greeting, once.
    const again = await connect();
    again.send({ type: "resume", conversationId: ready.conversationId });
    await eventuallyReplies(again, 5);
    expect(replies(again)).toEqual(replies(client));
    client.ws.close();
    again.ws.close();
  }, 30_000);

  it("greets once, first, when the customer writes without opening (the first run greets)", async () => {
    const client = await connect();
    client.send({ type: "message", text: "Where is my parcel?" });
    await eventuallyReplies(client, 3);
    await settled(client, 3);
    client.send({ type: "message", text: "Thanks, and my other order?" });
    await eventuallyReplies(client, 5);
    expect(replies(client).filter((text) => text === GREETING)).toHaveLength(1);
    expect(replies(client)[0]).toBe(GREETING);
    client.ws.close();
  }, 30_000);

  it("never lets streamed tokens overtake the message sent before them", async () => {
    const client = await connect();
    client.send({ type: "open" });
    await client.next((frame) => frame.type === "reply");
    client.send({ type: "message", text: "Where is my parcel?" });
    await client.next((frame) => frame.type === "reply" && String(frame.text).startsWith("Your parcel"));
    const order = client.frames
      .filter((frame) => frame.type === "token" || frame.type === "reply")
      .map((frame) => (frame.type === "token" ? "token" : String(frame.text).slice(0, 12)));
    const firstToken = order.indexOf("token");
    expect(firstToken).toBeGreaterThan(0);
    expect(order.slice(0, firstToken)).toEqual(["Welcome to A", "Let me look "]);
    client.ws.close();
  }, 30_000);

  it("shows the customer an agent's hand-back text, then the flow's next reply", async () => {
    const client = await connect();
    client.send({ type: "open" });
    await client.next((frame) => frame.type === "reply");
    client.send({ type: "message", text: "I want a human please" });
    const handoff = await client.next((frame) => frame.type === "handoff");
    const back = await server.request("POST", `/inbox/runs/${handoff.runId}/handback`, {
      token,
      body: { resolved: false, text: "I've refunded the shipping fee for you." },
    });
    expect(back.status).toBe(200);
    const agent = await client.next((frame) => frame.type === "reply" && frame.author === "agent");
    expect(agent.text).toBe("I've refunded the shipping fee for you.");
    await client.next((frame) => frame.type === "reply" && frame.text === "The bot again: anything else?");
    expect(replies(client).slice(-3)).toEqual([
      "Connecting you with a person.",
      "I've refunded the shipping fee for you.",
      "The bot again: anything else?",
    ]);
    client.ws.close();
  }, 30_000);
});

async function eventuallyReplies(client: ChatClient, count: number): Promise<void> {
  await client.next(
    () => client.frames.filter((frame: JsonBody) => frame.type === "reply").length >= count,
    15_000,
  );
}
