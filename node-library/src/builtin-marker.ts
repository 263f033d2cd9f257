import type { NodeDefinition } from "./define-node";

/**
 * Unqualified names (`agent`) and the `tool.` namespace belong to Flowdeck. Membership is by object identity
 * rather than by name, so a package cannot claim `agent` simply by registering before the built-ins, and a
 * bare `createRegistry()` still refuses an impostor.
 */
const builtins = new WeakSet<NodeDefinition>();

export function markBuiltin<D extends NodeDefinition>(definition: D): D {
  builtins.add(definition);
  return definition;
}

export function isBuiltin(definition: NodeDefinition): boolean {
  return builtins.has(definition);
}
