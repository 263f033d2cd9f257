import { describe, expect, it } from "vitest";
import { createWorkflowValidator, diffWorkflows, type Workflow } from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const validator = createWorkflowValidator(testCatalog);
function load(text: string): Workflow {
  const result = validator.validate(text);
  expect(result.problems).toEqual([]);
  return result.workflow!;
}

const V1 = `name: diffed
description: First
nodes:
  - { name: start, type: start }
  - { name: answer, type: agent, config: { prompt_template: "Hi", model: gpt-4o-mini } }
  - { name: done, type: end }
edges:
  - { from: start, to: answer }
  - { from: answer, to: done, condition: "true" }
layout:
  answer: { x: 0, y: 0 }
`;

describe("semantic diff between two versions", () => {
  it("finds nothing between a version and itself", () => {
    const diff = diffWorkflows(load(V1), load(V1));
    expect(diff.layoutOnly).toBe(true);
    expect(diff.nodes).toEqual({ added: [], removed: [], renamed: [], changed: [] });
  });

  it("reports added and removed nodes, changed fields, edges and settings", () => {
    const v2 = V1.replace("description: First", "description: Second")
      .replace("model: gpt-4o-mini", "model: gpt-4o, temperature: 1")
      .replace("  - { name: done, type: end }", "  - { name: done, type: end }\n  - { name: bye, type: end }")
      .replace('condition: "true"', 'condition: "false"')
      // After the conditional edge: first, it would always win and hide it (FD128).
      .replace('condition: "false" }', 'condition: "false" }\n  - { from: answer, to: bye }');
    const diff = diffWorkflows(load(V1), load(v2));
    expect(diff.nodes.added).toEqual(["bye"]);
    expect(diff.nodes.changed).toEqual([
      {
        name: "answer",
        changes: [
          { path: "config.model", before: "gpt-4o-mini", after: "gpt-4o" },
          { path: "config.temperature", before: null, after: 1 },
        ],
      },
    ]);
    expect(diff.edges.added).toEqual([{ from: "answer", to: "bye", port: "out" }]);
    expect(diff.edges.changed).toEqual([
      {
        from: "answer",
        to: "done",
        port: "out",
        changes: [{ path: "condition", before: "true", after: "false" }],
      },
    ]);
    expect(diff.settings).toEqual([{ path: "description", before: "First", after: "Second" }]);
    expect(diff.layoutOnly).toBe(false);
    expect(diffWorkflows(load(v2), load(V1)).nodes.removed).toEqual(["bye"]);
  });

  it("sees a rename as a rename, with its edges and layout following", () => {
    const v2 = V1.replace(/answer/g, "reply");
    const diff = diffWorkflows(load(V1), load(v2));
    expect(diff.nodes).toEqual({
      added: [],
      removed: [],
      renamed: [{ from: "answer", to: "reply" }],
      changed: [],
    });
    expect(diff.edges.added).toEqual([]);
    expect(diff.edges.removed).toEqual([]);
    expect(diff.moved).toEqual([]);
  });

  it("tells a layout-only change and a reordering of edges apart", () => {
    const moved = diffWorkflows(
      load(V1),
      load(V1.replace("answer: { x: 0, y: 0 }", "answer: { x: 5, y: 0 }")),
    );
    expect(moved).toMatchObject({ moved: ["answer"], layoutOnly: true });
    const twoEdges = V1.replace(
      '  - { from: answer, to: done, condition: "true" }',
      '  - { from: answer, to: done, condition: "true" }\n  - { from: answer, to: done, port: error }',
    );
    const swapped = V1.replace(
      '  - { from: answer, to: done, condition: "true" }',
      '  - { from: answer, to: done, port: error }\n  - { from: answer, to: done, condition: "true" }',
    );
    expect(diffWorkflows(load(twoEdges), load(swapped)).edges.reordered).toEqual(["answer"]);
  });
});
