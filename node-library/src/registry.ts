import type { JsonSchema, NodeCatalog, NodeTypeInfo } from "@flowdeck/schemas";
import { isBuiltin } from "./builtin-marker";
import type { NodeDefinition } from "./define-node";
import { migrateConfig } from "./migrate-config";
import { NodeRegistryError } from "./node-registry-error";
import { typeNameProblem } from "./type-name";
import { validateDefinition } from "./validate-definition";

/** What a node package exports: `export const nodes = [...]`, or the same object as its default export. */
export interface NodePlugin {
  readonly nodes: readonly NodeDefinition[];
}

/** A plugin object, or the module namespace `await import("…")` gives for one. */
export type NodePluginModule = NodePlugin | { readonly default: NodePlugin };

export interface NodeRegistry {
  /** Adds one definition; throws NodeRegistryError (FD150–FD153) and leaves the registry unchanged. */
  register(definition: NodeDefinition): NodeRegistry;
  /** Adds every node of a package, all or nothing. */
  use(plugin: NodePluginModule): NodeRegistry;
  get(type: string): NodeDefinition | undefined;
  has(type: string): boolean;
  /** In registration order, which is the palette order. */
  list(): readonly NodeDefinition[];
  /** A snapshot for `@flowdeck/schemas`; take it after every package is registered. */
  catalog(): NodeCatalog;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function pluginNodes(plugin: unknown): readonly NodeDefinition[] {
  const shape =
    isRecord(plugin) && !Array.isArray(plugin.nodes) && isRecord(plugin.default) ? plugin.default : plugin;
  if (!isRecord(shape) || !Array.isArray(shape.nodes)) {
    throw new NodeRegistryError(
      "FD153",
      "the package exports no `nodes` list (export const nodes = [...] or a default { nodes })",
    );
  }
  return shape.nodes as readonly NodeDefinition[];
}

/** Plain JSON, detached from the definition: TypeBox's hidden `~kind` markers go and callers cannot mutate it. */
function toJsonSchema(schema: NodeDefinition["config"]): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

function toTypeInfo(definition: NodeDefinition): NodeTypeInfo {
  const info: NodeTypeInfo = {
    type: definition.type,
    version: definition.version,
    title: definition.meta.title,
    description: definition.meta.description,
    category: definition.meta.category,
    configSchema: toJsonSchema(definition.config),
    outputs: Object.freeze([...definition.ports.outputs]),
    waits: definition.waits,
    ...(definition.branches ? { branches: definition.branches } : {}),
    // The contract says absent when the type never changed; the validator skips migration then.
    ...(definition.version > 1
      ? { migrate: (config: unknown, fromVersion: number) => migrateConfig(definition, config, fromVersion) }
      : {}),
  };
  return Object.freeze(info);
}

export function createRegistry(definitions: readonly NodeDefinition[] = []): NodeRegistry {
  const byType = new Map<string, NodeDefinition>();
  const infos = new Map<string, NodeTypeInfo>();

  // Validates a whole batch before adding any of it, so a half-registered package never reaches the schema.
  function add(batch: readonly NodeDefinition[]): void {
    const seen = new Set<string>();
    for (const definition of batch) {
      if (!isRecord(definition))
        throw new NodeRegistryError("FD153", "a node definition must be an object made by defineNode");
      const problem = typeNameProblem(definition.type, isBuiltin(definition));
      if (problem) {
        const nodeType = typeof definition.type === "string" ? definition.type : undefined;
        throw new NodeRegistryError("FD151", problem, { nodeType });
      }
      if (byType.has(definition.type) || seen.has(definition.type)) {
        throw new NodeRegistryError("FD150", `node type "${definition.type}" is already registered`, {
          nodeType: definition.type,
        });
      }
      validateDefinition(definition);
      seen.add(definition.type);
    }
    for (const definition of batch) {
      byType.set(definition.type, definition);
      infos.set(definition.type, toTypeInfo(definition));
    }
  }

  const registry: NodeRegistry = {
    register(definition) {
      add([definition]);
      return registry;
    },
    use(plugin) {
      add(pluginNodes(plugin));
      return registry;
    },
    get: (type) => byType.get(type),
    has: (type) => byType.has(type),
    list: () => [...byType.values()],
    catalog() {
      const snapshot = new Map(infos);
      const list = Object.freeze([...snapshot.values()]);
      return Object.freeze({ get: (type: string) => snapshot.get(type), list: () => list });
    },
  };

  add(definitions);
  return registry;
}
