import { builtinNodes } from "./nodes/builtin-nodes";
import { createRegistry, type NodeRegistry } from "./registry";

/** A registry holding every built-in; add third-party packages with `use`. */
export function createBuiltinRegistry(): NodeRegistry {
  return createRegistry(builtinNodes);
}
