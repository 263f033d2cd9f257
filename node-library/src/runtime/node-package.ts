import type { NodeDefinition } from "../define-node";
import type { NodePackageHost } from "../node-package-host";
import type { NodeExecutor } from "./executor";

/**
 * A node package as the server, the workers and the CLI load it (Node only; the editor receives the
 * definitions as JSON from the API). `executors` maps each type the package defines to its executor.
 */
export interface NodePackage {
  readonly nodes: readonly NodeDefinition[];
  readonly executors?: Readonly<Record<string, NodeExecutor>>;
}

/** The factory form a package exports as default: it receives the host's builders (see NodePackageHost). */
export type NodePackageFactory = (host: NodePackageHost) => NodePackage;
