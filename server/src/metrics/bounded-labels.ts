/**
 * Label values that come from data (node types in event JSON, tenant ids) are admitted up to a cap per app
 * instance; past it they are counted under "other", so a bug or a flood of sign-ups cannot grow the number of
 * series without bound (each series costs Prometheus memory for as long as it is retained).
 */
export const OTHER_LABEL = "other";
export const UNKNOWN_LABEL = "unknown";

const NODE_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_NODE_TYPES = 200;

export interface BoundedLabels {
  nodeType(value: unknown): string;
  /** The tenant id as a label value, "other" past the cap; `undefined` when tenant series are off (cap 0). */
  tenant(value: unknown): string | undefined;
}

export function boundedLabels(maxTenantSeries: number): BoundedLabels {
  const nodeTypes = new Set<string>();
  const tenants = new Set<string>();
  const admit = (seen: Set<string>, value: string, cap: number): string => {
    if (seen.has(value)) return value;
    if (seen.size >= cap) return OTHER_LABEL;
    seen.add(value);
    return value;
  };
  return {
    nodeType(value) {
      if (typeof value !== "string") return UNKNOWN_LABEL;
      if (!NODE_TYPE.test(value)) return OTHER_LABEL;
      return admit(nodeTypes, value, MAX_NODE_TYPES);
    },
    tenant(value) {
      if (maxTenantSeries <= 0) return undefined;
      if (typeof value !== "string" || !TENANT_ID.test(value)) return UNKNOWN_LABEL;
      return admit(tenants, value, maxTenantSeries);
    },
  };
}
