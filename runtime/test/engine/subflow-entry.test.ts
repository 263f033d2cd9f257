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
const HANDLED = `name: handled
nodes:
  - { name: start, type: start }
  - { name: call, type: subflow, config: { workflow: nowhere } }
  - { name: done, type: end }
  - { name: sorry, type: end, config: { reply: "Sorry, that part of our help is not ready yet.", outcome: escalated } }
edges:
  - { from: start, to: call }
  - { from: call, to: done }
  - { from: call, to: sorry, port: error }
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
    h = await createHarness({ kind: "pglite", workflows: [CALLER, CHILD, BROKEN, HANDLED, DEEP] });
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

  // Thrown, these escaped the activation: the run stayed `running` and the customer got no answer (a router
  // published before its subflows). They fail the subflow's step now, like any step.
  it("fails the step of a call to a workflow that does not exist (FD203) or nests too deep (FD204)", async () => {
    for (const [name, code] of [
      ["broken", "FD203"],
      ["deep", "FD204"],
    ] as const) {
      const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow(name), input: {} });
      expect(run).toMatchObject({ status: "failed", error: { code } });
    }
    const broken = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("broken"),
      input: {},
    });
    const failed = (await h.store.listSteps(h.tenantId, broken.id)).find((step) => step.nodeName === "call");
    expect(failed).toMatchObject({ status: "failed", error: { code: "FD203" } });
    expect((failed?.error as { message: string }).message).toContain("has no published version");
  });

  it("takes the subflow's error edge when the called workflow cannot be entered", async () => {
    const run = await h.engine.startRun({ tenantId: h.tenantId, workflow: h.workflow("handled"), input: {} });
    expect(run).toMatchObject({ status: "completed", output: { outcome: "escalated" } });
    expect(await h.messages(run.id)).toEqual(["Sorry, that part of our help is not ready yet."]);
  });
});
