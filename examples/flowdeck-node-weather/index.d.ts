import type { NodePackageHost } from "@flowdeck/node-library";
import type { NodePackage } from "@flowdeck/node-library/runtime";

export declare const DEFAULT_SERVICE_URL: string;
export default function weatherNodes(flowdeck: NodePackageHost): NodePackage;
