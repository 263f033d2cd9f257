import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentServerLogger } from "../src/kit/logger";
import { startServer, type RunningServer } from "../src/app/start-server";
import { signPayload } from "../src/webhooks/webhook-signature";
import { requestAt } from "./support/test-server";
import { eventually, GREETER } from "./chat-support";

// What `npm start` / `flowdeck serve` does with FLOWDECK_HTTP_ALLOW_LIST: the operator's list reaches webhook
// replies too, so a developer can point a chat webhook channel at a receiver on their own machine.
describe("FLOWDECK_HTTP_ALLOW_LIST in a started server", () => {
  let root: string;
  let receiver: Server;
  let receiverUrl: string;
  let server: RunningServer;
  const received: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "flowdeck-allow-"));
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startServer({
      env: {
        FLOWDECK_DATA_DIR: join(root, "data"),
        FLOWDECK_SECRETS_DIR: join(root, "secrets"),
        FLOWDECK_HTTP_ALLOW_LIST: "127.0.0.1",
      },
      log: silentServerLogger,
      port: 0,
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    receiver?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("delivers a chat webhook channel's replies to a loopback receiver the list names", async () => {
    const port = Number(new URL(server.url).port);
    const call = (method: string, path: string, options: Parameters<typeof requestAt>[3] = {}) =>
      requestAt(port, method, path, options);
    const registered = await call("POST", "/auth/register", {
      body: { tenantName: "Local dev", email: "dev@example.com", password: "a long enough password" },
    });
    expect(registered.status).toBe(201);
    const token = registered.body.accessToken as string;
    const workflow = await call("POST", "/workflows", { token, body: { yaml: GREETER } });
    expect(workflow.status).toBe(201);
    expect((await call("POST", `/workflows/${workflow.body.id}/publish`, { token, body: {} })).status).toBe(
      201,
    );
    const channel = await call("POST", "/channels", {
      token,
      body: { kind: "webhook", workflow: workflow.body.id, outboundUrl: receiverUrl },
    });
    expect(channel.status).toBe(201);

    const raw = JSON.stringify({ text: "hello" });
    const timestamp = Math.floor(Date.now() / 1000);
    const sent = await call("POST", `/webhooks/${channel.body.id}`, {
      rawBody: raw,
      headers: {
        "flowdeck-signature": signPayload(channel.body.webhookSecret, timestamp, raw),
        "flowdeck-message-id": "local-1",
      },
    });
    expect(sent.status).toBe(202);
    await eventually(() => received.length >= 1, 15_000, "the reply at the loopback receiver");
    expect(JSON.parse(received[0]!)).toMatchObject({ type: "reply", text: "What's your name?" });
  }, 40_000);
});
