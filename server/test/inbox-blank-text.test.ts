// A staff answer or hand-back note of only spaces used to be accepted (`minLength: 1`) and showed the customer an
// empty bubble. Now both are refused before anything is stored or sent: 400 FD300 naming the field as the inbox
// labels it, the pointer in details for programs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel, publishFlow, SHOP_ORIGIN } from "./chat-support";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const DESK = `name: desk
nodes:
  - { name: start, type: start }
  - name: to_human
    type: handoff
    config: { message: "Connecting you with a person.", reason: "Customer asked for a human" }
  - name: after
    type: end
    config: { reply: "Back with the bot." }
edges:
  - { from: start, to: to_human }
  - { from: to_human, to: after }
`;

const BLANKS = [" ", "   \n\t  ", "\u00a0\u2003"];

describe("blank text from the handoff inbox", () => {
  let server: TestServer;
  let token: string;
  let runId: string;

  beforeAll(async () => {
    server = await startTestServer("pg");
    token = (await registerAccount(server)).body.accessToken;
    const desk = await publishFlow(server, token, DESK);
    const key = (
      await createChannel(server, token, { kind: "web", workflow: desk, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey as string;
    const chat = await server.request("POST", "/chat/messages", {
      body: { text: "A person please" },
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    if (chat.body?.status !== "handoff") throw new Error(`no handoff: ${chat.status} ${chat.text}`);
    runId = chat.body.runId;
  }, 60_000);
  afterAll(() => server?.close());

  const post = (path: string, body: unknown) => server.request("POST", path, { token, body });
  const conversation = async (): Promise<JsonBody> =>
    (await server.request("GET", `/inbox/runs/${runId}`, { token })).body;

  it.each(BLANKS)("refuses an answer of only %j, naming the field, and sends nothing", async (text) => {
    const refused = await post(`/inbox/runs/${runId}/reply`, { text });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: "FD300",
      message: "Your answer to the customer cannot be blank.",
      details: { field: "/text", keyword: "pattern" },
    });
    expect((await conversation()).handoffMessages).toEqual([]);
  });

  it.each(BLANKS)(
    "refuses a hand-back note of only %j, and the conversation stays with the person",
    async (text) => {
      const refused = await post(`/inbox/runs/${runId}/handback`, { resolved: true, text });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: "FD300",
        message: "Your last answer to the customer cannot be blank.",
        details: { field: "/text", keyword: "pattern" },
      });
      const after = await conversation();
      expect(after.status).toBe("handoff");
      expect(after.handoffMessages).toEqual([]);
    },
  );

  it("still says an empty answer cannot be empty, and takes text with spaces around it", async () => {
    const empty = await post(`/inbox/runs/${runId}/reply`, { text: "" });
    expect(empty.body.error).toMatchObject({
      code: "FD300",
      message: "Your answer to the customer cannot be empty.",
    });
    const answered = await post(`/inbox/runs/${runId}/reply`, { text: "  Hi, Sam here.  " });
    expect(answered.status).toBe(201);
    const back = await post(`/inbox/runs/${runId}/handback`, { resolved: true, text: " All sorted. " });
    expect(back.body).toMatchObject({ handedBack: true });
    expect((await conversation()).handoffMessages.map((m: JsonBody) => m.text)).toEqual([
      "  Hi, Sam here.  ",
      " All sorted. ",
    ]);
  });
});
