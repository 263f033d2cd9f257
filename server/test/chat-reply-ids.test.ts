import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import { openClient, replyFrames, SHOP_ORIGIN, socketUrl, webChatFor, type ChatClient } from "./chat-support";

// An ask that asks again (its retry prompt) sends from the same step in a later activation. Its reply must have
// an id of its own: the widget shows a reply once per id, so a repeated id hid the retry prompt and the customer
// who typed a wrong email heard nothing. Live frames and the catch-up after a reconnect agree on every id.
const ASK_EMAIL = `name: ask_email
entities:
  email: { type: email }
nodes:
  - { name: start, type: start }
  - name: ask_email
    type: ask
    config:
      prompt: "Which email did you order with?"
      variable: email
      entity: email
      retry_prompt: "That doesn't look like an email address."
  - name: done
    type: end
    config: { reply: "Thanks, {{ vars.email }}." }
edges:
  - { from: start, to: ask_email }
  - { from: ask_email, to: done }
`;

describe("reply ids", () => {
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    key = await webChatFor(server, "Ids", ASK_EMAIL);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const connect = () => openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });

  async function say(client: ChatClient, text: string): Promise<JsonBody> {
    const before = replyFrames(client).length;
    client.send({ type: "message", text });
    await client.next(() => replyFrames(client).length > before, 15_000);
    return replyFrames(client)[before]!;
  }

  it("gives an ask's retry prompts ids of their own, the same live and after a reconnect", async () => {
    const client = await connect();
    const prompt = await say(client, "hello");
    expect(prompt.text).toBe("Which email did you order with?");
    const retry = await say(client, "AO-10492");
    expect(retry.text).toBe("That doesn't look like an email address.");
    const again = await say(client, "still not one");
    expect(again.text).toBe("That doesn't look like an email address.");
    const live = [prompt.id, retry.id, again.id];
    expect(new Set(live).size).toBe(3);

    const done = await say(client, "sam@example.com");
    expect(done.text).toBe("Thanks, sam@example.com.");
    const conversationId = String(prompt.conversationId);
    client.ws.close();

    // A reconnecting widget catches up from the log: the same ids, so nothing shows twice or goes missing.
    const back = await connect();
    back.send({ type: "resume", conversationId });
    await back.next(() => replyFrames(back).length >= 4, 15_000);
    expect(replyFrames(back).map((frame) => [frame.id, frame.text])).toEqual([
      [prompt.id, prompt.text],
      [retry.id, retry.text],
      [again.id, again.text],
      [done.id, done.text],
    ]);
    back.ws.close();
  });
});
