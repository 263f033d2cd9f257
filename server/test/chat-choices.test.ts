import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signPayload } from "../src/webhooks/webhook-signature";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import {
  createChannel,
  eventually,
  openClient,
  publishFlow,
  replyFrames,
  sayAndWait,
  SHOP_ORIGIN,
  socketUrl,
} from "./chat-support";

// An ask's `choices` and a reply's `quick_replies` were documented as buttons but reached no channel: the
// customer had to type "Yes, cancel it" letter for letter. Each reply now carries the answers it offers, over
// HTTP chat, the widget's socket (live and in the catch-up) and a webhook channel's outbound messages.
const FLOW = `name: offers_choices
nodes:
  - { name: start, type: start }
  - name: confirm
    type: ask
    config: { prompt: "Shall I cancel it?", variable: answer, choices: ["Yes, cancel it", "No, keep it"] }
  - name: next
    type: reply
    config: { text: "You said {{ vars.answer }}.", quick_replies: [Track my order, Talk to a person] }
  - name: plain
    type: reply
    config: { text: "Anything else?" }
  - { name: done, type: end }
edges:
  - { from: start, to: confirm }
  - { from: confirm, to: next }
  - { from: next, to: plain }
  - { from: plain, to: done }
`;

const CONFIRM = ["Yes, cancel it", "No, keep it"];
const NEXT = ["Track my order", "Talk to a person"];

describe("answers offered as buttons", () => {
  let server: TestServer;
  let receiver: Server;
  const received: JsonBody[] = [];
  let key: string;
  let hook: JsonBody;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(JSON.parse(body) as JsonBody);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer(
      "pg",
      {},
      { chat: { outboundAllowList: ["127.0.0.1"], outboundBackoffMs: 20, outboundSweepIntervalMs: 50 } },
    );
    const token = (await registerAccount(server, { tenantName: "Buttons" })).body.accessToken as string;
    const workflowId = await publishFlow(server, token, FLOW);
    const web = await createChannel(server, token, {
      kind: "web",
      workflow: workflowId,
      allowedOrigins: [SHOP_ORIGIN],
    });
    key = web.publishableKey as string;
    hook = await createChannel(server, token, {
      kind: "webhook",
      workflow: workflowId,
      outboundUrl: receiverUrl,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  const chat = (body: JsonBody) =>
    server.request("POST", "/chat/messages", {
      body,
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });

  it("answers POST /chat/messages with each reply's buttons, and a label answers the ask", async () => {
    const first = await chat({ text: "hi" });
    expect(first.body.replies).toMatchObject([{ text: "Shall I cancel it?", choices: CONFIRM }]);
    const second = await chat({ text: "No, keep it", conversationId: first.body.conversationId });
    expect(second.body.replies).toEqual([
      expect.objectContaining({ text: "You said No, keep it.", choices: NEXT }),
      // A message that offers nothing carries no list at all.
      expect.not.objectContaining({ choices: expect.anything() }),
    ]);
  });

  it("sends the widget the buttons live and again in the catch-up", async () => {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    await sayAndWait(client, "hi");
    await sayAndWait(client, "Yes, cancel it");
    const live = replyFrames(client).map(({ text, choices }) => ({ text, choices }));
    expect(live).toEqual([
      { text: "Shall I cancel it?", choices: CONFIRM },
      { text: "You said Yes, cancel it.", choices: NEXT },
      { text: "Anything else?", choices: undefined },
    ]);
    const conversationId = String(replyFrames(client)[0]!.conversationId);
    client.ws.close();

    const back = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    back.send({ type: "resume", conversationId });
    await back.next(() => replyFrames(back).length >= 3, 15_000);
    expect(replyFrames(back).map(({ text, choices }) => ({ text, choices }))).toEqual(live);
    back.ws.close();
  });

  it("sends a webhook channel's receiver the buttons with each reply", async () => {
    const post = (payload: JsonBody, messageId: string) => {
      const raw = JSON.stringify(payload);
      const timestamp = Math.floor(Date.now() / 1000);
      return server.request("POST", `/webhooks/${hook.id}`, {
        rawBody: raw,
        headers: {
          "flowdeck-signature": signPayload(hook.webhookSecret, timestamp, raw),
          "flowdeck-message-id": messageId,
        },
      });
    };
    const accepted = await post({ text: "hi" }, "m-choices-1");
    expect(accepted.status).toBe(202);
    await eventually(() => received.some((message) => message.text === "Shall I cancel it?"));
    expect(received.find((message) => message.text === "Shall I cancel it?")).toMatchObject({
      type: "reply",
      choices: CONFIRM,
    });
  });
});
