import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const ORDER_YAML = readFileSync(join(import.meta.dirname, "../../workflows/order_management.yaml"), "utf8");
const HELLO =
  "# greets\nname: hello\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end, config: { reply: Hi } }\nedges:\n  - { from: start, to: done }\n";

// Drafts, versions, diff and rollback through the API, on real PostgreSQL and on the embedded database.
describe.each(TEST_DATABASE_KINDS)("workflows and versions on %s", (kind) => {
  let server: TestServer;
  let owner: JsonBody;
  beforeAll(async () => {
    server = await startTestServer(kind);
    owner = (await registerAccount(server)).body;
  });
  afterAll(() => server?.close());
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    server.request(method, path, {
      token: owner.accessToken,
      ...(body === undefined ? {} : { body }),
      ...(headers ? { headers } : {}),
    });

  it("creates a draft from YAML, keeps its text byte for byte and lists it", async () => {
    const created = await call("POST", "/workflows", { yaml: HELLO });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "hello",
      yaml: HELLO,
      revision: 1,
      errorCount: 0,
      latestVersion: null,
      draftChanged: false,
    });
    expect(created.headers.etag).toBe(`"${created.body.id}.1"`);
    const list = await call("GET", "/workflows");
    expect(list.body.items.map((w: { name: string }) => w.name)).toContain("hello");
    expect((await call("POST", "/workflows", { yaml: HELLO })).body.error.code).toBe("FD333");
    const unreadable = (await call("POST", "/workflows", { yaml: "name: [oops" })).body.error;
    expect(unreadable.code).toBe("FD335");
    expect(unreadable.message).toMatch(
      /^The YAML cannot be loaded\. Line 1, column \d+: The YAML could not be read: /,
    );
    expect(unreadable.details.problems[0]).toMatchObject({ code: "FD100", line: 1, path: "" });
  });

  it("saves with If-Match; a stale save gets 409 and loses nothing", async () => {
    const created = (await call("POST", "/workflows", { yaml: HELLO.replace("hello", "draft_race") })).body;
    const etag = `"${created.id}.1"`;
    const first = await call(
      "PUT",
      `/workflows/${created.id}/draft`,
      { yaml: created.yaml.replace("Hi", "Hello") },
      { "if-match": etag },
    );
    expect(first.status).toBe(200);
    expect(first.headers.etag).toBe(`"${created.id}.2"`);
    const second = await call(
      "PUT",
      `/workflows/${created.id}/draft`,
      { yaml: created.yaml.replace("Hi", "Hey") },
      { "if-match": etag },
    );
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: "FD330", details: { etag: `"${created.id}.2"` } });
    expect((await call("GET", `/workflows/${created.id}`)).body.yaml).toContain("reply: Hello");
    expect((await call("PUT", `/workflows/${created.id}/draft`, { yaml: created.yaml })).status).toBe(428);
  });

  it("publishes immutable versions, diffs them and rolls back by publishing an old one again", async () => {
    const created = (await call("POST", "/workflows", { yaml: ORDER_YAML })).body;
    expect(created.errorCount).toBe(0);
    // Never published: nothing live to compare the draft with.
    const unpublished = await call("GET", `/workflows/${created.id}/diff`);
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error.code).toBe("FD337");
    const v1 = await call("POST", `/workflows/${created.id}/publish`, { note: "first" });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, note: "first", authorId: owner.user.id });
    const changed = ORDER_YAML.replace("confidence_threshold: 0.55", "confidence_threshold: 0.6");
    await call(
      "PUT",
      `/workflows/${created.id}/draft`,
      { yaml: changed },
      { "if-match": `"${created.id}.1"` },
    );
    const listed = async () =>
      (await call("GET", "/workflows")).body.items.find((w: { id: string }) => w.id === created.id);
    expect(await listed()).toMatchObject({ latestVersion: 1, draftChanged: true });
    expect((await call("GET", `/workflows/${created.id}/diff`)).body.nodes.changed).toHaveLength(1);
    expect((await call("POST", `/workflows/${created.id}/publish`, {})).body.version).toBe(2);
    expect(await listed()).toMatchObject({ latestVersion: 2, draftChanged: false });
    const diff = await call("GET", `/workflows/${created.id}/diff?from=1&to=2`);
    expect(diff.body.nodes.changed).toEqual([
      { name: "which_request", changes: [{ path: "config.confidence_threshold", before: 0.55, after: 0.6 }] },
    ]);
    expect((await call("GET", `/workflows/${created.id}/versions/1`)).body.yaml).toBe(ORDER_YAML);
    const rollback = await call("POST", `/workflows/${created.id}/rollback`, { version: 1 });
    expect(rollback.body).toMatchObject({ version: 3, note: "Rollback to version 1" });
    expect((await call("GET", `/workflows/${created.id}/versions/3`)).body.yaml).toBe(ORDER_YAML);
    expect(
      (await call("GET", `/workflows/${created.id}/versions`)).body.items.map(
        (v: { version: number }) => v.version,
      ),
    ).toEqual([3, 2, 1]);
    expect((await call("GET", `/workflows/${created.id}/versions/9`)).body.error.code).toBe("FD334");
  });

  it("numbers concurrent publishes of one workflow one after another", async () => {
    const created = (await call("POST", "/workflows", { yaml: HELLO.replace("name: hello", "name: busy") }))
      .body;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call("POST", `/workflows/${created.id}/publish`, { note: `p${i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(answers.map((a) => a.body.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("refuses to publish a draft with errors and lists them", async () => {
    const broken = HELLO.replace("hello", "broken").replace("to: done", "to: nowhere");
    const created = (await call("POST", "/workflows", { yaml: broken })).body;
    expect(created.errorCount).toBe(1);
    const refused = await call("POST", `/workflows/${created.id}/publish`, {});
    expect(refused.status).toBe(422);
    const problems = refused.body.error.details.problems as Array<{
      code: string;
      line: number;
      severity: string;
    }>;
    expect(problems.find((p) => p.severity === "error")).toMatchObject({ code: "FD123", line: 7 });
    // The builder's banner shows the message: the place in words, the code only in `code` and the problems.
    expect(refused.body.error).toMatchObject({
      code: "FD332",
      message:
        'The workflow has 1 error. Line 7, column 24: This edge leads to "nowhere", but there is no node with that name.',
    });
  });

  it("deletes softly: the name is free again, the id answers 404", async () => {
    const created = (await call("POST", "/workflows", { yaml: HELLO.replace("hello", "short_lived") })).body;
    expect((await call("DELETE", `/workflows/${created.id}`)).status).toBe(204);
    expect((await call("GET", `/workflows/${created.id}`)).status).toBe(404);
    expect((await call("POST", "/workflows", { yaml: HELLO.replace("hello", "short_lived") })).status).toBe(
      201,
    );
  });
});
