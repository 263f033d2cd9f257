import { createBuiltinRegistry } from "@flowdeck/node-library";
import type { Sql } from "@flowdeck/runtime";
import { createWorkflowValidator, type TriggerType } from "@flowdeck/schemas";

/**
 * The trigger type (`chat`, `webhook`, `manual`) of the version a channel would run: its pinned version, or the
 * latest published one. Versions are immutable, so the answer is cached by workflow and version number.
 */
export function createTriggerLookup(): (
  sql: Sql,
  workflowId: string,
  pinned: number | null,
) => Promise<TriggerType | undefined> {
  const validator = createWorkflowValidator(createBuiltinRegistry().catalog());
  const cache = new Map<string, TriggerType>();
  return async (sql, workflowId, pinned) => {
    const { rows } = await sql.query<{ version: number }>(
      `SELECT version FROM workflow_versions WHERE workflow_id::text = $1 AND ($2::int IS NULL OR version = $2::int)
        ORDER BY version DESC LIMIT 1`,
      [workflowId, pinned],
    );
    const version = rows[0]?.version;
    if (version === undefined) return undefined;
    const key = `${workflowId}:${version}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const { rows: yamlRows } = await sql.query<{ yaml: string }>(
      "SELECT yaml FROM workflow_versions WHERE workflow_id::text = $1 AND version = $2",
      [workflowId, version],
    );
    const workflow = validator.validate(yamlRows[0]?.yaml ?? "").workflow;
    const trigger: TriggerType = workflow?.trigger?.type ?? "chat";
    if (cache.size > 10_000) cache.clear();
    cache.set(key, trigger);
    return trigger;
  };
}
