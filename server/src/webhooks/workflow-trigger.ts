import type { Sql } from "@flowdeck/runtime";
import { createWorkflowValidator, type NodeCatalog, type TriggerType } from "@flowdeck/schemas";

/**
 * The trigger type (`chat`, `webhook`, `manual`) of a published version. Versions are immutable, so the answer
 * is cached by workflow and version number: only the first call for a version reads its YAML.
 */
export function createTriggerLookup(
  catalog: NodeCatalog,
): (sql: Sql, workflowId: string, version: number) => Promise<TriggerType> {
  const validator = createWorkflowValidator(catalog);
  const cache = new Map<string, TriggerType>();
  return async (sql, workflowId, version) => {
    const key = `${workflowId}:${version}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const { rows } = await sql.query<{ yaml: string }>(
      "SELECT yaml FROM workflow_versions WHERE workflow_id::text = $1 AND version = $2",
      [workflowId, version],
    );
    const workflow = validator.validate(rows[0]?.yaml ?? "", { published: true }).workflow;
    const trigger: TriggerType = workflow?.trigger?.type ?? "chat";
    if (cache.size > 10_000) cache.clear();
    cache.set(key, trigger);
    return trigger;
  };
}
