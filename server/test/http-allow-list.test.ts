import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// A team's own order system on a private address: refused by default (SSRF rules), reachable once the
// tenant's admins allow-list it, and for that tenant only. Metadata addresses stay refused even when listed.
const callFlow = (url: string) => `name: call_orders
nodes:
  - { name: start, type: start }
  - name: fetch
    type: tool.http
    config: { method: GET, url: "${url}", timeout_ms: 3000 }
  - name: done
    type: end
    config: { reply: "status {{ nodes.fetch.output.status }}" }
  - name: refused
    type: end
    config: { reply: "refused {{ nodes.fetch.output.error.code }}", outcome: unresolved }
edges:
  - { from: start, to: fetch }
  - { from: fetch, to: done }
  - { from: fetch, to: refused, port: error }
`;

describe("the workspace's HTTP allow-list", () => {
  let server: TestServer;
  let orders: Server;
  let ordersUrl: string;
  let owner: JsonBody;
  let other: JsonBody;
  let hits = 0;

  beforeAll(async () => {
    orders = createServer((_req, res) => {
      hits += 1;
      res
        .writeHead(200, { "content-type": "application/json" })
        .end('{"order":"AO-10492","status":"shipped"}');
    });
    await new Promise<void>((resolve) => orders.listen(0, "127.0.0.1", resolve));
    ordersUrl = `http://127.0.0.1:${(orders.address() as { port: number }).port}/orders/AO-10492`;
    server = await startTestServer("pg");
    owner = (await registerAccount(server)).body;
    other = (await registerAccount(server)).body;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => orders?.close(resolve));
  });

  const call = (method: string, path: string, token: string, body?: unknown) =>
    server.request(method, path, { token, ...(body === undefined ? {} : { body }) });

  /** Publishes a flow calling `url` for the account and runs it; answers the run's reply. */
  async function runCall(account: JsonBody, url: string): Promise<string> {
    const token = account.accessToken as string;
    const yaml = callFlow(url).replace("call_orders", `call_${Math.random().toString(36).slice(2, 8)}`);
    const created = await call("POST", "/workflows", token, { yaml });
    expect(created.status).toBe(201);
    expect((await call("POST", `/workflows/${created.body.id}/publish`, token, {})).status).toBe(201);
    const name = /^name: (\S+)/.exec(yaml)![1];
    const started = await call("POST", "/runs", token, { workflow: name, input: {} });
    expect(started.status).toBe(202);
    const run = await server.runs.settled(account.tenant.id, started.body.id, 15_000);
    return String((run.output as { reply?: unknown } | null)?.reply ?? run.status);
  }

  it("refuses a private host until an admin lists it, then calls it for that tenant only", async () => {
    const token = owner.accessToken as string;
    expect(await runCall(owner, ordersUrl)).toBe("refused FD240");
    expect(hits).toBe(0);

    const put = await call("PUT", "/settings/http-allow-list", token, {
      entries: ["127.0.0.1", " 10.20.0.0/16 "],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ entries: ["127.0.0.1", "10.20.0.0/16"], updatedBy: owner.user.id });
    expect((await call("GET", "/settings/http-allow-list", token)).body.entries).toEqual([
      "127.0.0.1",
      "10.20.0.0/16",
    ]);

    expect(await runCall(owner, ordersUrl)).toBe("status 200");
    expect(hits).toBe(1);
    // The other tenant's list is its own (empty): the same host stays refused for it.
    expect(await runCall(other, ordersUrl)).toBe("refused FD240");
    expect(hits).toBe(1);

    const audit = await call("GET", "/audit?action=settings.http_allow_list", token);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actorId: owner.user.id,
      detail: { before: [], after: ["127.0.0.1", "10.20.0.0/16"] },
    });
  }, 60_000);

  it("keeps cloud metadata addresses refused in every spelling, even when listed", async () => {
    const token = owner.accessToken as string;
    const listed = ["127.0.0.1", "169.254.169.254", "169.254.0.0/16", "fd00:ec2::254", "::ffff:0:0/96"];
    expect((await call("PUT", "/settings/http-allow-list", token, { entries: listed })).status).toBe(200);
    const variants = [
      "http://169.254.169.254/latest/meta-data/",
      "http://[::ffff:169.254.169.254]/latest/meta-data/",
      "http://2852039166/latest/meta-data/",
      "http://0xa9fea9fe/latest/meta-data/",
      "http://[fd00:ec2::254]/latest/meta-data/",
    ];
    for (const url of variants)
      expect({ url, reply: await runCall(owner, url) }).toEqual({ url, reply: "refused FD240" });
  }, 90_000);

  it("refuses an entry it cannot read, naming it, and lets only admins change the list", async () => {
    const token = owner.accessToken as string;
    const bad = await call("PUT", "/settings/http-allow-list", token, {
      entries: ["10.0.0.1", "not a host!"],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: "FD300",
      message: expect.stringContaining("Entry 2"),
      details: { field: "/entries/1" },
    });
    // Nothing saved by the refused request.
    expect((await call("GET", "/settings/http-allow-list", token)).body.entries).not.toContain("10.0.0.1");

    const invite = await call("POST", "/invitations", token, {
      email: `ed-${Date.now()}@example.com`,
      role: "editor",
    });
    expect(invite.status).toBe(201);
    const accepted = await server.request("POST", "/invitations/accept", {
      body: { token: invite.body.token, password: "a long enough password" },
    });
    const editor = accepted.body.accessToken as string;
    expect((await call("PUT", "/settings/http-allow-list", editor, { entries: [] })).body.error.code).toBe(
      "FD313",
    );
    expect((await call("GET", "/settings/http-allow-list", editor)).status).toBe(403);
  }, 30_000);
});
