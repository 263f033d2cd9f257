// GET /runs says what each run was about: the message that started it, on one line and clipped, as Intercom's and
// Dify's logs do, so a support lead finds "the one about order 1001" without opening runs one by one. Read from the
// run row's own input (no journal read), only for the caller's tenant, and for every member who may open the run.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { clipPreview, RUN_PREVIEW_CHARS, RUN_PREVIEW_READ_CHARS } from "../src/runs/run-preview";
import { signPayload } from "../src/webhooks/webhook-signature";
import { createChannel, publishFlow } from "./chat-support";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const HELLO = `name: hello
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Hi" } }
edges:
  - { from: start, to: done }
`;

/** A webhook-triggered flow whose payload carries no message: an order system's call. */
const ORDER_HOOK = `name: order_hook
trigger: { type: webhook }
nodes:
  - name: start
    type: start
    config:
      inputs:
        - { name: order_id, type: string, required: true }
  - { name: done, type: end, config: { outcome: resolved, output: { seen: "{{ input.order_id }}" } } }
edges:
  - { from: start, to: done }
`;

/** A webhook-triggered flow answering a message (a help-desk form posting what the customer typed). */
const MESSAGE_HOOK = `name: message_hook
trigger: { type: webhook }
nodes:
  - name: start
    type: start
    config:
      inputs:
        - { name: message, type: string, required: true }
  - { name: done, type: end, config: { outcome: resolved, output: { echo: "{{ input.message }}" } } }
edges:
  - { from: start, to: done }
`;

describe("clipPreview", () => {
  it("keeps a short message as it is, on one line", () => {
    expect(clipPreview("Where is order 1001?")).toBe("Where is order 1001?");
    expect(clipPreview("  Hello,\n\n  my parcel\tis late  ")).toBe("Hello, my parcel is late");
  });

  it("has nothing to show for blank or missing text", () => {
    expect(clipPreview(null)).toBeNull();
    expect(clipPreview(undefined)).toBeNull();
    expect(clipPreview(" \n\t ")).toBeNull();
  });

  it("cuts at the limit with a closing ellipsis, counting an emoji as one character and never splitting it", () => {
    const long = "😀".repeat(200);
    const clipped = clipPreview(long)!;
    expect(Array.from(clipped)).toHaveLength(RUN_PREVIEW_CHARS);
    expect(clipped.endsWith("😀…")).toBe(true);
    const exact = "x".repeat(RUN_PREVIEW_CHARS);
    expect(clipPreview(exact)).toBe(exact);
    expect(clipPreview(`${exact}y`)).toBe(`${"x".repeat(RUN_PREVIEW_CHARS - 1)}…`);
  });

  it("marks text the database cut at its read limit as cut, even when its spaces collapse to fit", () => {
    const spaced = `${"a ".repeat(10)}${" ".repeat(RUN_PREVIEW_READ_CHARS - 20)}`;
    expect(clipPreview(spaced)).toBe("a a a a a a a a a a…");
  });
});

