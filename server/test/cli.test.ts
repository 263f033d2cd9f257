import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../src/cli/main";
import type { CliIo } from "../src/cli/io";
import { readWorkflowFile } from "../src/cli/io";

const ROOT = join(import.meta.dirname, "../..");
const WORKFLOWS = join(ROOT, "workflows");
const SEED = join(import.meta.dirname, "fixtures/seed-example.yaml");

function memoryIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    write: (text) => stdout.push(text),
    err: (line) => stderr.push(line),
    readText: readWorkflowFile,
    writeText: (path, text) => writeFile(path, text, "utf8"),
  };
}

async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function workflowFiles(): Promise<string[]> {
  return (await readdir(WORKFLOWS)).filter((f) => f.endsWith(".yaml")).map((f) => join(WORKFLOWS, f));
}

describe("flowdeck validate", () => {
  it("accepts the seed's example with warnings that suggest the Flowdeck form, never an error", async () => {
    const { code, stdout } = await run("validate", SEED);
    expect(code).toBe(0);
    expect(stdout).toEqual([
      expect.stringMatching(/seed-example\.yaml:11:7 warning FD135 .*draw an edge from "start" to "process"/),
      expect.stringMatching(/seed-example\.yaml:18:34 warning FD134 \{message\} .*\{\{ input\.message \}\}/),
    ]);
  });

  it("finds all seven seed workflows valid with 0 errors and 0 warnings", async () => {
    const files = await workflowFiles();
    expect(files.map((f) => f.split("/").pop()).sort()).toEqual([
      "complaint_handling.yaml",
      "customer_support_workflow.yaml",
      "example_workflow.yaml",
      "faq_handling.yaml",
      "lead_capture.yaml",
      "order_management.yaml",
      "technical_support.yaml",
    ]);
    const { code, stdout, stderr } = await run("validate", ...files);
    expect(stdout).toEqual([]);
    expect(code).toBe(0);
    expect(stderr.at(-1)).toBe("7 file(s) checked: 0 error(s), 0 warning(s)");
  });

  it("prints FILE:LINE:COL SEVERITY CODE message and exits 1 on errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flowdeck-cli-"));
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      "name: bad\nnodes:\n  - name: start\n    type: start\n  - name: x\n    type: agent\n    config: { prompt_template: hi, colour: red }\nedges:\n  - { from: start, to: x }\n",
    );
    const { code, stdout } = await run("validate", file);
    expect(code).toBe(1);
    expect(stdout).toEqual([`${file}:7:36 error FD112 Node "x" has no setting called "colour".`]);
  });

  it("exits 2 on usage and file errors", async () => {
    expect((await run()).code).toBe(2);
    expect((await run("validate")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    const missing = await run("validate", join(ROOT, "no-such-file.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toMatch(/cannot read .*no-such-file\.yaml: no such file/);
    expect((await run("validate", "--bogus", SEED)).code).toBe(2);
  });
});

describe("flowdeck format", () => {
  it("leaves the seed workflows as they are (--check passes)", async () => {
    const { code, stdout } = await run("format", "--check", ...(await workflowFiles()));
    expect(stdout).toEqual([]);
    expect(code).toBe(0);
  });

  it("rewrites a file canonically, keeping its comments; --check reports without writing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flowdeck-fmt-"));
    const file = join(dir, "messy.yaml");
    const messy = "# top\nname: messy     # aligned\nnodes:\n- name: start   # first\n  type: start\n";
    await writeFile(file, messy);
    const checked = await run("format", "--check", file);
    expect(checked).toMatchObject({ code: 1, stdout: [`${file}: would be reformatted`] });
    expect(await readFile(file, "utf8")).toBe(messy);
    expect((await run("format", file)).code).toBe(0);
    expect(await readFile(file, "utf8")).toBe(
      "# top\nname: messy # aligned\nnodes:\n  - name: start # first\n    type: start\n",
    );
    expect((await run("format", "--check", file)).code).toBe(0);
  });

  it("reports a file that does not parse and leaves it alone", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flowdeck-fmt-"));
    const file = join(dir, "broken.yaml");
    await writeFile(file, "name: [x\n");
    const { code, stdout } = await run("format", file);
    expect(code).toBe(1);
    expect(stdout[0]).toMatch(/broken\.yaml:\d+:\d+ error FD100 /);
    expect(await readFile(file, "utf8")).toBe("name: [x\n");
  });
});

describe("flowdeck schema", () => {
  it("prints the same schema that is committed as schemas/workflow.schema.json", async () => {
    const { code, stdout } = await run("schema");
    expect(code).toBe(0);
    const committed = JSON.parse(await readFile(join(ROOT, "schemas/workflow.schema.json"), "utf8"));
    expect(JSON.parse(stdout.join("\n"))).toEqual(committed);
  });
});

describe("the flowdeck binary", () => {
  it("runs from the root as `pnpm flowdeck` would, with its exit code", async () => {
    const exec = promisify(execFile);
    const tsx = join(ROOT, "node_modules/.bin/tsx");
    const ok = await exec(tsx, ["server/src/cli/main.ts", "validate", SEED], { cwd: ROOT });
    expect(ok.stdout).toContain("warning FD135");
    await expect(exec(tsx, ["server/src/cli/main.ts", "validate"], { cwd: ROOT })).rejects.toMatchObject({
      code: 2,
    });
  });
});
