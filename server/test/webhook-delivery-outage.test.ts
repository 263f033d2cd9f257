import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { silentServerLogger } from "../src/kit/logger";
import { DEFAULT_CHAT_OPTIONS, type ChatOptions } from "../src/chat/chat-options";
import { getChatServices } from "../src/chat/chat-services";
import { createOutboundDelivery, type OutboundMessage } from "../src/webhooks/outbound-delivery";
import type { OutboundTarget } from "../src/webhooks/outbound-target";
import { createChannel, publishFlow } from "./chat-support";
import { registerAccount, startTestServer, type TestServer } from "./support/test-server";

const FLOW = `name: hook_flow
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Bye" } }
edges:
  - { from: start, to: done }
`;

// The product walk: the receiver's port was closed for 20 s and the greeting was given up after 1+2+4+8 s.
// Milliseconds stand in for seconds here: the old schedule's window is 2+4+8+16 = 30 ms. The outage lasts at
// least 150 ms and at least 8 attempts (the old schedule had 5), so a slow machine cannot shorten it.
const BACKOFF_MS = 2;
const OUTAGE_MS = 150;
const OUTAGE_ATTEMPTS = 8;

describe.each(TEST_DATABASE_KINDS)("a receiver down longer than the old retry window, on %s", (kind) => {
  let server: TestServer;
  let receiver: Server;
  /** The receiver is down until both: attempts seen, and a time. */
  let downForAttempts = 0;
  let downUntilMs = 0;
  const accepted: string[] = [];
  let attempts = 0;
  let target: OutboundTarget;
  let tenantId: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      attempts += 1;
      // A closed port, as near as a listening server gets: the connection dies without an answer.
      if (attempts <= downForAttempts || Date.now() < downUntilMs) return void req.socket.destroy();
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        accepted.push((JSON.parse(body) as { text: string }).text);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    server = await startTestServer(kind, {}, { chat: { outboundSweepIntervalMs: 3_600_000 } });
    const account = await registerAccount(server);
    const token = account.body.accessToken as string;
    tenantId = account.body.tenant.id as string;
    const channel = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, FLOW),
      outboundUrl: url,
    });
    target = { tenantId, url, secret: channel.webhookSecret as string, channelId: channel.id as string };
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    receiver?.close();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const message = (text: string): OutboundMessage => ({
    type: "reply",
    id: `msg-${text}`,
    conversationId: `conv-${text}`,
    text,
    at: new Date().toISOString(),
  });

  async function row(text: string) {
    return server.testDb.db.transaction(
      async (sql) =>
        (
          await sql.query<{ attempts: number; gave_up: boolean }>(
            `SELECT attempts, gave_up_at IS NOT NULL AS gave_up FROM webhook_deliveries WHERE message_id = $1`,
            [`msg-${text}`],
          )
        ).rows[0],
      { tenantId },
    );
  }

  /** One process's sweeper, run by hand every few ms through an outage, until the message is settled. */
  async function throughOutage(
    text: string,
    options: Partial<ChatOptions>,
    outage: { attempts: number; ms: number },
  ) {
    const delivery = createOutboundDelivery({
      db: server.testDb.db,
      secretBox: getChatServices(server.app).secretBox,
      options: {
        ...DEFAULT_CHAT_OPTIONS,
        outboundAllowList: ["127.0.0.1"],
        outboundSweepIntervalMs: 3_600_000,
        outboundBackoffMs: BACKOFF_MS,
        ...options,
      },
      log: silentServerLogger,
    });
    try {
      attempts = 0;
      downForAttempts = outage.attempts;
      downUntilMs = Date.now() + outage.ms;
      expect(await delivery.deliver(target, message(text))).toBe(false);
      const deadline = Date.now() + 10_000;
      for (;;) {
        await delivery.sweep();
        const owed = await row(text);
        if (!owed || owed.gave_up || Date.now() > deadline) return owed;
        await sleep(3);
      }
    } finally {
      downForAttempts = 0;
      downUntilMs = 0;
      await delivery.close();
    }
  }

  it("was given up under the old schedule (5 attempts, doubling without a cap)", async () => {
    const owed = await throughOutage(
      "old",
      { outboundAttempts: 5, outboundMaxBackoffMs: 3_600_000 },
      { attempts: OUTAGE_ATTEMPTS, ms: OUTAGE_MS },
    );
    expect(owed).toEqual({ attempts: 5, gave_up: true });
    expect(accepted).not.toContain("old");
  });

  it("is delivered once the receiver is back, with capped waits keeping it owed", async () => {
    // Sixty attempts at least 9 ms apart (540 ms): the outage ends long before they do.
    const started = Date.now();
    const owed = await throughOutage(
      "greeting",
      { outboundAttempts: 60, outboundMaxBackoffMs: 10 },
      { attempts: OUTAGE_ATTEMPTS, ms: OUTAGE_MS },
    );
    expect(owed).toBeUndefined();
    expect(accepted).toEqual(["greeting"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(attempts).toBeGreaterThan(OUTAGE_ATTEMPTS);
    expect(attempts).toBeLessThan(60);
  });
});
