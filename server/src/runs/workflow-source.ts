import { prepared, type Database } from "@flowdeck/runtime";
import { isUuidText } from "../auth/opaque-token";
import type { Workflow, WorkflowValidator } from "@flowdeck/schemas";
import { ApiError } from "../kit/api-error";
import { workflowChangedSince } from "../workflows/workflow-changes";
import { errorsInWords } from "../workflows/yaml-refusal";
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

// The version a start runs: `$3`, or the latest when null. Prepared and keyed (`byKeyOnly`), so each connection
// keeps one plan: planned afresh, with the tenant's policies, it cost 390 µs against 56 µs executing (bench
// CONTEXT, Planning by statement). A deleted workflow is told apart here, not in the WHERE: there, the partial
// index of live names would serve the plan, which would then walk every live workflow of the tenant.
export const VERSION_TO_RUN = prepared(
  "flowdeck_version_to_run",
  `SELECT w.name, v.version, w.deleted_at IS NOT NULL AS deleted FROM workflows w
     LEFT JOIN workflow_versions v ON v.tenant_id = w.tenant_id AND v.workflow_id = w.id
      AND ($3::int IS NULL OR v.version = $3::int)
    WHERE w.tenant_id = $1::uuid AND w.id = $2::uuid
    ORDER BY v.version DESC NULLS LAST LIMIT 1`,
);
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
    const row = isUuidText(workflowId)
      ? (
          await db.statement<{ name: string; version: number | null; deleted: boolean }>(
            VERSION_TO_RUN,
            [tenantId, workflowId, version ?? null],
            { tenantId, byKeyOnly: true },
          )
        ).rows[0]
      : undefined;
    if (!row || row.deleted) throw new ApiError("FD322", "No such workflow.");
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
        const first = result.problems.find((p) => p.severity === "error");
        const message = `The draft cannot run: it has ${errorsInWords(result.errorCount, first)}`;
        throw new ApiError("FD332", message, { details: { problems: result.problems } });
      }
      return { workflowId: target.workflowId, workflow: result.workflow, version: null };
    },
  };
}
