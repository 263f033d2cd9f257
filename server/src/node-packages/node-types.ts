import { createBuiltinRegistry, type NodeRegistry } from "@flowdeck/node-library";
import { builtinExecutors, type NodeExecutor } from "@flowdeck/node-library/runtime";

/** One loaded node package, as `GET /node-types` and the start-up log name it. */
export interface LoadedNodePackage {
  /** What FLOWDECK_NODE_PACKAGES or flowdeck.config.json named (a package name or a path). */
  readonly spec: string;
  readonly name: string;
  readonly version: string;
  readonly types: readonly string[];
}

/**
 * The node types of one process: the built-ins plus the configured packages. The API, the workers and the CLI
 * each build one at start (loadNodeTypes) and pass it everywhere a registry was needed, so validation, the
 * editor's catalog and execution agree on the same set.
 */
export interface NodeTypes {
  readonly registry: NodeRegistry;
  /** Every registered type's executor (the built-ins' and the packages'). */
  readonly executors: Readonly<Record<string, NodeExecutor>>;
  readonly packages: readonly LoadedNodePackage[];
}

export function builtinNodeTypes(): NodeTypes {
  return { registry: createBuiltinRegistry(), executors: builtinExecutors, packages: [] };
}
