import type { Database } from "@flowdeck/runtime";
import type { WorkflowValidator, Workflow } from "@flowdeck/schemas";
import { ApiError } from "../app/api-error";
import type { RunTarget } from "./run-host";

export interface LoadedWorkflow {
  readonly workflowId: string;
  readonly workflow: Workflow;
  /** The published version, or null for a draft (test runs). */
  readonly version: number | null;
}

export interface WorkflowSource {
  /** The workflow a target names. FD322 unknown workflow, FD334 no such version, FD351 nothing published. */
  load(tenantId: string, target: RunTarget): Promise<LoadedWorkflow>;
}

/** Parsed versions kept per process. Versions are immutable, so an entry never goes stale, only cold. */
const MAX_CACHED_VERSIONS = 500;

/**
 * The workflow a new run executes, from the workflows tables, validated into the engine's data. Published
 * versions are parsed once per process (they never change); drafts on every test run because they do. Subflows
 * resolve by name through `published-workflows.ts`, as in the workers.
 */
export function createWorkflowSource(db: Database, validator: WorkflowValidator): WorkflowSource {
  const parsed = new Map<string, Workflow>();

  function parse(yaml: string, what: string): Workflow {
    const result = validator.validate(yaml);
    if (!result.workflow) {
      throw new ApiError("FD332", `${what} has ${result.errorCount} error(s) and cannot run.`, {
        details: { problems: result.problems },
      });
    }
    return result.workflow;
  }

  function remember(key: string, workflow: Workflow): Workflow {
    if (parsed.size >= MAX_CACHED_VERSIONS) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, workflow);
    return workflow;
  }

  async function published(
    tenantId: string,
    workflowId: string,
    version: number | undefined,
  ): Promise<LoadedWorkflow> {
    const row = await db.transaction(
      async (sql) => {
        const { rows } = await sql.query<{ version: number; exists: boolean }>(
          `SELECT v.version, true AS exists FROM workflows w
             LEFT JOIN workflow_versions v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id
              AND ($2::int IS NULL OR v.version = $2)
            WHERE w.id::text = $1 AND w.deleted_at IS NULL
            ORDER BY v.version DESC NULLS LAST LIMIT 1`,
          [workflowId, version ?? null],
        );
        return rows[0];
      },
      { tenantId },
    );
    if (!row) throw new ApiError("FD322", "No such workflow.");
    if (row.version === null) {
      if (version !== undefined) throw new ApiError("FD334", `Version ${version} does not exist.`);
      throw new ApiError("FD351", "This workflow has no published version yet.");
    }
    const key = `${tenantId}:${workflowId}:${row.version}`;
    const cached = parsed.get(key);
    if (cached) return { workflowId, workflow: cached, version: row.version };
    const yaml = await db.transaction(
      async (sql) =>
        (
          await sql.query<{ yaml: string }>(
            "SELECT yaml FROM workflow_versions WHERE workflow_id::text = $1 AND version = $2",
            [workflowId, row.version],
          )
        ).rows[0]!.yaml,
      { tenantId },
    );
    return {
      workflowId,
      workflow: remember(key, parse(yaml, `Version ${row.version}`)),
      version: row.version,
    };
  }

  return {
    async load(tenantId, target) {
      if (target.kind === "published") return published(tenantId, target.workflowId, target.version);
      const yaml = await db.transaction(
        async (sql) =>
          (
            await sql.query<{ draft_yaml: string }>(
              "SELECT draft_yaml FROM workflows WHERE id::text = $1 AND deleted_at IS NULL",
              [target.workflowId],
            )
          ).rows[0]?.draft_yaml,
        { tenantId },
      );
      if (yaml === undefined) throw new ApiError("FD322", "No such workflow.");
      return { workflowId: target.workflowId, workflow: parse(yaml, "The draft"), version: null };
    },
  };
}
