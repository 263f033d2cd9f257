import { describe, expect, it } from "vitest";
import { createWorkflowValidator } from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const validator = createWorkflowValidator(testCatalog);
const codes = (text: string) =>
  validator.validate(text).problems.map((p) => `${p.code}@${p.line}:${p.column}`);

const FLOW = `name: demo
nodes:
  - name: start
    type: start
  - name: reply
    type: agent
    config:
      prompt_template: "You said {{ input.message }}"
  - name: done
    type: end
edges:
  - { from: start, to: reply }
  - { from: reply, to: done }
`;

describe("validation", () => {
  it("accepts a correct flow with no problems and returns its data", () => {
    const result = validator.validate(FLOW);
    expect(result.problems).toEqual([]);
    expect(result.workflow?.nodes.map((n) => n.name)).toEqual(["start", "reply", "done"]);
  });

  it("accepts the seed's example with warnings only: legacy next_node and {message}", () => {
    const seed = `name: "workflow_name"
version: "1.0.0"
description: "Workflow description"
category: "category_name"
priority: "high"

nodes:
  - name: "start"
    type: "start"
    config:
      next_node: "process"

  - name: "process"
    type: "agent"
    config:
      agent_type: "processor"
      model: "gpt-4o"
      prompt_template: "Process: {message}"

edges:
  - from: "start"
    to: "process"
    condition: null
`;
    const result = validator.validate(seed);
    expect(result.errorCount).toBe(0);
    expect(result.problems.map((p) => `${p.code}@${p.line}:${p.column}`)).toEqual([
      "FD135@11:7",
      "FD134@18:34",
    ]);
    expect(result.problems[1]?.message).toContain("{{ input.message }}");
  });

  it("reports a wrong type at the value", () => {
    const text = FLOW.replace(
      'prompt_template: "You said {{ input.message }}"',
      "prompt_template: [not, text]",
    );
    expect(codes(text)).toEqual(["FD110@8:24"]);
  });

  it("accepts settings.trace and reports a value it does not know at the value", () => {
    const kept = validator.validate(
      FLOW.replace("name: demo\n", "name: demo\nsettings: { trace: errors }\n"),
    );
    expect(kept.problems).toEqual([]);
    expect(kept.workflow?.settings).toEqual({ trace: "errors" });
    const bad = validator.validate(
      FLOW.replace("name: demo\n", "name: demo\nsettings:\n  trace: sometimes\n"),
    );
    expect(bad.problems).toMatchObject([{ line: 3, column: 10, path: "settings.trace" }]);
  });

  it("reports an unknown node type with a suggestion", () => {
    const result = validator.validate(FLOW.replace("type: end", "type: edn"));
    expect(result.problems).toMatchObject([{ code: "FD114", line: 10, column: 11, path: "nodes[2].type" }]);
    expect(result.problems[0]?.message).toContain('Did you mean "end"?');
  });

  it("reports an unknown config field at its key, with a suggestion", () => {
    const text = FLOW.replace("      prompt_template:", "      temprature: 1\n      prompt_template:");
    const result = validator.validate(text);
    expect(result.problems).toMatchObject([
      { code: "FD112", line: 8, column: 7, path: "nodes[1].config.temprature" },
    ]);
    expect(result.problems[0]?.message).toBe(
      'Node "reply" has no setting called "temprature". Did you mean "temperature"?',
    );
  });

  it("reports a missing required setting", () => {
    const text = FLOW.replace('      prompt_template: "You said {{ input.message }}"', "      model: x");
    expect(validator.validate(text).problems).toMatchObject([{ code: "FD111", path: "nodes[1].config" }]);
  });

  it("reports a bad CEL condition at the character", () => {
    const text = FLOW.replace(
      "{ from: reply, to: done }",
      '{ from: reply, to: done, condition: "output.text ==" }',
    );
    expect(codes(text)).toEqual(["FD130@13:56"]);
  });

  it("reports a bad Liquid template inside the string", () => {
    const text = FLOW.replace("{{ input.message }}", "{{ input.message | nosuchfilter }}");
    expect(validator.validate(text).problems).toMatchObject([{ code: "FD131", line: 8, column: 34 }]);
  });

  it("reports nodes.X references to unknown nodes, in templates and in conditions", () => {
    const text = FLOW.replace("{{ input.message }}", "{{ nodes.replay.output.text }}").replace(
      "{ from: reply, to: done }",
      '{ from: reply, to: done, condition: "nodes.strat.output != null" }',
    );
    const problems = validator.validate(text).problems;
    expect(problems.map((p) => p.code)).toEqual(["FD132", "FD132"]);
    expect(problems[0]?.message).toContain('Did you mean "reply"?');
    expect(problems[1]?.message).toContain('Did you mean "start"?');
  });

  it("warns about template names that templates cannot see", () => {
    const text = FLOW.replace("{{ input.message }}", "{{ message }}");
    expect(validator.validate(text).problems).toMatchObject([{ code: "FD133", severity: "warning" }]);
  });

  it("reports every problem at once, in file order", () => {
    const text = `name: Bad Name
nodes:
  - name: start
    type: start
  - name: x
    type: nope
edges:
  - { from: start, to: ghost }
`;
    expect(codes(text)).toEqual(["FD113@1:7", "FD124@5:11", "FD114@6:11", "FD123@8:24"]);
  });

  it("migrates configs written for an older node version before checking them", () => {
    const old = {
      ...testCatalog.get("end")!,
      type: "old",
      version: 2,
      configSchema: { type: "object", properties: { text: { type: "string" } }, additionalProperties: false },
      migrate: (config: unknown) => ({ text: (config as { body: string }).body }),
    };
    const migrating = {
      get: (type: string) => (type === "old" ? old : testCatalog.get(type)),
      list: () => [...testCatalog.list(), old],
    };
    const v = createWorkflowValidator(migrating);
    const text =
      "name: m\nnodes:\n  - { name: start, type: start }\n  - { name: o, type: old, config: { body: hi } }\nedges:\n  - { from: start, to: o }\n";
    expect(v.validate(text).workflow?.nodes[1]?.config).toEqual({ text: "hi" });
    const future = text.replace("type: old,", "type: old, type_version: 3,");
    expect(v.validate(future).problems.map((p) => p.code)).toContain("FD115");
  });
});
