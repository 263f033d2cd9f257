import { randomUUID } from "node:crypto";
import type { Database, TenantScope } from "../../src/store/database";

/** A plan node that reads a table, from `EXPLAIN (FORMAT JSON)`. */
export interface PlanScan {
  readonly relation: string;
  readonly nodeType: string;
  /** Undefined for a sequential scan. */
  readonly index?: string;
  readonly indexCond: string;
}

/** Every scan of a table in a plan tree, outermost first. */
export function planScans(plan: Record<string, unknown>): PlanScan[] {
  // A CTE or function scan reads no table.
  const own =
    String(plan["Node Type"]).includes("Scan") && plan["Relation Name"] !== undefined
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

/** The scan finds its rows by `column` (in the index condition), not every row of the tenant. */
export const findsBy = (scan: PlanScan, column: string) =>
  new RegExp(`[(\\s.]${column} = `).test(scan.indexCond);

/** The run's id is in the index condition: the scan finds the row by key, not every row of the tenant. */
export const findsById = (scan: PlanScan) => findsBy(scan, "id");

/** The condition compares against a parameter (`$2`), not a value: the plan is generic, made for any value. */
export const isGeneric = (scan: PlanScan) => /\$\d/.test(scan.indexCond);

/**
 * The plan a connection keeps for `statement` when it executes it in a transaction of `scope`: the statement is
 * prepared, as the store prepares it, and explained as executed with `params`. In a `byKeyOnly` transaction that
 * is its generic plan; `forceGeneric` asks for the generic plan in any transaction.
 */
export async function keptPlanScans(
  db: Database,
  scope: TenantScope,
  statement: { readonly text: string },
  params: readonly (string | number | boolean | null | readonly string[])[],
  forceGeneric = false,
): Promise<PlanScan[]> {
  const literal = (value: (typeof params)[number]): string =>
    value === null
      ? "NULL"
      : Array.isArray(value)
        ? literal(`{${value.map((item) => JSON.stringify(item)).join(",")}}`)
        : typeof value === "string"
          ? `'${value.replaceAll("'", "''")}'`
          : String(value);
  const name = `kept_probe_${randomUUID().replaceAll("-", "")}`;
  const { rows } = await db.transaction(async (sql) => {
    await sql.query(`PREPARE ${name} AS ${statement.text}`);
    try {
      if (forceGeneric) await sql.query("SET LOCAL plan_cache_mode = force_generic_plan");
      return await sql.query<{ "QUERY PLAN": unknown }>(
        `EXPLAIN (FORMAT JSON) EXECUTE ${name}(${params.map(literal).join(", ")})`,
      );
    } finally {
      await sql.query(`DEALLOCATE ${name}`);
    }
  }, scope);
  const explained = rows[0]!["QUERY PLAN"];
  const json = (typeof explained === "string" ? JSON.parse(explained) : explained) as {
    Plan: Record<string, unknown>;
  }[];
  return planScans(json[0]!.Plan);
}
