import { appendFileSync, existsSync, readFileSync } from "node:fs";
import Type from "typebox";
import { createBuiltinRegistry, defineNode } from "@flowdeck/node-library";
import type { NodeExecutor } from "@flowdeck/node-library/runtime";
import { testkitPlugin } from "./testkit-nodes";

/**
 * A test node that kills the process executing it (SIGKILL: no `finally`, no commit), as a step that runs out
 * of memory would, after recording that it ran in a counter file that outlives the process. Used by the
 * poison-run tests through `poison-child.ts`.
 */
export const dieNode = defineNode({
  type: "testkit.die",
  version: 1,
  meta: {
    title: "Die",
    category: "test",
    icon: "skull",
    description: "Kills the process executing it.",
    docs: "Test node.",
  },
  config: Type.Object({}, { additionalProperties: false }),
  ports: { inputs: ["in"], outputs: ["out", "error"] },
  waits: false,
  examples: [{}],
});

/** The built-ins, the testkit nodes and the die node. */
export function poisonRegistry() {
  return createBuiltinRegistry()
    .use(testkitPlugin)
    .use({ nodes: [dieNode] });
}

/** Times the die step ran, over every process: the counter file's length. */
export function timesRun(counterFile: string): number {
  return existsSync(counterFile) ? readFileSync(counterFile, "utf8").length : 0;
}

/** The executor: counts itself, then SIGKILLs the process while the count is below `deaths`. */
export function dieExecutor(counterFile: string, deaths: number): NodeExecutor {
  return (async () => {
    appendFileSync(counterFile, "x");
    if (timesRun(counterFile) <= deaths) process.kill(process.pid, "SIGKILL");
    return { output: { survived: true }, port: "out" };
  }) as NodeExecutor;
}

export const POISON_FLOW = `name: poison
nodes:
  - { name: start, type: start }
  - { name: note, type: set, config: { values: { seen: "yes" } } }
  - { name: boom, type: testkit.die }
  - { name: done, type: end, config: { reply: "survived", outcome: resolved } }
edges:
  - { from: start, to: note }
  - { from: note, to: boom }
  - { from: boom, to: done }
`;
