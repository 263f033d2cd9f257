import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

// The test-run panel shows the variables after each step: a step that sets variables says which in its
// step.completed event; one that sets none carries no `vars`.
const FLOW = `name: remembers
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { expressions: { greeting: "'hello ' + input.message" } } }
  - { name: done, type: end, config: { reply: "{{ vars.greeting }}" } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: done }
`;

describe("step events carry the variables a step set", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ kind: "pglite", workflows: [FLOW] });
  });
  afterAll(async () => h?.close());

  it("puts the set node's variables on its step.completed event, and none on the others", async () => {
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("remembers"),
      input: { message: "Ada" },
    });
    expect(run.status).toBe("completed");
    const completed = h.events
      .filter((e) => e.runId === run.id && e.event.type === "step.completed")
      .map((e) => ({ node: e.event.data?.node, vars: e.event.data?.vars }));
    expect(completed).toEqual([
      { node: "start", vars: undefined },
      { node: "remember", vars: { greeting: "hello Ada" } },
      { node: "done", vars: undefined },
    ]);
  });
});
