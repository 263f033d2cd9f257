import type { Database } from "@flowdeck/runtime";
import type { Workflow, WorkflowValidator } from "@flowdeck/schemas";
import { ApiError } from "../kit/api-error";
import { workflowChangedSince } from "../workflows/workflow-changes";
import type { PublishedWorkflows } from "./published-workflows";
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

/**
 * The workflow a new run executes, validated into the engine's data. Published versions come through
 * `published-workflows.ts` (the same per-process cache of parsed versions the subflows and workers use): one
 * read for the version number (none when the caller has just checked it), and what an API caller needs to
 * hear when there is nothing to run. Drafts are parsed on every test run.
 */

// How long a start trusts an earlier start's version lookup (a chat's first message would otherwise read it every
// time). A publish, rollback or deletion through this process ends that trust at once; others within this time.
const VERSION_LOOKUP_TTL_MS = 1_000;
const MAX_KEPT_LOOKUPS = 10_000;
export function createWorkflowSource(
  db: Database,
  validator: WorkflowValidator,
  versions: PublishedWorkflows,
): WorkflowSource {
  /** Version numbers found per workflow and requested version ("latest" or a pin), trusted for a while. */
  const numbers = new Map<string, { version: number; atMs: number }>();

  async function published(
    tenantId: string,
    workflowId: string,
    version: number | undefined,
    verified: boolean,
  ): Promise<LoadedWorkflow> {
    if (verified && version !== undefined) return parsedVersion(tenantId, workflowId, version);
    const key = `${tenantId}:${workflowId}:${version ?? "latest"}`;
    const now = Date.now();
    const kept = numbers.get(key);
    if (
      kept &&
      now - kept.atMs < VERSION_LOOKUP_TTL_MS &&
      !workflowChangedSince(workflowId.toLowerCase(), kept.atMs)
    )
      return parsedVersion(tenantId, workflowId, kept.version);
    const { rows } = await db.statement<{ name: string; version: number | null }>(
      `SELECT w.name, v.version FROM workflows w
         LEFT JOIN workflow_versions v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id
          AND ($2::int IS NULL OR v.version = $2)
        WHERE w.id::text = $1 AND w.deleted_at IS NULL
        ORDER BY v.version DESC NULLS LAST LIMIT 1`,
      [workflowId, version ?? null],
      { tenantId },
    );
    const row = rows[0];
    if (!row) throw new ApiError("FD322", "No such workflow.");
    if (row.version === null) {
      if (version !== undefined) throw new ApiError("FD334", `Version ${version} does not exist.`);
      throw new ApiError("FD351", "This workflow has no published version yet.");
    }
    if (numbers.size >= MAX_KEPT_LOOKUPS) numbers.clear();
    numbers.set(key, { version: row.version, atMs: now });
    return parsedVersion(tenantId, workflowId, row.version);
  }

  async function parsedVersion(
    tenantId: string,
    workflowId: string,
    version: number,
  ): Promise<LoadedWorkflow> {
    const workflow = await versions.byId(tenantId, workflowId, version);
    // Published once valid; a node type removed since can make an old version invalid.
    if (!workflow) throw new ApiError("FD332", `Version ${version} no longer validates and cannot run.`);
    return { workflowId, workflow, version };
  }

  return {
    async load(tenantId, target) {
      if (target.kind === "published")
        return published(tenantId, target.workflowId, target.version, target.verified === true);
      const yaml = (
        await db.statement<{ draft_yaml: string }>(
          "SELECT draft_yaml FROM workflows WHERE id::text = $1 AND deleted_at IS NULL",
          [target.workflowId],
          { tenantId },
        )
      ).rows[0]?.draft_yaml;
      if (yaml === undefined) throw new ApiError("FD322", "No such workflow.");
      const result = validator.validate(yaml);
      if (!result.workflow) {
        throw new ApiError("FD332", `The draft has ${result.errorCount} error(s) and cannot run.`, {
          details: { problems: result.problems },
        });
      }
      return { workflowId: target.workflowId, workflow: result.workflow, version: null };
    },
  };
}
