import Type from "typebox";
import { defineNode } from "@flowdeck/node-library";
import type { NodeExecutor } from "@flowdeck/node-library/runtime";

/**
 * Test-only node types, registered like a third-party package (`testkit.*`): a node that fails a given number
 * of times, one that never finishes on its own, and one that counts its side effects. They make the engine's
 * retry, timeout, cancel and exactly-once paths observable without any network.
 */
export const flakyNode = defineNode({
  type: "testkit.flaky",
  version: 1,
  meta: {
    title: "Flaky",
    category: "test",
    icon: "bug",
    description: "Fails a few times, then succeeds.",
    docs: "Test node.",
  },
  config: Type.Object(
    {
      failures: Type.Integer({
        minimum: 0,
        title: "Failures",
        description: "Tries that fail before one succeeds.",
      }),
    },
    { additionalProperties: false },
  ),
  ports: { inputs: ["in"], outputs: ["out", "error"] },
  waits: false,
  examples: [{ failures: 1 }],
});

export const slowNode = defineNode({
  type: "testkit.slow",
  version: 1,
  meta: {
    title: "Slow",
    category: "test",
    icon: "hourglass",
    description: "Waits until aborted.",
    docs: "Test node.",
  },
  config: Type.Object({}, { additionalProperties: false }),
  ports: { inputs: ["in"], outputs: ["out", "error"] },
  waits: false,
  examples: [{}],
});

export const effectNode = defineNode({
  type: "testkit.effect",
  version: 1,
  meta: {
    title: "Effect",
    category: "test",
    icon: "zap",
    description: "Records a side effect once per key.",
    docs: "Test node.",
  },
  config: Type.Object(
    { label: Type.String({ title: "Label", description: "What to record." }) },
    { additionalProperties: false },
  ),
  ports: { inputs: ["in"], outputs: ["out", "error"] },
  waits: false,
  examples: [{ label: "x" }],
});

export const testkitPlugin = { nodes: [flakyNode, slowNode, effectNode] };

/** Executors with their observations, fresh per harness. */
export function testkitExecutors() {
  const tries = new Map<string, number>();
  const effects: Array<{ key: string; label: string }> = [];
  /** Idempotency keys of the slow steps executing: a test waits on one to know its activation is in the engine. */
  const slowStarted: string[] = [];
  const executors: Record<string, NodeExecutor> = {
    "testkit.flaky": (async (ctx, config: { failures: number }) => {
      const n = (tries.get(ctx.idempotencyKey) ?? 0) + 1;
      tries.set(ctx.idempotencyKey, n);
      if (n <= config.failures) throw new Error(`flaky failure ${n}`);
      return { output: { tries: n }, port: "out" };
    }) as NodeExecutor,
    "testkit.slow": ((ctx) =>
      new Promise((_, reject) => {
        slowStarted.push(ctx.idempotencyKey);
        ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
      })) as NodeExecutor,
    "testkit.effect": (async (ctx, config: { label: string }) => {
      if (!effects.some((e) => e.key === ctx.idempotencyKey))
        effects.push({ key: ctx.idempotencyKey, label: config.label });
      return { output: { done: true }, port: "out", effect: true };
    }) as NodeExecutor,
  };
  return { executors, tries, effects, slowStarted };
}
