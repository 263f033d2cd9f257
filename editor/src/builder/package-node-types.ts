// The deployment's node packages in the builder: their definitions come from the server as JSON (GET /node-types;
// executors and migrations stay there) and the schema check for the combined catalog as an ES module the server
// generated (GET /node-types/workflow-validate), so package nodes validate as you type under the same CSP.
import { defineNode, type NodeDefinition } from "@flowdeck/node-library";
import type { CompiledSchemaCheck } from "@flowdeck/schemas";
import { installPackageNodeTypes } from "./builder-registry";

/** One package node type as GET /node-types sends it. */
export interface PackageNodeType {
  readonly type: string;
  readonly version: number;
  readonly package: string;
  readonly meta: NodeDefinition["meta"];
  readonly config: Record<string, unknown>;
  readonly ports: NodeDefinition["ports"];
  readonly waits: boolean;
  readonly pure?: boolean;
  readonly branches?: NodeDefinition["branches"];
  readonly examples: readonly unknown[];
}

export interface NodeTypesAnswer {
  readonly packages: ReadonlyArray<{ name: string; version: string; types: string[] }>;
  readonly nodeTypes: readonly PackageNodeType[];
}

export interface PackageNodeTypesSource {
  readonly baseUrl: string;
  accessToken(): Promise<string | undefined>;
}

let loaded: Promise<number> | undefined;

/**
 * Loads the package node types once per page and installs them in the builder's registry; resolves to how many
 * there were (0 for a deployment without packages, which costs one small request).
 */
export function loadPackageNodeTypes(source: PackageNodeTypesSource): Promise<number> {
  loaded ??= fetchAndInstall(source).catch((error: unknown) => {
    loaded = undefined; // let a later builder try again
    throw error;
  });
  return loaded;
}

async function fetchAndInstall({ baseUrl, accessToken }: PackageNodeTypesSource): Promise<number> {
  const token = await accessToken();
  const response = await fetch(`${baseUrl}/node-types`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw new Error(`GET /node-types answered ${response.status}.`);
  const answer = (await response.json()) as NodeTypesAnswer;
  if (answer.nodeTypes.length === 0) return 0;
  const module = (await import(/* @vite-ignore */ `${baseUrl}/node-types/workflow-validate`)) as {
    validate: CompiledSchemaCheck;
  };
  installPackageNodeTypes(answer.nodeTypes.map(definitionOf), module.validate);
  return answer.nodeTypes.length;
}

function definitionOf(node: PackageNodeType): NodeDefinition {
  // The registry insists on a migration per earlier version; the server migrates old configs before it checks
  // them, so here they pass through unchanged.
  const migrations: Record<number, (config: Record<string, unknown>) => Record<string, unknown>> = {};
  for (let from = 1; from < node.version; from++) migrations[from] = (config) => config;
  return defineNode({
    type: node.type,
    version: node.version,
    meta: node.meta,
    config: node.config as never,
    ports: node.ports,
    waits: node.waits,
    ...(node.pure === undefined ? {} : { pure: node.pure }),
    ...(node.branches === undefined ? {} : { branches: node.branches }),
    ...(node.version > 1 ? { migrations } : {}),
    examples: node.examples as never,
  }) as unknown as NodeDefinition;
}
