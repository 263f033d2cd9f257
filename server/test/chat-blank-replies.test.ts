import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "@flowdeck/runtime";
import { framesForEvents } from "../src/chat/chat-frames";
import { signPayload } from "../src/webhooks/webhook-signature";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import {
  createChannel,
  openClient,
  publishFlow,
  replyFrames,
  sayAndWait,
  SHOP_ORIGIN,
  socketUrl,
} from "./chat-support";

// A reply whose template rendered blank reached the customer as an empty chat bubble. The engine now sends
// nothing for it (runtime blank-messages.test.ts); here, what a customer's client receives over each channel
// (HTTP chat, the widget's socket and its catch-up) and what staff see in a test run: the step's note.
const FLOW = `name: blank_reply
nodes:
  - { name: start, type: start }
  - name: empty
    type: reply
    config: { text: "{{ vars.missing }}", quick_replies: [Yes, No] }
  - name: hello
    type: reply
    config: { text: "Hello there." }
  - { name: done, type: end }
edges:
  - { from: start, to: empty }
  - { from: empty, to: hello }
  - { from: hello, to: done }
`;

describe("a blank reply over the chat channels", () => {
  let server: TestServer;
  let token: string;
  let workflowId: string;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer("pg");
    token = (await registerAccount(server, { tenantName: "Blank" })).body.accessToken as string;
    workflowId = await publishFlow(server, token, FLOW);
    const channel = await createChannel(server, token, {
      kind: "web",
      workflow: workflowId,
      allowedOrigins: [SHOP_ORIGIN],
    });
    key = channel.publishableKey as string;
  }, 60_000);
  afterAll(() => server?.close());

  it("answers POST /chat/messages with the non-blank replies only", async () => {
    const answer = await server.request("POST", "/chat/messages", {
      body: { text: "hi" },
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe("completed");
    expect(answer.body.replies.map((reply: JsonBody) => reply.text)).toEqual(["Hello there."]);
  });

  it("sends the widget no empty reply, live or in the catch-up", async () => {
    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    await sayAndWait(client, "hi");
    expect(replyFrames(client).map((frame) => frame.text)).toEqual(["Hello there."]);
    const conversationId = String(replyFrames(client)[0]!.conversationId);
    client.ws.close();

    const back = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    back.send({ type: "resume", conversationId });
    // The log is replayed in order, so a reply for the blank step would come before this one.
    await back.next(() => replyFrames(back).length >= 1, 15_000);
    expect(replyFrames(back).map((frame) => frame.text)).toEqual(["Hello there."]);
    back.ws.close();
  });

  // The customer's side: a message of spaces alone started a run on nothing. Each channel refuses it in words.
  it("refuses a customer message of spaces alone on HTTP chat, the socket and a chat webhook", async () => {
    const http = await server.request("POST", "/chat/messages", {
      body: { text: " \n\t " },
      headers: { "x-channel-key": key, origin: SHOP_ORIGIN },
    });
    expect([http.status, http.body.error.code, http.body.error.message]).toEqual([
      400,
      "FD300",
      expect.stringContaining("cannot be blank"),
    ]);

    const client = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    client.send({ type: "message", text: "   ", id: "blank-message-0001" });
    const refused = await client.next((frame) => frame.type === "error", 10_000);
    expect(refused).toMatchObject({
      code: "FD373",
      id: "blank-message-0001",
      message: expect.stringContaining("blank"),
    });
    client.ws.close();

    const hook = await createChannel(server, token, { kind: "webhook", workflow: workflowId });
    const raw = JSON.stringify({ text: "  " });
    const timestamp = Math.floor(Date.now() / 1000);
    const webhook = await server.request("POST", `/webhooks/${String(hook.id)}`, {
      rawBody: raw,
      headers: {
        "flowdeck-signature": signPayload(String(hook.webhookSecret), timestamp, raw),
        "flowdeck-message-id": "blank-hook-1",
      },
    });
    expect([webhook.status, webhook.body.error.code]).toEqual([400, "FD373"]);
    expect(webhook.body.error.message).toContain("blank");
    // Nothing ran for any of them.
    const runs = await server.request("GET", `/runs?workflow=${workflowId}`, { token });
    expect(runs.body.items.filter((run: JsonBody) => run.channel !== "test")).toEqual([]);
  });

  it("shows staff in a test run why the reply sent nothing", async () => {
    const staff = await openClient(socketUrl(server, { token, workflow: workflowId, draft: "1" }));
    await sayAndWait(staff, "hi");
    expect(replyFrames(staff).map((frame) => frame.text)).toEqual(["Hello there."]);
    const step = staff.frames.find(
      (frame) => frame.type === "step" && frame.event === "step.completed" && frame.data.node === "empty",
    );
    expect(step?.data.details).toEqual({
      notes: [
        {
          code: "FD215",
          message:
            "The reply's text was blank, so nothing was sent; its quick replies were left out too, as buttons need a message to go with.",
          hint: expect.any(String),
        },
      ],
    });
    staff.ws.close();
  });
});

// Runs logged before the engine dropped blank messages still hold them; a catch-up or a relay of such a log
// shows no empty bubble either, and the ids of the messages around it do not move.
describe("a blank message in an older event log", () => {
  const at = "2026-12-01T10:00:00.000Z";
  const sent = (text: string, index?: number): RunEvent => ({
    type: "message.sent",
    data: { stepId: "main/ask#1", text, ...(index === undefined ? {} : { index }) },
    at,
  });

  it("becomes no reply frame, with or without the engine's index", () => {
    for (const events of [
      [sent("", 0), sent(" \n", 1), sent("Which order?", 2)],
      [sent(""), sent(" \n"), sent("Which order?")],
    ]) {
      const frames = framesForEvents("conv-1", "run-1", events, false);
      expect(frames).toEqual([
        {
          type: "reply",
          conversationId: "conv-1",
          id: "run-1|main/ask#1|2",
          author: "bot",
          text: "Which order?",
          at,
        },
      ]);
    }
  });
});
