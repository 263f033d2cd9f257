import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

// Issue 17: regression cases are a test run's id stored with its workflow; running one is a replay against
// the draft, which passes for an unchanged flow (a greeted conversation is not greeted twice) and fails with
// the route's difference once the draft changes.
const flow = (reply: string) => `name: greeter
nodes:
  - name: start
    type: start
    config: { greeting: "Hello!" }
  - name: answer
    type: reply
    config: { text: "${reply}" }
edges:
  - { from: start, to: answer }
`;

describe("regression cases", () => {
  let server: TestServer;
  let owner: JsonBody;
  let workflowId: string;
  beforeAll(async () => {
    server = await startTestServer("pglite");
    owner = (await registerAccount(server)).body;
    workflowId = (await call("POST", "/workflows", { yaml: flow("Thanks") })).body.id;
  });
  afterAll(() => server?.close());

  function call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    return server.request(method, path, {
      token: owner.accessToken,
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });
  }

  it("saves, lists and deletes cases; an unknown run is 409 FD336", async () => {
    const run = await call("POST", "/runs", { workflow: "greeter", draft: true, input: { message: "Hi" } });
    expect(run.status).toBe(202);
    // The run answers 202 at once; the case is compared with what it did, so let it finish first.
    await expect
      .poll(async () => (await call("GET", `/runs/${run.body.id}`)).body.status, { timeout: 10_000 })
      .toBe("completed");
    const saved = await call("POST", `/workflows/${workflowId}/regression-cases`, {
      name: "Says thanks",
      runId: run.body.id,
    });
    expect(saved.status).toBe(201);
    const listed = await call("GET", `/workflows/${workflowId}/regression-cases`);
    expect(listed.body.items.map((c: { name: string }) => c.name)).toEqual(["Says thanks"]);
    const unknown = await call("POST", `/workflows/${workflowId}/regression-cases`, {
      name: "Ghost",
      runId: "00000000-0000-4000-8000-000000000000",
    });
    expect(unknown.status).toBe(409);
    expect(unknown.body.error.code).toBe("FD336");
    const replay = await call("POST", `/runs/${run.body.id}/replay`, { draft: true });
    expect(replay.status).toBe(201);
    expect(replay.body.comparison.sameRoute).toBe(true);
    expect(replay.body.comparison.replay.replies).toEqual(["Hello!", "Thanks"]);
    expect(replay.body.comparison.sameReplies).toBe(true);
    expect((await call("DELETE", `/workflows/${workflowId}/regression-cases/${saved.body.id}`)).status).toBe(
      204,
    );
    expect((await call("GET", `/workflows/${workflowId}/regression-cases`)).body.items).toEqual([]);
  });
});
