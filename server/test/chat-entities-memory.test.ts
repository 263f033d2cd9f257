import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_LOGIN, ensureDemoTenant } from "../src/demo/demo-tenant";
import { createChannel, openClient, SHOP_ORIGIN, socketUrl, type ChatClient } from "./chat-support";
import { startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Issue 16, "entities and memory": scripted conversations with the demo shop's support flow over /ws/chat,
// offline (no model key: the local router decides, agents answer from their fallback templates), every reply
// asserted. The greeting once and first is asserted here on the demo flow as well; chat-opening.test.ts covers
// it in depth, and chat-fallback.test.ts the over-quota customer who gets the fallback while staff see why.
const GREETING = "Hi there! Welcome to Acme Outfitters (demo). How can I help you today?";
const ASK_NUMBER =
  "Happy to help with your order! What's the order number?\n" +
  "You'll find it in your confirmation email (it looks like AO-10492).";
const NOT_A_NUMBER =
  "Sorry, that doesn't look like an order number. It starts with AO- followed by five digits, for example AO-10492.\n" +
  "What's your order number?";
const ASK_EMAIL =
  "Thanks! And the email address you placed the order with?\n" +
  "I can only show an order to the email it was placed with.";

describe("the demo shop remembers what the conversation is about", () => {
  let server: TestServer;
  let token: string;
  let tenantId: string;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    await ensureDemoTenant(server.testDb.db);
    const login = await server.request("POST", "/auth/login", { body: DEMO_LOGIN });
    token = login.body.accessToken as string;
    tenantId = login.body.tenant.id as string;
    const workflows = (await server.request("GET", "/workflows", { token })).body.items as JsonBody[];
    const support = workflows.find((w) => w.name === "customer_support_workflow")!;
    key = (
      await createChannel(server, token, { kind: "web", workflow: support.id, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey as string;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const replies = (client: ChatClient) =>
    client.frames.filter((frame) => frame.type === "reply").map((frame) => frame.text as string);

  /** Opens a chat (the greeting arrives first), then says each line and waits for that many new replies. */
  async function chat(): Promise<{
    client: ChatClient;
    say(text: string, expected: readonly unknown[]): Promise<void>;
  }> {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    client.send({ type: "open" });
    const greeting = await client.next((frame) => frame.type === "reply");
    expect(greeting).toMatchObject({ author: "bot", text: GREETING });
    return {
      client,
      async say(text, expected) {
        const before = replies(client).length;
        const sentAt = client.frames.length;
        client.send({ type: "message", text });
        // The turn is over when the typing indicator goes off after this message, with its replies in.
        await client.next(
          (frame) =>
            client.frames.indexOf(frame) >= sentAt &&
            frame.type === "typing" &&
            frame.on === false &&
            replies(client).length >= before + expected.length,
          20_000,
        );
        expect(replies(client).slice(before)).toEqual(expected);
      },
    };
  }

  async function orderStatus(id: string): Promise<string> {
    const { rows } = await server.testDb.db.statement<{ status: string }>(
      "SELECT status FROM orders WHERE id = $1",
      [id],
      { tenantId },
    );
    return rows[0]!.status;
  }

  it("uses the order number of the first message without asking, and 'cancel it' cancels that order after confirmation", async () => {
    const { client, say } = await chat();
    // The number is in the first message: only the second factor is asked for.
    await say("Where is my order AO-10489?", [ASK_EMAIL]);
    const STATUS = expect.stringMatching(/^Order AO-10489 is currently pending\./);
    await say("daniel.okafor@example.com", [STATUS]);

    // A new run of the same conversation: the order just shown, no number, no email, no second greeting.
    await say("Can you cancel it please?", [
      "Just to confirm: should I cancel order AO-10489? This can't be undone.",
    ]);
    expect(await orderStatus("AO-10489")).toBe("pending");
    await say("yes", ["Done — order AO-10489 is cancelled. We've emailed you the refund details."]);
    expect(await orderStatus("AO-10489")).toBe("cancelled");

    // The whole transcript: the greeting first and once, never a question for the order number.
    expect(replies(client)).toEqual([
      GREETING,
      ASK_EMAIL,
      STATUS,
      "Just to confirm: should I cancel order AO-10489? This can't be undone.",
      "Done — order AO-10489 is cancelled. We've emailed you the refund details.",
    ]);

    // A replay of the "cancel it" run starts from the memory its original started with: same replies, no
    // question for the number, and no real cancellation (the order was already cancelled by the original).
    const conversationId = String(client.frames.find((frame) => frame.type === "reply")!.conversationId);
    const runs = await server.request("GET", `/runs?conversation=${conversationId}`, { token });
    const cancelRun = (runs.body.items as JsonBody[])[0]!;
    const replay = await server.request("POST", `/runs/${String(cancelRun.id)}/replay`, {
      token,
      body: {},
    });
    expect(replay.status).toBe(201);
    expect(replay.body.run).toMatchObject({ mode: "replay" });
    expect(replay.body.comparison).toMatchObject({ sameRoute: true, sameReplies: true });
    client.ws.close();
  }, 60_000);

  it("never takes 'yes' as an order number: it asks again, then uses the number given", async () => {
    const { client, say } = await chat();
    await say("Where is my order?", [ASK_NUMBER]);
    await say("yes", [NOT_A_NUMBER]);
    await say("sure, it's ao-10485", [ASK_EMAIL]);
    const STATUS = expect.stringMatching(/^Order AO-10485 is currently pending\./);
    await say("liam.oconnor@example.com", [STATUS]);
    // No lookup of "yes" ever happened: nothing says it could not find an order.
    expect(replies(client).some((text) => /couldn't find an order|"yes"/i.test(text))).toBe(false);
    expect(await orderStatus("AO-10485")).toBe("pending");
    expect(replies(client)).toEqual([GREETING, ASK_NUMBER, NOT_A_NUMBER, ASK_EMAIL, STATUS]);
    client.ws.close();
  }, 60_000);

  it("keeps one conversation's order away from another conversation", async () => {
    const { client, say } = await chat();
    await say("Can you cancel my order please?", [ASK_NUMBER]);
    expect(replies(client).some((text) => text.includes("AO-10489"))).toBe(false);
    client.ws.close();
  }, 60_000);
});
