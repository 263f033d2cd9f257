/** A plan node that reads a table, from `EXPLAIN (FORMAT JSON)`. */
export interface PlanScan {
  readonly relation: string;
  readonly nodeType: string;
  /** Undefined for a sequential scan. */
  readonly index?: string;
  readonly indexCond: string;
}

/** Every scan in a plan tree, outermost first. */
export function planScans(plan: Record<string, unknown>): PlanScan[] {
  const own = String(plan["Node Type"]).includes("Scan")
    ? [
        {
          relation: String(plan["Relation Name"]),
          nodeType: String(plan["Node Type"]),
          index: plan["Index Name"] as string | undefined,
          indexCond: String(plan["Index Cond"] ?? ""),
        },
      ]
    : [];
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [...own, ...children.flatMap(planScans)];
}

/** The run's id is in the index condition: the scan finds the row by key, not every row of the tenant. */
export const findsById = (scan: PlanScan) => /[(\s.]id = /.test(scan.indexCond);
