import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";

// Entering a subflow (subflow-frame.ts): the child's inputs come from the caller's scope, and a call that
// cannot be made says why.
const CALLER = `name: caller
nodes:
  - { name: start, type: start }
  - { name: lookup, type: subflow, config: { workflow: child, input: { topic: "{{ input.message | upcase }}" } } }
  - { name: done, type: end, config: { output: { said: "{{ nodes.lookup.output.output.echo }}" } } }
edges:
  - { from: start, to: lookup }
  - { from: lookup, to: done }
`;
const CHILD = `name: child
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { output: { echo: "{{ input.topic }}/{{ input.message }}" } } }
edges:
  - { from: start, to: done }
`;
const BROKEN = `name: broken
nodes:
  - { name: start, type: start }
  - { name: call, type: subflow, config: { workflow: nowhere } }
  - { name: done, type: end }
edges:
  - { from: start, to: call }
  - { from: call, to: done }
`;
const DEEP = `name: deep
nodes:
  - { name: start, type: start }
  - { name: again, type: subflow, config: { workflow: deep } }
  - { name: done, type: end }
edges:
  - { from: start, to: again }
  - { from: again, to: done }
`;

describe("subflow entry", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness({ kind: "pglite", workflows: [CALLER, CHILD, BROKEN, DEEP] });
  });

  afterAll(async () => {
    await h?.close();
  });

  it("renders the child's inputs in the caller's scope and passes the message along", async () => {
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("caller"),
      input: { message: "hi" },
    });
    expect(run.status).toBe("completed");
    expect(run.output).toMatchObject({ output: { said: "HI/hi" } });
    const started = (await h.store.listEvents(h.tenantId, run.id)).find((e) => e.data.type === "subflow");
    expect(started?.data).toMatchObject({ stepId: "main/lookup#1", workflow: "child" });
  });

  it("refuses a call to a workflow that does not exist (FD203) and one nested too deep (FD204)", async () => {
    await expect(
      h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("broken"), input: {} }),
    ).rejects.toMatchObject({ code: "FD203" });
    await expect(
      h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("deep"), input: {} }),
    ).rejects.toMatchObject({ code: "FD204" });
  });
});
