import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";
import {
  createChannel,
  openClient,
  publishFlow,
  SHOP_ORIGIN,
  socketUrl,
  type ChatClient,
} from "./chat-support";

const FLOW = `name: caps
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "ok" } }
edges:
  - { from: start, to: done }
`;

const CAPS = {
  maxOpenSocketsPerAddress: 3,
  maxOpenSocketsPerChannel: 4,
  maxNewSocketsPerAddress: 20,
  newSocketWindowMs: 60_000,
};

interface Upgrade {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: JsonBody;
}

/** One upgrade attempt: 101 (closed again at once) or the refusal's status, Retry-After and JSON body. */
function attempt(url: string, headers: Record<string, string>): Promise<Upgrade> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, ["flowdeck.v1"], { headers });
    ws.on("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: res.headers["retry-after"] as string | undefined,
          body: JSON.parse(text),
        }),
      );
    });
    ws.on("open", () => {
      ws.close();
      resolve({ status: 101, retryAfter: undefined, body: undefined });
    });
    ws.on("error", () => undefined);
  });
}

// The server trusts loopback proxies, so X-Forwarded-For names the client address as a load balancer would.
describe("/ws/chat connection caps", () => {
  let server: TestServer;
  let keys: string[];
  const open: ChatClient[] = [];
  const from = (address: string) => ({ origin: SHOP_ORIGIN, "x-forwarded-for": address });
  const connect = async (key: string, address: string) => {
    const client = await openClient(socketUrl(server, { key }), from(address));
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer("pg", { trustProxy: "loopback" }, { chat: CAPS });
    const token = (await registerAccount(server)).body.accessToken as string;
    const workflow = await publishFlow(server, token, FLOW);
    keys = [];
    for (let i = 0; i < 3; i += 1) {
      const channel = await createChannel(server, token, {
        kind: "web",
        workflow,
        allowedOrigins: [SHOP_ORIGIN],
      });
      keys.push(channel.publishableKey as string);
    }
  }, 60_000);
  afterEach(async () => {
    for (const client of open.splice(0)) {
      client.ws.close();
      await client.closed();
    }
  });
  afterAll(() => server?.close());

  it("refuses the socket over the cap from one address with one key (429 FD386); another address is unaffected; closing frees a slot", async () => {
    const [key] = keys as [string];
    const first = await connect(key, "203.0.113.1");
    await connect(key, "203.0.113.1");
    await connect(key, "203.0.113.1");
    const over = await attempt(socketUrl(server, { key }), from("203.0.113.1"));
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: "FD386" });
    expect(over.body.error.message).toContain("address");
    expect(Number(over.retryAfter)).toBeGreaterThan(0);

    const other = await connect(key, "203.0.113.2");
    other.send({ type: "message", text: "hi" });
    expect((await other.next((f) => f.type === "reply")).text).toBe("ok");

    first.ws.close();
    await first.closed();
    open.splice(open.indexOf(first), 1);
    // The server counts the slot free when its side of the TCP connection closes, just after the client's.
    let again: Upgrade | undefined;
    for (let i = 0; i < 10 && again?.status !== 101; i += 1) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      again = await attempt(socketUrl(server, { key }), from("203.0.113.1"));
    }
    expect(again?.status).toBe(101);
  });

  it("counts an IPv6 client by its /64", async () => {
    const [key] = keys as [string];
    for (const suffix of ["1", "2", "3"]) await connect(key, `2001:db8:1:2::${suffix}`);
    const sameNetwork = await attempt(socketUrl(server, { key }), from("2001:db8:1:2:ffff::9"));
    expect(sameNetwork.body.error.code).toBe("FD386");
    expect((await attempt(socketUrl(server, { key }), from("2001:db8:1:3::1"))).status).toBe(101);
  });

  it("refuses the socket over the cap of one channel key over all addresses; another key is unaffected", async () => {
    const [, key, otherKey] = keys as [string, string, string];
    for (let i = 1; i <= CAPS.maxOpenSocketsPerChannel; i += 1) await connect(key, `198.51.100.${i}`);
    const over = await attempt(socketUrl(server, { key }), from("198.51.100.50"));
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe("FD386");
    expect(over.body.error.message).toContain("channel");
    const other = await connect(otherKey, "198.51.100.50");
    other.send({ type: "message", text: "hi" });
    expect((await other.next((f) => f.type === "reply")).text).toBe("ok");
  });

  it("refuses a flood of new sockets from one address before looking at the key (429 FD387, Retry-After)", async () => {
    const [key] = keys as [string];
    for (let i = 0; i < CAPS.maxNewSocketsPerAddress; i += 1) {
      const refused = await attempt(socketUrl(server, { key: "fdp.bogus" }), from("192.0.2.7"));
      expect(refused.status).toBe(401);
    }
    const flood = await attempt(socketUrl(server, { key }), from("192.0.2.7"));
    expect(flood.status).toBe(429);
    expect(flood.body.error.code).toBe("FD387");
    expect(Number(flood.retryAfter)).toBeGreaterThan(0);
    expect((await attempt(socketUrl(server, { key }), from("192.0.2.8"))).status).toBe(101);
  });
});
