import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRunStore } from "@flowdeck/runtime";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const flow = (text: string) => `name: greeting
nodes:
  - { name: start, type: start }
  - name: hello
    type: reply
    config: { text: "${text}" }
  - { name: done, type: end }
edges:
  - { from: start, to: hello }
  - { from: hello, to: done }
`;

// A blank required text became an error (FD111) after versions with one could be published. Those versions
// are what live channels run: they must go on running as they did, not stop with "no longer validates".
describe.each(TEST_DATABASE_KINDS)("a version published before a newer rule (%s)", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server)).body;
  });
  afterAll(() => server?.close());

  const call = (method: string, path: string, body?: unknown) =>
    server.request(method, path, { token: owner.accessToken, ...(body === undefined ? {} : { body }) });

  it("still runs, while a draft that breaks the rule cannot be published", async () => {
    const created = await call("POST", "/workflows", { yaml: flow("Hi") });
    expect((await call("POST", `/workflows/${created.body.id}/publish`, { note: "v1" })).status).toBe(201);
    // As stored by a Flowdeck from before the rule.
    await server.testDb.db.ownerTransaction((sql) =>
      sql.query(
        `UPDATE workflow_versions SET yaml = replace(yaml, 'text: "Hi"', 'text: ""') WHERE workflow_id = $1`,
        [created.body.id],
      ),
    );

    const started = await call("POST", "/runs", { workflow: "greeting", input: {} });
    expect(started.status).toBe(202);
    const run = await server.runs.settled(owner.tenant.id, started.body.id, 10_000);
    expect(run.status).toBe("completed");
    const events = await createRunStore(server.testDb.db).listEvents(owner.tenant.id, run.id);
    // It runs, but its blank text is not sent as an empty bubble; the step says why.
    expect(events.filter((event) => event.type === "message.sent")).toEqual([]);
    const detail = await call("GET", `/runs/${run.id}`);
    expect(detail.body.steps.find((step: JsonBody) => step.nodeName === "hello").details).toEqual({
      notes: [
        expect.objectContaining({
          code: "FD215",
          message: "The reply's text was blank, so nothing was sent.",
        }),
      ],
    });

    const draft = await call("GET", `/workflows/${created.body.id}`);
    const saved = await server.request("PUT", `/workflows/${created.body.id}/draft`, {
      token: owner.accessToken,
      body: { yaml: flow("") },
      headers: { "if-match": draft.headers.etag as string },
    });
    expect(saved.status).toBe(200);
    const republished = await call("POST", `/workflows/${created.body.id}/publish`, { note: "v2" });
    expect(republished.status).toBe(422);
    expect(JSON.stringify(republished.body)).toContain("FD111");
  });
});
