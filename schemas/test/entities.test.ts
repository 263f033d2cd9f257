import { describe, expect, it } from "vitest";
import { createWorkflowValidator, diffWorkflows } from "../src/index";
import { testCatalog } from "./fixtures/test-catalog";

const validator = createWorkflowValidator(testCatalog);
const problems = (text: string) =>
  validator.validate(text).problems.map((p) => `${p.code}@${p.line}:${p.column} ${p.message}`);

const flow = (entities: string, askEntity = "order_id") => `name: orders
entities:
${entities}
nodes:
  - name: start
    type: start
  - name: ask_order
    type: ask
    config: { prompt: "Your order number?", variable: order_id, entity: ${askEntity} }
  - name: done
    type: end
    config: { reply: "Order {{ entities.order_id }} for {{ conversation.email }}" }
edges:
  - { from: start, to: ask_order }
  - { from: ask_order, to: done }
`;

const SHOP = `  order_id: { type: pattern, pattern: '(?i)\\bAO-?\\d{5}\\b', case: upper }
  email: { type: email }
  phone: { type: phone }
  amount: { type: amount }`;

describe("entities in the workflow document", () => {
  it("accepts the built-in kinds and a pattern entity, and templates may read entities.*", () => {
    const result = validator.validate(flow(SHOP));
    expect(result.problems).toEqual([]);
    expect(result.workflow?.entities?.order_id).toEqual({
      type: "pattern",
      pattern: "(?i)\\bAO-?\\d{5}\\b",
      case: "upper",
    });
  });

  it("requires a pattern for a pattern entity and refuses unknown kinds and fields", () => {
    expect(problems(flow("  order_id: { type: pattern }"))).toEqual([expect.stringMatching(/^FD1\d\d@3:/)]);
    expect(problems(flow("  order_id: { type: postcode }")).length).toBeGreaterThan(0);
    expect(problems(flow("  order_id: { type: email, colour: red }")).length).toBeGreaterThan(0);
  });

  it("refuses a pattern RE2 cannot run (FD137) at the pattern", () => {
    expect(problems(flow("  order_id: { type: pattern, pattern: 'AO(?=-)' }"))).toEqual([
      expect.stringMatching(/^FD137@3:\d+ The pattern of entity "order_id" cannot be used/),
    ]);
  });

  it("refuses an ask that expects an entity the flow does not declare (FD139)", () => {
    expect(problems(flow("  email: { type: email }", "order_number"))).toEqual([
      expect.stringMatching(
        /^FD139@\d+:\d+ The ask "ask_order" expects the entity "order_number".*declared: email/,
      ),
    ]);
  });

  it("shows a change of entities as a settings change", () => {
    const before = validator.validate(flow(SHOP)).workflow!;
    const after = validator.validate(flow("  order_id: { type: pattern, pattern: 'AO-\\d{5}' }")).workflow!;
    const diff = diffWorkflows(before, after);
    expect(diff.settings.map((c) => c.path)).toEqual(
      expect.arrayContaining(["entities.amount", "entities.order_id.pattern"]),
    );
  });
});
