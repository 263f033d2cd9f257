import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";
import { createChannel, openClient, publishFlow, SHOP_ORIGIN, socketUrl } from "./chat-support";

const FLOW = `name: limits
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "ok" } }
edges:
  - { from: start, to: done }
`;

describe("chat session limits", () => {
  let server: TestServer;
  let token: string;
  let workflowId: string;
  let key: string;

  beforeAll(async () => {
    // Access tokens that live 3 s; pings every 200 ms.
    server = await startTestServer(
      "pg",
      { accessTokenTtlSeconds: 3 },
      { chat: { heartbeatIntervalMs: 200 } },
    );
    token = (await registerAccount(server)).body.accessToken;
    workflowId = await publishFlow(server, token, FLOW);
    key = (
      await createChannel(server, token, { kind: "web", workflow: workflowId, allowedOrigins: [SHOP_ORIGIN] })
    ).publishableKey;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("terminates a peer that stops answering pings, and keeps one that answers", async () => {
    const alive = await openClient(socketUrl(server, { key }), { origin: SHOP_ORIGIN });
    const dead = await new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(socketUrl(server, { key }), ["flowdeck.v1"], {
        headers: { origin: SHOP_ORIGIN },
        autoPong: false,
      });
      ws.once("open", () => resolve(ws));
    });
    const closed = await new Promise<number>((resolve) => dead.once("close", (code) => resolve(code)));
    expect(closed).toBe(1006); // terminated: no close handshake
    alive.send({ type: "message", text: "still here" });
    expect((await alive.next((f) => f.type === "reply")).text).toBe("ok");
    alive.ws.close();
  });

  it("ends a staff session when its access token expires (1008 FD384)", async () => {
    const staff = await openClient(socketUrl(server, { token, workflow: workflowId }));
    staff.send({ type: "message", text: "hi" });
    expect((await staff.next((f) => f.type === "reply")).text).toBe("ok");
    const closed = await staff.closed(10_000);
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain("FD384");
  });
});
