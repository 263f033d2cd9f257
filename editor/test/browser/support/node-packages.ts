// The weather example package (examples/flowdeck-node-weather) loaded the way `flowdeck serve` loads
// FLOWDECK_NODE_PACKAGES, for browser tests of package node types.
import { fileURLToPath } from "node:url";
import { loadNodeTypes } from "../../../../server/src/node-packages/load-node-packages";
import type { NodeTypes } from "../../../../server/src/node-packages/node-types";

export const WEATHER_PACKAGE = fileURLToPath(
  new URL("../../../../examples/flowdeck-node-weather", import.meta.url),
);

export function weatherNodeTypes(): Promise<NodeTypes> {
  return loadNodeTypes({ FLOWDECK_NODE_PACKAGES: WEATHER_PACKAGE });
}
