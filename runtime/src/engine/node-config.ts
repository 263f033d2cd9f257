import type { NodeRegistry } from "@flowdeck/node-library";
import type { WorkflowNode } from "@flowdeck/schemas";
import Value from "typebox/value";

// Workflows are immutable once loaded, so a node's defaulted config is computed once and frozen: a loop that
// runs a node thousands of times does not copy its config each time.
const configCache = new WeakMap<WorkflowNode, Record<string, unknown>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** The node's config with its schema's defaults filled in (executors rely on them), frozen. */
export function defaultedConfig(registry: NodeRegistry, node: WorkflowNode): Record<string, unknown> {
  let config = configCache.get(node);
  if (!config) {
    const definition = registry.get(node.type);
    const raw = structuredClone(node.config ?? {});
    config = deepFreeze(
      definition ? (Value.Default(definition.config, raw) as Record<string, unknown>) : raw,
    );
    configCache.set(node, config);
  }
  return config;
}
