import type { RouteDefinition } from "../kit/route-table";
import type { NodeTypes } from "./node-types";

/**
 * `GET /node-types`: the node types of this deployment that are not built into the editor — those of the
 * installed node packages — as JSON the editor registers next to its built-ins, so its palette, forms and
 * validation know the same types the server validates and runs. Executors and migrations stay on the server.
 */
export function nodeTypeRoutes(nodeTypes: NodeTypes): RouteDefinition[] {
  const fromPackages = new Map(
    nodeTypes.packages.flatMap((pkg) => pkg.types.map((type) => [type, pkg] as const)),
  );
  const catalog = nodeTypes.registry.catalog();
  const body = {
    packages: nodeTypes.packages.map(({ name, version, types }) => ({ name, version, types })),
    nodeTypes: nodeTypes.registry
      .list()
      .filter((definition) => fromPackages.has(definition.type))
      .map((definition) => ({
        type: definition.type,
        version: definition.version,
        package: fromPackages.get(definition.type)!.name,
        meta: definition.meta,
        // The catalog's copy: plain JSON Schema, TypeBox's hidden markers removed.
        config: catalog.get(definition.type)!.configSchema,
        ports: definition.ports,
        waits: definition.waits,
        ...(definition.pure === undefined ? {} : { pure: definition.pure }),
        examples: definition.examples,
      })),
  };
  return [
    {
      method: "get",
      path: "/node-types",
      summary:
        "Node types from installed node packages (definitions as JSON for the editor's palette and forms).",
      auth: "user",
      role: "viewer",
      status: 200,
      handler: async (_req, res) => {
        res.json(body);
      },
    },
  ];
}
