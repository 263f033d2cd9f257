import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// A team's order system wants a token: it is stored once in the workspace (sealed, shown by its last four
// characters), named in the flow, sent in the header, and never written into the YAML, the trace or the audit.
const TOKEN = "sk_live_order_system_9f3a7c21";

const flow = (name: string, url: string) => `name: ${name}
nodes:
  - { name: start, type: start }
  - name: fetch
    type: tool.http
    config:
      url: "${url}"
      auth: { credential: order_api }
  - { name: done, type: end, config: { reply: "status {{ nodes.fetch.output.status }}" } }
  - name: refused
    type: end
    config: { reply: "refused {{ nodes.fetch.output.error.code }}", outcome: unresolved }
edges:
  - { from: start, to: fetch }
  - { from: fetch, to: done }
  - { from: fetch, to: refused, port: error }
`;

describe("credentials for tools", () => {
  let server: TestServer;
  let orders: Server;
  let url: string;
  let owner: JsonBody;
  let other: JsonBody;
  const seen: IncomingHttpHeaders[] = [];
  let credentialId: string;

  beforeAll(async () => {
    orders = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => orders.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(orders.address() as { port: number }).port}/orders`;
    server = await startTestServer("pg");
    owner = (await registerAccount(server)).body;
    other = (await registerAccount(server)).body;
    for (const account of [owner, other]) {
      const allowed = await server.request("PUT", "/settings/http-allow-list", {
        token: account.accessToken,
        body: { entries: ["127.0.0.1"] },
      });
      if (allowed.status !== 200) throw new Error(`allow-list refused: ${allowed.text}`);
    }
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => orders?.close(resolve));
  });

  async function run(account: JsonBody): Promise<{ reply: string; trace: string }> {
    const token = account.accessToken as string;
    const name = `orders_${Math.random().toString(36).slice(2, 8)}`;
    const created = await server.request("POST", "/workflows", { token, body: { yaml: flow(name, url) } });
    expect(created.status).toBe(201);
    await server.request("POST", `/workflows/${created.body.id}/publish`, { token, body: {} });
    const started = await server.request("POST", "/runs", { token, body: { workflow: name, input: {} } });
    const settled = await server.runs.settled(account.tenant.id, started.body.id, 15_000);
    const detail = await server.request("GET", `/runs/${started.body.id}`, { token });
    const events = await server.request("GET", `/runs/${started.body.id}/events`, { token });
    return {
      reply: String((settled.output as { reply?: unknown } | null)?.reply ?? settled.status),
      trace: detail.text + events.text,
    };
  }

  it("sends a stored credential in its header, and keeps it out of the list, the trace and the audit", async () => {
    const token = owner.accessToken as string;
    const stored = await server.request("POST", "/settings/credentials", {
      token,
      body: { name: "order_api", value: TOKEN },
    });
    expect(stored.status).toBe(201);
    expect(stored.body).toEqual({
      id: expect.any(String),
      name: "order_api",
      last4: "7c21",
      replaced: false,
    });
    credentialId = stored.body.id;
    const listed = await server.request("GET", "/settings/credentials", { token });
    expect(listed.body.items).toEqual([
      { id: credentialId, name: "order_api", last4: "7c21", updatedAt: expect.any(String) },
    ]);
    expect(listed.text).not.toContain(TOKEN);

    const { reply, trace } = await run(owner);
    expect(reply).toBe("status 200");
    expect(seen.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(trace).not.toContain(TOKEN);
    const audit = await server.request("GET", "/audit?action=credential.*", { token });
    expect(audit.body.items.map((item: JsonBody) => item.action)).toEqual(["credential.create"]);
    expect(audit.text).not.toContain(TOKEN);
  }, 30_000);

  it("is the workspace's own: another tenant's step naming it fails FD252, as does one after deletion", async () => {
    const before = seen.length;
    expect((await run(other)).reply).toBe("refused FD252");
    const token = owner.accessToken as string;
    // Another tenant cannot delete it either.
    const foreign = await server.request("DELETE", `/settings/credentials/${credentialId}`, {
      token: other.accessToken,
    });
    expect(foreign.status).toBe(404);
    expect((await server.request("DELETE", `/settings/credentials/${credentialId}`, { token })).status).toBe(
      204,
    );
    expect((await run(owner)).reply).toBe("refused FD252");
    expect(seen.length).toBe(before);
    expect((await server.request("DELETE", `/settings/credentials/${credentialId}`, { token })).status).toBe(
      404,
    );
    const bad = await server.request("POST", "/settings/credentials", {
      token,
      body: { name: "Order-API", value: "x" },
    });
    expect(bad.body.error.code).toBe("FD300");
  }, 30_000);
});