describe.each(TEST_DATABASE_KINDS)("the runs list's preview on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let other: JsonBody;

  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server, { tenantName: "Previewed" })).body;
    other = (await registerAccount(server, { tenantName: "Next door" })).body;
    await publishFlow(server, owner.accessToken, HELLO);
    await publishFlow(server, other.accessToken, HELLO);
  }, 60_000);
  afterAll(() => server?.close());

  const as = (token: string) => (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token, ...(body === undefined ? {} : { body }) });

  async function started(token: string, input: Record<string, unknown>, tenantId: string) {
    const res = await as(token)("POST", "/runs", { workflow: "hello", input });
    expect(res.status).toBe(202);
    await server.runs.settled(tenantId, res.body.id, 10_000);
    return res.body.id as string;
  }

  const previews = async (token: string, query = "") => {
    const res = await as(token)("GET", `/runs${query}`);
    expect(res.status).toBe(200);
    return new Map<string, string | null>(
      res.body.items.map((run: JsonBody) => [run.id as string, run.preview as string | null]),
    );
  };

  it("shows the message that started a run on one line, clipped to 120 characters", async () => {
    const tenant = owner.tenant.id as string;
    const short = await started(owner.accessToken, { message: "Where is order 1001?\n\nThanks!" }, tenant);
    const long = await started(
      owner.accessToken,
      { message: `My parcel ${"is very late ".repeat(40)}` },
      tenant,
    );
    const none = await started(owner.accessToken, {}, tenant);
    const fields = await started(
      owner.accessToken,
      { customer_email: "ann@example.com", topic: "refund" },
      tenant,
    );

    const seen = await previews(owner.accessToken);
    expect(seen.get(short)).toBe("Where is order 1001? Thanks!");
    const clipped = seen.get(long)!;
    expect(clipped).toHaveLength(RUN_PREVIEW_CHARS);
    expect(clipped).toMatch(/^My parcel is very late is very late .*…$/);
    expect(seen.get(none)).toBeNull();
    // No message: the input itself, as JSON text (what the run page shows as its input).
    expect(seen.get(fields)).toBe('{"topic": "refund", "customer_email": "ann@example.com"}');
  });

  it("previews webhook runs: the posted message, or the payload of a call without one", async () => {
    const token = owner.accessToken as string;
    const orders = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, ORDER_HOOK),
    });
    const messages = await createChannel(server, token, {
      kind: "webhook",
      workflow: await publishFlow(server, token, MESSAGE_HOOK),
    });
    const post = (channel: JsonBody, payload: unknown) => {
      const raw = JSON.stringify(payload);
      const timestamp = Math.floor(Date.now() / 1000);
      return server.request("POST", `/webhooks/${channel.id}`, {
        rawBody: raw,
        headers: {
          "flowdeck-signature": signPayload(channel.webhookSecret, timestamp, raw),
          "flowdeck-message-id": randomUUID(),
        },
      });
    };
    const order = await post(orders, { order_id: "A-1001" });
    expect(order.status).toBe(200);
    const message = await post(messages, { message: "Can I change my delivery address?" });
    expect(message.status).toBe(200);

    const seen = await previews(token, `?channel=${encodeURIComponent(`webhook:${orders.id}`)}`);
    expect([...seen]).toEqual([[order.body.runId, '{"order_id": "A-1001"}']]);
    expect((await previews(token)).get(message.body.runId)).toBe("Can I change my delivery address?");
  });

  it("answers each tenant with its own runs' previews only", async () => {
    const mine = await started(owner.accessToken, { message: "Previewed's secret order 7" }, owner.tenant.id);
    const theirs = await started(other.accessToken, { message: "Next door's order 9" }, other.tenant.id);
    const ownView = await previews(owner.accessToken);
    const otherView = await previews(other.accessToken);
    expect(ownView.get(mine)).toBe("Previewed's secret order 7");
    expect(ownView.has(theirs)).toBe(false);
    expect([...otherView.values()]).toEqual(["Next door's order 9"]);
    expect(otherView.has(mine)).toBe(false);
  });

  it("shows a viewer the preview of what the viewer may open anyway", async () => {
    const email = `viewer-${randomUUID()}@example.com`;
    const invited = await as(owner.accessToken)("POST", "/invitations", { email, role: "viewer" });
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: invited.body.token, password: "a fine new password" },
    });
    expect(accepted.status).toBe(200);
    const viewer = accepted.body.accessToken as string;
    const run = await started(owner.accessToken, { message: "Viewer can read this" }, owner.tenant.id);
    expect((await previews(viewer, `?workflow=hello`)).get(run)).toBe("Viewer can read this");
    expect((await as(viewer)("GET", `/runs/${run}`)).body.input).toEqual({ message: "Viewer can read this" });
  });
});
