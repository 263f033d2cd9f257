import { describe, expect, it } from "vitest";
import type { Workflow } from "@flowdeck/schemas";
import { runInputProblems } from "../../src/engine/run-input";

const workflow = {
  name: "declared",
  nodes: [
    {
      name: "start",
      type: "start",
      config: {
        inputs: [
          { name: "message", required: true },
          { name: "order_id", type: "string", required: true },
          { name: "amount", type: "number" },
          { name: "vip", type: "boolean" },
          { name: "customer", type: "object" },
        ],
      },
    },
    { name: "done", type: "end" },
  ],
  edges: [{ from: "start", to: "done" }],
} as unknown as Workflow;

describe("a run's input against its start node's declared inputs", () => {
  it("passes what is declared, with undeclared extras", () => {
    expect(
      runInputProblems(workflow, {
        message: "hi",
        order_id: "A-1",
        amount: 12.5,
        vip: false,
        customer: { id: 7 },
        extra: [1, 2],
      }),
    ).toEqual([]);
  });

  it("names each missing required value and each value of the wrong type by its path", () => {
    expect(
      runInputProblems(workflow, { order_id: null, amount: "12", vip: "yes", customer: [1], message: 5 }),
    ).toEqual([
      { path: "input.message", message: "input.message must be a string." },
      { path: "input.order_id", message: "input.order_id is required (string)." },
      { path: "input.amount", message: "input.amount must be a number." },
      { path: "input.vip", message: "input.vip must be a boolean." },
      { path: "input.customer", message: "input.customer must be an object." },
    ]);
    expect(runInputProblems(workflow, { message: "hi", order_id: "A-1", amount: Number.NaN })).toEqual([
      { path: "input.amount", message: "input.amount must be a number." },
    ]);
  });

  it("asks nothing of a flow that declares no inputs", () => {
    const bare = { ...workflow, nodes: [{ name: "start", type: "start" }] } as unknown as Workflow;
    expect(runInputProblems(bare, {})).toEqual([]);
  });
});
