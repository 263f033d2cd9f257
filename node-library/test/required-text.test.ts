import { describe, expect, it } from "vitest";
import { createWorkflowValidator } from "@flowdeck/schemas";
import { validate as precompiledCheck } from "@flowdeck/node-library/workflow-validate";
import { createBuiltinRegistry } from "../src/index";

// A first-time user cleared the Reply node's "Text *": `text: ""` validated with 0 problems, was published, and
// the test run sent an empty bubble, while removing `config` gave FD111. Blank required text is FD111 too.
const catalog = createBuiltinRegistry().catalog();
const validators = {
  "run-time compiled": createWorkflowValidator(catalog),
  "precompiled (editor)": createWorkflowValidator(catalog, { compiledSchema: precompiledCheck }),
};

const flow = (node: string) =>
  [
    "name: blank_text",
    "nodes:",
    "  - name: start",
    "    type: start",
    node,
    "edges:",
    "  - { from: start, to: n }",
    "",
  ].join("\n");

describe.each(Object.entries(validators))("blank required text (%s)", (_name, validator) => {
  it('reports a cleared reply text as FD111 at the value, like a missing "text"', () => {
    const result = validator.validate(flow('  - name: n\n    type: reply\n    config:\n      text: ""'));
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: "FD111",
        severity: "error",
        message: 'Node "n": "text" is empty, but it is required.',
        path: "nodes[1].config.text",
        line: 8,
        column: 13,
      }),
    ]);
  });

  it.each([
    ["reply text of spaces", "type: reply\n    config: { text: '   ' }", "text"],
    ["ask prompt", 'type: ask\n    config: { prompt: "\\n\\t", variable: answer }', "prompt"],
    ["agent prompt", 'type: agent\n    config: { prompt_template: " " }', "prompt_template"],
    ["http url", 'type: tool.http\n    config: { url: "" }', "url"],
    ["lead email", 'type: tool.lead_capture\n    config: { email: "" }', "email"],
    ["order number", 'type: tool.order_lookup\n    config: { order_id: "", customer_email: x }', "order_id"],
    [
      "order email",
      'type: tool.order_update\n    config: { order_id: x, customer_email: " ", action: cancel }',
      "customer_email",
    ],
    ["ticket subject", 'type: tool.ticket_create\n    config: { subject: "", description: d }', "subject"],
    [
      "ticket description",
      'type: tool.ticket_create\n    config: { subject: s, description: "" }',
      "description",
    ],
  ])("refuses a blank %s", (_what, node, field) => {
    const result = validator.validate(flow(`  - name: n\n    ${node}`));
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([["FD111", `nodes[1].config.${field}`]]);
  });

  it("refuses a blank router example, and accepts text around a template", () => {
    const router =
      "  - name: n\n    type: router\n    config:\n      intents: [{ name: order, examples: ['  '] }]";
    expect(validator.validate(flow(router)).problems.map((p) => [p.code, p.path])).toEqual([
      ["FD111", "nodes[1].config.intents[0].examples[0]"],
    ]);
    const reply = "  - name: n\n    type: reply\n    config: { text: ' {{ vars.x }} ' }";
    expect(validator.validate(flow(reply)).errorCount).toBe(0);
  });

  // Empty is an answer here: no greeting, no reason given.
  it("leaves optional text alone, and a blank condition to the CEL check (FD130) alone", () => {
    const condition = '  - name: n\n    type: condition\n    config: { expression: "" }';
    expect(validator.validate(flow(condition)).problems.map((p) => p.code)).toEqual(["FD130"]);
    const handoff = '  - name: n\n    type: handoff\n    config: { reason: "", summary: "" }';
    expect(validator.validate(flow(handoff)).errorCount).toBe(0);
  });
  // The rule came after versions were published: one with a blank text ran then and must run now, while its
  // draft cannot be published again until the text is written.
  it("lets a published version with a blank text run, with a warning, where a draft is an error", () => {
    const text = flow('  - name: n\n    type: reply\n    config:\n      text: ""');
    const published = validator.validate(text, { published: true });
    expect(published.errorCount).toBe(0);
    expect(published.workflow).toBeDefined();
    expect(published.problems).toEqual([
      expect.objectContaining({
        code: "FD111",
        severity: "warning",
        path: "nodes[1].config.text",
        line: 8,
        message: expect.stringContaining("published before Flowdeck required it"),
      }),
    ]);
    expect(validator.validate(text).workflow).toBeUndefined();
    // Only the newer rule is tolerated: a missing text is an error in any version.
    const missing = validator.validate(flow("  - name: n\n    type: reply\n    config: {}"), {
      published: true,
    });
    expect(missing.problems.map((p) => [p.code, p.severity])).toEqual([["FD111", "error"]]);
  });
});
