import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main";
import type { CliIo } from "../src/cli/io";
import { MAX_PROBLEMS_IN_ERROR } from "../src/workflows/yaml-refusal";
import { hostileYaml } from "./support/hostile-yaml";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const FILE = "hostile.yaml";
const GOOD =
  "name: kept\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end }\nedges:\n  - { from: start, to: done }\n";

/** What `flowdeck validate` prints for the text, as `line:column severity code message`. */
async function cliProblems(text: string): Promise<string[]> {
  const stdout: string[] = [];
  const io: CliIo = {
    out: (line) => stdout.push(line),
    write: (chunk) => stdout.push(chunk),
    err: () => undefined,
    readText: async () => text,
    writeText: async () => undefined,
  };
  await runCli(["validate", FILE], io);
  return stdout.map((line) => {
    expect(line.startsWith(`${FILE}:`)).toBe(true);
    return line.slice(FILE.length + 1);
  });
}

const asCli = (problems: JsonBody[]): string[] =>
  problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`);

/** The API's problems (the first MAX_PROBLEMS_IN_ERROR, and how many) against the CLI's lines. */
function expectSameProblems(api: JsonBody, cli: string[]): void {
  expect(api.problemCount).toBe(cli.length);
  expect(asCli(api.problems)).toEqual(cli.slice(0, MAX_PROBLEMS_IN_ERROR));
}

// Every hostile YAML of the language's corpus, through the API: the same codes, positions and messages as the CLI.
describe("the API's YAML errors", () => {
  let server: TestServer;
  let token: string;
  let kept: JsonBody;
  beforeAll(async () => {
    // A body limit above the language's 2 MB, so the 10 MB file reaches the language (by default 413 FD302 answers).
    server = await startTestServer("pg", { bodyLimitBytes: 16 * 1024 * 1024 });
    token = (await registerAccount(server)).body.accessToken;
    kept = (await server.request("POST", "/workflows", { token, body: { yaml: GOOD } })).body;
  }, 60_000);
  afterAll(() => server?.close());

  const refused = hostileYaml().filter((c) => c.refused);
  const stored = hostileYaml().filter((c) => !c.refused);

  it.each(refused.map((c) => [c.label, c] as const))(
    "%s: a new workflow is refused 400 FD335 with the CLI's problems",
    async (_label, sample) => {
      const expected = await cliProblems(sample.text);
      expect(expected.some((line) => line.includes(` error ${sample.code} `))).toBe(true);
      const answer = await server.request("POST", "/workflows", { token, body: { yaml: sample.text } });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("FD335");
      expectSameProblems(answer.body.error.details, expected);
      const cause = answer.body.error.details.problems.find((p: JsonBody) => p.code === sample.code);
      expect(cause).toMatchObject({
        line: expect.any(Number),
        column: expect.any(Number),
        path: expect.any(String),
      });
      // The banner reads the message: a place in words, the problem's own sentence, no code (that is in `code`).
      expect(answer.body.error.message).toContain(
        `Line ${cause.line}, column ${cause.column}: ${cause.message}`,
      );
      expect(answer.body.error.message).not.toMatch(/FD\d{3}|\d+:\d+ /);
      expect(answer.text).not.toMatch(/\bat .*\.ts:\d+/); // no stack
    },
  );

  it.each(refused.map((c) => [c.label, c] as const))(
    "%s: a draft save is refused and the stored draft is unchanged",
    async (_label, sample) => {
      const before = await server.request("GET", `/workflows/${kept.id}`, { token });
      const answer = await server.request("PUT", `/workflows/${kept.id}/draft`, {
        token,
        body: { yaml: sample.text },
        headers: { "if-match": before.headers.etag as string },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe("FD335");
      expectSameProblems(answer.body.error.details, await cliProblems(sample.text));
      const after = await server.request("GET", `/workflows/${kept.id}`, { token });
      expect(after.body).toMatchObject({ yaml: GOOD, revision: before.body.revision, name: "kept" });
      expect(after.headers.etag).toBe(before.headers.etag);
    },
  );

  it.each(
    stored.map((c, i) => [c.label, { ...c, text: c.text.replace("name: h\n", `name: h_${i}\n`) }] as const),
  )(
    "%s: stored as a draft with the CLI's problems, publishing refused 422 FD332 with them",
    async (_label, sample) => {
      const expected = await cliProblems(sample.text);
      expect(expected.some((line) => line.includes(` error ${sample.code} `))).toBe(true);
      const created = await server.request("POST", "/workflows", { token, body: { yaml: sample.text } });
      expect(created.status).toBe(201);
      expect(asCli(created.body.problems)).toEqual(expected);
      const published = await server.request("POST", `/workflows/${created.body.id}/publish`, {
        token,
        body: {},
      });
      expect(published.status).toBe(422);
      expect(published.body.error.code).toBe("FD332");
      expect(asCli(published.body.error.details.problems)).toEqual(expected);
      const first = published.body.error.details.problems.find((p: JsonBody) => p.severity === "error");
      expect(first.code).toMatch(/^FD\d{3}$/);
      expect(published.body.error.message).toContain(
        `ine ${first.line}, column ${first.column}: ${first.message}`,
      );
      expect(published.body.error.message).not.toMatch(/FD\d{3}/);
      expect(
        (await server.request("GET", `/workflows/${created.body.id}/versions`, { token })).body.items,
      ).toEqual([]);
    },
  );
});
