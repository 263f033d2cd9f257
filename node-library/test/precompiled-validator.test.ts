import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  composeWorkflowSchema,
  createAjv,
  createWorkflowValidator,
  loadWorkflowText,
} from "@flowdeck/schemas";
import { validate as precompiledCheck } from "@flowdeck/node-library/workflow-validate";
import { createBuiltinRegistry } from "../src/index";
import { workflowValidatorCode } from "@flowdeck/schemas/standalone-validator";

const catalog = createBuiltinRegistry().catalog();
const compiled = createWorkflowValidator(catalog);
const precompiled = createWorkflowValidator(catalog, { compiledSchema: precompiledCheck });

const GENERATED = fileURLToPath(new URL("../generated/workflow-validate.js", import.meta.url));
const WORKFLOWS = fileURLToPath(new URL("../../workflows/", import.meta.url));
const seeds = readdirSync(WORKFLOWS)
  .filter((file) => file.endsWith(".yaml"))
  .map((file) => [file, readFileSync(WORKFLOWS + file, "utf8")] as const);

const FLOW_HEAD = "name: broken\nnodes:\n  - name: start\n    type: start\n";

/** Documents that break the schema in as many ways as possible: types, enums, patterns, lengths, oneOf, if/then. */
const BROKEN: Record<string, string> = {
  "not a mapping": "- just\n- a list\n",
  "empty mapping": "{}\n",
  "wrong top-level types":
    "name: 12\nversion: one\npriority: urgent\ntrigger: { type: sms, extra: 1 }\nnodes: {}\n",
  "unknown top-level key": `${FLOW_HEAD}colour: blue\n`,
  "bad names": "name: Not_Snake\nnodes:\n  - name: 9lives\n    type: start\n  - name: a-b\n    type: end\n",
  "long name counted in code points": `name: ${"a".repeat(65)}\nnodes:\n  - name: start\n    type: start\ndescription: "${"😀".repeat(2001)}"\n`,
  "unknown node type": `${FLOW_HEAD}  - name: x\n    type: teleport\n`,
  "node without type or name": `${FLOW_HEAD}  - config: {}\n  - type: end\n`,
  "unknown config key": `${FLOW_HEAD}  - name: r\n    type: reply\n    config: { text: hi, colour: red }\n`,
  "config of the wrong type": `${FLOW_HEAD}  - name: a\n    type: agent\n    config: [1, 2]\n  - name: c\n    type: condition\n    config: { expression: 3 }\n`,
  "missing required config": `${FLOW_HEAD}  - name: a\n    type: agent\n  - name: h\n    type: tool.http\n    config: {}\n`,
  "enum and range errors in configs": `${FLOW_HEAD}  - name: h\n    type: tool.http\n    config: { method: FETCH, url: "https://x", timeout_ms: -5 }\n  - name: u\n    type: tool.order_update\n    config: { action: explode }\n`,
  "retry and timeout out of range": `${FLOW_HEAD}  - name: e\n    type: end\n    retry: { attempts: 99, backoff: sometimes, extra: true }\n    timeout_ms: -1\n    type_version: 0\n`,
  "bad edges": `${FLOW_HEAD}  - name: done\n    type: end\nedges:\n  - { from: start }\n  - { from: start, to: done, port: "no way", when: 1, extra: x }\n  - just a string\n`,
  "bad vars and layout": `${FLOW_HEAD}vars: { "bad-key": 1, ok: 2 }\nlayout: { start: { x: left, y: 2 }, ghost: 3 }\n`,
  "set and router configs": `${FLOW_HEAD}  - name: s\n    type: set\n    config: { values: { "no good": 1 }, expressions: 5 }\n  - name: r\n    type: router\n    config: { intents: [{ name: "" }], confidence_threshold: 7 }\n`,
  "blank required text": `${FLOW_HEAD}  - name: r\n    type: reply\n    config: { text: "" }\n  - name: a\n    type: ask\n    config: { prompt: "  ", variable: x }\n`,
  "legacy next_node and a newer type_version": `${FLOW_HEAD}  - name: r\n    type: reply\n    type_version: 9\n    config: { text: hi, next_node: start }\n`,
};

/** Each seed with every node's config replaced by something no type accepts (JSON is YAML too). */
const mangledSeeds = seeds.map(([file, text]) => {
  const data = loadWorkflowText(text).value as { nodes: Array<Record<string, unknown>> };
  const nodes = data.nodes.map((node, index) => ({
    ...node,
    config: index % 2 ? [1] : { nonsense: [1, {}] },
  }));
  return [`${file} with broken configs`, JSON.stringify({ ...data, nodes }, null, 1)] as const;
});

/** Broken in ways found before or beside the schema (YAML shape, node versions), compared all the same. */
const NOT_SCHEMA = new Set(["not a mapping", "legacy next_node and a newer type_version"]);

const cases = [...seeds, ...Object.entries(BROKEN), ...mangledSeeds];

describe("the precompiled (standalone) workflow schema check", () => {
  it.each(cases)("reports the same problems as the run-time compiled one: %s", (_name, text) => {
    const expected = compiled.validate(text);
    const actual = precompiled.validate(text);
    expect(actual.problems).toEqual(expected.problems);
    expect(actual.workflow).toEqual(expected.workflow);
  });

  it("finds schema problems in every broken document and none in the seeds (the comparison is not vacuous)", () => {
    const schemaCodes = new Set(["FD110", "FD111", "FD112", "FD113", "FD114"]);
    const hasSchemaProblem = (text: string) =>
      precompiled.validate(text).problems.some((problem) => schemaCodes.has(problem.code));
    const unflagged = Object.entries(BROKEN).filter(
      ([, text]) => precompiled.validate(text).errorCount === 0,
    );
    expect(unflagged.map(([name]) => name)).toEqual([]);
    const broken = [...Object.entries(BROKEN), ...mangledSeeds].filter(([name]) => !NOT_SCHEMA.has(name));
    expect(broken.filter(([, text]) => !hasSchemaProblem(text)).map(([name]) => name)).toEqual([]);
    expect(
      seeds.filter(([, text]) => precompiled.validate(text).errorCount > 0).map(([name]) => name),
    ).toEqual([]);
  });

  it("leaves the same raw Ajv errors, schema and data included", () => {
    const check = createAjv().compile(composeWorkflowSchema(catalog));
    const data = {
      name: "X",
      nodes: [{ name: "a", type: "agent", config: { bogus: 1 } }, { type: "nope" }],
      edges: [{ from: 1 }],
    };
    expect(precompiledCheck(data)).toBe(check(data));
    expect(precompiledCheck.errors).toEqual(check.errors);
    expect(precompiledCheck.errors?.length).toBeGreaterThan(3);
  });
});

describe("generated/workflow-validate.js", () => {
  const committed = readFileSync(GENERATED, "utf8");

  it("is what `pnpm generate:schema` writes from the built-in registry today", () => {
    // A failure here means a node definition or createAjv() changed: run `pnpm generate:schema` and commit.
    expect(committed === workflowValidatorCode(catalog), "stale: run `pnpm generate:schema`").toBe(true);
  });

  it("compiles nothing at run time and imports nothing, so it runs under script-src 'self' in any bundler", () => {
    expect(committed).not.toMatch(/new\s+Function|\beval\s*\(|\bFunction\s*\(/);
    expect(committed).not.toMatch(/\brequire\s*\(|^\s*import\s|\bimport\s*\(/m);
  });
});
