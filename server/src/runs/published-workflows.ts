import type { Database } from "@flowdeck/runtime";
import type { Workflow, WorkflowValidator } from "@flowdeck/schemas";

/** Parsed versions kept per process. Versions are immutable, so an entry never goes stale, only cold. */
const MAX_CACHED_VERSIONS = 500;

export interface PublishedWorkflows {
  /**
   * The tenant's published workflow `name` at `version` ("latest": the highest published number), or
   * undefined when there is no such live workflow, version, or nothing is published. Matches the engine's
   * `resolveWorkflow` (subflows, and any root a worker must load by name).
   */
  resolve(tenantId: string, name: string, version: number | "latest"): Promise<Workflow | undefined>;
  /**
   * Version `version` of the workflow with this id, whether or not it is deleted (the caller has checked):
   * no read at all once this process has parsed it.
   */
  byId(tenantId: string, workflowId: string, version: number): Promise<Workflow | undefined>;
}

/**
 * Published versions from `workflows` / `workflow_versions` (server/migrations/1001_workflows.sql), by name,
 * for workers and the RunHost. One tenant transaction per lookup finds the version number (and the YAML
 * only when this process has not parsed that version yet). A run's own definition is stored on the run
 * (its pinned `workflowVersion`), so only subflows come through here; a subflow node's `version` wins over
 * latest. A stored version that no longer validates (a node type removed since) resolves to undefined and
 * the engine fails the step with FD203, rather than running a different flow.
 */
export function createPublishedWorkflows(db: Database, validator: WorkflowValidator): PublishedWorkflows {
  const parsed = new Map<string, Workflow | null>();

  function keep(key: string, yaml: string): void {
    if (parsed.size >= MAX_CACHED_VERSIONS) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, validator.validate(yaml, { published: true }).workflow ?? null);
  }

  return {
    async byId(tenantId, workflowId, version) {
      const key = `${tenantId}:${workflowId}:${version}`;
      if (!parsed.has(key)) {
        const yaml = (
          await db.statement<{ yaml: string }>(
            "SELECT yaml FROM workflow_versions WHERE workflow_id::text = $1 AND version = $2",
            [workflowId, version],
            { tenantId },
          )
        ).rows[0]?.yaml;
        if (yaml === undefined) return undefined;
        keep(key, yaml);
      }
      return parsed.get(key) ?? undefined;
    },

    async resolve(tenantId, name, version) {
      const pinned = version === "latest" ? null : version;
      const row = await db.transaction(
        async (sql) => {
          const { rows } = await sql.query<{ workflow_id: string; version: number }>(
            `SELECT v.workflow_id::text AS workflow_id, v.version FROM workflows w
               JOIN workflow_versions v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id
              WHERE w.name = $1 AND w.deleted_at IS NULL AND ($2::int IS NULL OR v.version = $2)
              ORDER BY v.version DESC LIMIT 1`,
            [name, pinned],
          );
          const found = rows[0];
          if (!found) return undefined;
          const key = `${tenantId}:${found.workflow_id}:${found.version}`;
          if (parsed.has(key)) return { key, yaml: undefined };
          const text = await sql.query<{ yaml: string }>(
            "SELECT yaml FROM workflow_versions WHERE workflow_id = $1::uuid AND version = $2",
            [found.workflow_id, found.version],
          );
          return { key, yaml: text.rows[0]?.yaml };
        },
        { tenantId },
      );
      if (!row) return undefined;
      if (row.yaml !== undefined) keep(row.key, row.yaml);
      return parsed.get(row.key) ?? undefined;
    },
  };
}
