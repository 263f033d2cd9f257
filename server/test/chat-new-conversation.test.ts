import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REMEMBER_TOPIC_FLOW } from "../../runtime/test/support/remember-topic-flow";
import { startTestServer, type TestServer } from "./support/test-server";
import { openClient, replyFrames, SHOP_ORIGIN, socketUrl, webChatFor, type ChatClient } from "./chat-support";

// A chat whose conversation id the server made up for its first message cannot have memory yet, so that run
// starts without reading conversation_memory (one transaction less per new chat). A later run of the same
// conversation still starts with what the earlier one remembered.

describe("a new conversation's first run", () => {
  let server: TestServer;
  let key: string;
  const statements: string[] = [];

  beforeAll(async () => {
    server = await startTestServer("pg");
    key = await webChatFor(server, "Memo", REMEMBER_TOPIC_FLOW);
    // Every statement of every tenant transaction, by its text (prepared ones by name).
    const db = server.testDb.db;
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn, scope) =>
      transaction((sql) => {
        const record = (text: unknown) =>
          statements.push(typeof text === "string" ? text : JSON.stringify(text));
        return fn({
          query: (text, params) => {
            record(text);
            return sql.query(text, params);
          },
          commitWith: (text, params) => {
            record(text);
            return sql.commitWith(text, params);
          },
        });
      }, scope)) as typeof db.transaction;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const replyTexts = (client: ChatClient) => replyFrames(client).map((frame) => frame.text as string);

  async function repliesReach(client: ChatClient, count: number): Promise<void> {
    await client.next(() => replyTexts(client).length >= count, 15_000);
    expect(client.frames.some((frame) => frame.type === "error")).toBe(false);
  }

  it("reads no memory for a conversation made up for its message, and the next run sees what it kept", async () => {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    statements.length = 0;
    client.send({ type: "message", text: "my parcel" });
    await repliesReach(client, 1);
    expect(replyTexts(client)).toEqual(["Last time: nothing."]);
    const memoryReads = () =>
      statements.filter((text) => /SELECT memory FROM conversation_memory/.test(text));
    expect(memoryReads()).toEqual([]);

    // The conversation now has runs (and memory): its next run reads it.
    client.send({ type: "message", text: "a refund" });
    await repliesReach(client, 2);
    expect(replyTexts(client)).toEqual(["Last time: nothing.", "Last time: my parcel."]);
    expect(memoryReads()).toHaveLength(1);
    client.ws.close();
  });
});
