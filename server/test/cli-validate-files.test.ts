/**
 * Issue 15: `flowdeck validate` read a template's partials from disk while parsing, so a workflow file could
 * make the CLI (and the API, which validates the same way) open `.flowdeck/jwt-secret`. Every file-system call
 * the process makes during a validation is recorded here; none may name a file a template asked for.
 */
import fs from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main";
import { readWorkflowFile } from "../src/cli/io";

type Recorded = { name: string; path: string };

const SYNC_CALLS = [
  "readFileSync",
  "statSync",
  "lstatSync",
  "existsSync",
  "accessSync",
  "openSync",
  "realpathSync",
];
const CALLBACK_CALLS = ["readFile", "stat", "lstat", "access", "open", "realpath", "exists"];
const PROMISE_CALLS = ["readFile", "stat", "lstat", "access", "open", "realpath"];

/** Wraps fs (and the ES module bindings of it) to record the path of every call; returns the undo. */
function recordFileSystem(calls: Recorded[]): () => void {
  const undo: Array<() => void> = [];
  const wrap = (target: Record<string, unknown>, names: string[], prefix: string) => {
    for (const name of names) {
      const original = target[name] as (...args: unknown[]) => unknown;
      if (typeof original !== "function") continue;
      target[name] = function (this: unknown, ...args: unknown[]) {
        calls.push({ name: `${prefix}${name}`, path: String(args[0]) });
        return original.apply(this, args);
      };
      undo.push(() => (target[name] = original));
    }
  };
  wrap(fs as unknown as Record<string, unknown>, [...SYNC_CALLS, ...CALLBACK_CALLS], "fs.");
  wrap(fs.promises as unknown as Record<string, unknown>, PROMISE_CALLS, "fs.promises.");
  syncBuiltinESMExports();
  return () => {
    for (const restore of undo) restore();
    syncBuiltinESMExports();
  };
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe("flowdeck validate reads no template partials", () => {
  it("reports include/render/layout of package.json and a secret as FD136 without touching them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flowdeck-partials-"));
    // Real files with those names next to the workflow: a read would succeed if it were attempted.
    await mkdir(join(dir, ".flowdeck"));
    await writeFile(join(dir, ".flowdeck", "jwt-secret"), "probe-secret-value");
    await writeFile(join(dir, "package.json"), '{ "name": "probe-package" }');
    const targets = [join(dir, ".flowdeck", "jwt-secret"), join(dir, "package.json"), "../package.json"];
    const nodes = ["include", "render", "layout"].flatMap((tag, t) =>
      targets.map(
        (target, i) => `  - { name: n${t}${i}, type: end, config: { reply: "{% ${tag} '${target}' %}" } }`,
      ),
    );
    const workflow = join(dir, "partials.yaml");
    await writeFile(
      workflow,
      [
        "name: partials",
        "nodes:",
        "  - { name: start, type: start }",
        ...nodes,
        "edges:",
        ...nodes.map((_, i) => `  - { from: start, to: n${Math.floor(i / 3)}${i % 3} }`),
        "",
      ].join("\n"),
    );

    const calls: Recorded[] = [];
    const stdout: string[] = [];
    restore = recordFileSystem(calls);
    const code = await runCli(["validate", workflow], {
      out: (line) => stdout.push(line),
      write: (text) => stdout.push(text),
      err: () => {},
      readText: readWorkflowFile,
      writeText: () => Promise.reject(new Error("validate writes nothing")),
    });
    restore();
    restore = undefined;

    // The recorder works: it saw the workflow itself being read.
    expect(calls).toContainEqual({ name: "fs.promises.readFile", path: workflow });
    expect(calls.filter((call) => /jwt-secret|package\.json/.test(call.path))).toEqual([]);
    expect(code).toBe(1);
    // One FD136 per tag and target (the nine edges from start also draw FD128 warnings: all but the first are dead).
    expect(stdout.filter((line) => / error FD136 /.test(line))).toHaveLength(9);
    expect(stdout[0]).toMatch(
      /partials\.yaml:4:\d+ error FD136 \{% include %\} is not available: templates cannot read files/,
    );
    expect(stdout.join("\n")).not.toMatch(/probe-secret-value|probe-package/);
  });
});
