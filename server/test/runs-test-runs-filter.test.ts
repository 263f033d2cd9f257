// GET /runs?testRuns=exclude|only and the channel's name on runs: the editor's Runs list shows live runs by
// default (test runs are channel `test`) and names channels instead of showing `web:<uuid>`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const HELLO = `name: hello
nodes:
  - { name: start, type: start }
  - name: done
    type: end
    config: { reply: "Hi" }
edges:
  - { from: start, to: done }
`;

describe.each(TEST_DATABASE_KINDS)("runs list: test runs and channel names on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  let workflowId: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server)).body;
    workflowId = (await call("POST", "/workflows", { yaml: HELLO })).body.id;
    const published = await call("POST", `/workflows/${workflowId}/publish`, { note: "v1" });
    if (published.status !== 201) throw new Error(`publish failed: ${published.text}`);
  });
  afterAll(() => server?.close());

  function call(method: string, path: string, body?: unknown) {
    return server.request(method, path, {
      token: owner.accessToken,
      ...(body === undefined ? {} : { body }),
    });
  }
  const tenantId = () => owner.tenant.id as string;
  const ids = (body: { items: Array<{ id: string }> }) => body.items.map((r) => r.id);

  it("leaves test runs out or lists them alone, and names a run's channel", async () => {
    const channel = await call("POST", "/channels", { kind: "web", name: "Support site", workflow: "hello" });
    expect(channel.status).toBe(201);
    const test = await call("POST", "/runs", { workflow: "hello", draft: true, input: { message: "Hi" } });
    const api = await call("POST", "/runs", { workflow: "hello", input: { message: "Hi" } });
    const web = await server.runs.start({
      tenantId: tenantId(),
      target: { kind: "published", workflowId },
      input: { message: "Hi" },
      channel: `web:${channel.body.id}`,
    });
    for (const id of [test.body.id, api.body.id, web.id]) await server.runs.settled(tenantId(), id, 10_000);

    const all = await call("GET", "/runs");
    expect(ids(all.body)).toEqual(expect.arrayContaining([test.body.id, api.body.id, web.id]));
    const live = await call("GET", "/runs?testRuns=exclude");
    expect(ids(live.body)).toEqual(expect.arrayContaining([api.body.id, web.id]));
    expect(ids(live.body)).not.toContain(test.body.id);
    expect(ids((await call("GET", "/runs?testRuns=only")).body)).toEqual([test.body.id]);
    expect(ids((await call("GET", "/runs?testRuns=include")).body)).toEqual(
      ids((await call("GET", "/runs")).body),
    );
    expect((await call("GET", "/runs?testRuns=yes")).body.error).toMatchObject({ code: "FD355" });

    const names = Object.fromEntries(
      all.body.items.map((r: { id: string; channelName: string | null }) => [r.id, r.channelName]),
    );
    expect(names[web.id]).toBe("Support site");
    expect(names[api.body.id]).toBeNull();
    expect((await call("GET", `/runs/${web.id}`)).body.channelName).toBe("Support site");
    expect((await call("GET", `/runs/${test.body.id}`)).body.channelName).toBeNull();

    // A deleted channel still names its past runs.
    expect((await call("DELETE", `/channels/${channel.body.id}`)).status).toBe(204);
    expect((await call("GET", `/runs/${web.id}`)).body.channelName).toBe("Support site");
  });
});
