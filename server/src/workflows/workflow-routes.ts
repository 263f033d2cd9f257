import { noteWorkflowChange } from "./workflow-changes";
import type { Database, Sql } from "@flowdeck/runtime";
import {
  createWorkflowValidator,
  diffWorkflows,
  WORKFLOW_NAME_PATTERN,
  type NodeCatalog,
  type Workflow,
} from "@flowdeck/schemas";
import type { Request, Response } from "express";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import { requireRoomFor } from "../plans/plan-usage";
import {
  createWorkflow,
  getWorkflow,
  listVersions,
  listWorkflows,
  publishVersion,
  saveDraft,
  softDelete,
  versionYaml,
  type WorkflowDraft,
} from "./workflow-store";
import { unpublishableWorkflow, unsavableYaml } from "./yaml-refusal";

// No maxLength: bodyLimitBytes bounds the request, and the language's own size limit answers FD101 with its
// numbers (a schema maxLength would answer a vaguer FD300 first).
const Yaml = Type.String({ minLength: 1, description: "The workflow as YAML text (at most 2 MB: FD101)." });
export const DraftBody = Type.Object({ yaml: Yaml }, { additionalProperties: false });
export const PublishBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const RollbackBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

const EXAMPLE_YAML = "name: hello\nnodes:\n  - { name: start, type: start }\n  - { name: done, type: end, config: { reply: Hi } }\nedges:\n  - { from: start, to: done }\n";
const namePattern = new RegExp(WORKFLOW_NAME_PATTERN);

const etagOf = (draft: { id: string; revision: number }) => `"${draft.id}.${draft.revision}"`;

/**
 * The revision an If-Match names, or undefined when the header is absent or not ours. `If-Match: *` (HTTP's
 * "whatever is current") is an explicit overwrite: the current revision.
 */
function ifMatchRevision(req: Request, id: string, current: number): number | undefined {
  const header = req.get("if-match");
  if (header?.trim() === "*") return current;
  const match = header ? /^"([0-9a-f-]+)\.(\d+)"$/.exec(header.trim()) : null;
  return match && match[1] === id ? Number(match[2]) : undefined;
}

/**
 * Workflows: drafts saved with optimistic concurrency (ETag / If-Match; a stale save is refused whole, so
 * nothing is lost), validation, immutable published versions, a semantic diff between versions, rollback
 * (an old version published again as the newest) and soft delete. Viewers read; editors change.
 */
/** `catalog`: the process's node types (built-ins and packages, node-packages/load-node-packages.ts). */
export function workflowRoutes(db: Database, catalog: NodeCatalog): RouteDefinition[] {
  const validator = createWorkflowValidator(catalog);

  function nameOf(yaml: string): string {
    const result = validator.validate(yaml);
    const value = result.loaded.value as { name?: unknown } | undefined;
    if (typeof value?.name !== "string" || !namePattern.test(value.name)) throw unsavableYaml(result);
    return value.name;
  }

  function checked(yaml: string): Workflow {
    const result = validator.validate(yaml);
    if (!result.workflow) throw unpublishableWorkflow(result);
    return result.workflow;
  }

  const inTenant = <T>(res: Response, fn: (sql: Sql) => Promise<T>): Promise<T> =>
    db.transaction(fn, { tenantId: requireAuth(res).tenantId });

  async function draftOr404(res: Response, id: string): Promise<WorkflowDraft> {
    const draft = await inTenant(res, (sql) => getWorkflow(sql, id));
    if (!draft) throw new ApiError("FD322", "No such workflow.");
    return draft;
  }

  const sendDraft = (res: Response, draft: WorkflowDraft, status = 200) => {
    const { problems, errorCount, warningCount } = validator.validate(draft.yaml);
    res.setHeader("ETag", etagOf(draft));
    res.status(status).json({ ...draft, problems, errorCount, warningCount });
  };

  return [
    {
      method: "get",
      path: "/workflows",
      summary: "List the tenant's workflows with their draft revision and latest published version.",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        res.json({ items: await inTenant(res, (sql) => listWorkflows(sql)) });
      },
    },
    {
      method: "post",
      path: "/workflows",
      summary: "Create a workflow from YAML; the draft is saved even with problems, which the answer lists.",
      auth: "user",
      role: "editor",
      body: DraftBody,
      example: { yaml: EXAMPLE_YAML },
      status: 201,
      handler: async (req, res) => {
        const { yaml } = req.body as Static<typeof DraftBody>;
        const caller = requireAuth(res);
        const name = nameOf(yaml);
        const id = await inTenant(res, async (sql) => {
          await requireRoomFor(sql, "workflows");
          const created = await createWorkflow(sql, { tenantId: caller.tenantId, name, yaml, userId: caller.userId });
          if (created) {
            await recordAudit(sql, { ...auditActor(res), action: "workflow.create", targetType: "workflow", targetId: created, detail: { name } });
          }
          return created;
        });
        if (!id) throw new ApiError("FD333", `A workflow called "${name}" already exists.`);
        sendDraft(res, await draftOr404(res, id), 201);
      },
    },
    {
      method: "get",
      path: "/workflows/:id",
      resource: "workflows",
      summary: "The draft: YAML, revision (also as ETag) and its problems.",
      auth: "user",
      status: 200,
      handler: async (req, res) => sendDraft(res, await draftOr404(res, String(req.params.id))),
    },
    {
      method: "put",
      path: "/workflows/:id/draft",
      resource: "workflows",
      summary: "Save the draft. Needs If-Match with the ETag it was based on; a stale save gets 409 FD330.",
      auth: "user",
      role: "editor",
      body: DraftBody,
      example: { yaml: EXAMPLE_YAML },
      status: 200,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const { yaml } = req.body as Static<typeof DraftBody>;
        const current = await draftOr404(res, id);
        const revision = ifMatchRevision(req, id, current.revision);
        if (revision === undefined) throw new ApiError("FD331", "Saving a draft needs If-Match.", { details: { etag: etagOf(current) } });
        const name = nameOf(yaml);
        const saved = await inTenant(res, async (sql) => {
          const next = await saveDraft(sql, id, yaml, name, revision);
          if (next !== undefined) {
            await recordAudit(sql, { ...auditActor(res), action: "workflow.save_draft", targetType: "workflow", targetId: current.id, detail: { revision: next } });
          }
          return next;
        });
        if (saved === undefined) {
          throw new ApiError("FD330", "Someone saved this draft after you loaded it; your text was not saved.", { details: { etag: etagOf(current) } });
        }
        sendDraft(res, await draftOr404(res, id));
      },
    },
    {
      method: "post",
      path: "/workflows/:id/validate",
      resource: "workflows",
      summary: "Validate the draft: every problem with its code, path, line and column.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const draft = await draftOr404(res, String(req.params.id));
        const { problems, errorCount, warningCount } = validator.validate(draft.yaml);
        res.json({ problems, errorCount, warningCount });
      },
    },
    {
      method: "post",
      path: "/workflows/:id/publish",
      resource: "workflows",
      summary: "Publish the draft as a new immutable version (number, note, author, time). Refused with errors.",
      auth: "user",
      role: "editor",
      body: PublishBody,
      example: { note: "First version" },
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const draft = await draftOr404(res, String(req.params.id));
        checked(draft.yaml);
        const { note = "" } = req.body as Static<typeof PublishBody>;
        const version = await inTenant(res, async (sql) => {
          const published = await publishVersion(sql, { tenantId: caller.tenantId, workflowId: draft.id, yaml: draft.yaml, note, authorId: caller.userId });
          await recordAudit(sql, { ...auditActor(res), action: "workflow.publish", targetType: "workflow", targetId: draft.id, detail: { version: published.version } });
          return published;
        });
        noteWorkflowChange(draft.id);
        res.status(201).json(version);
      },
    },
    {
      method: "get",
      path: "/workflows/:id/versions",
      resource: "workflows",
      summary: "The published versions, newest first.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const draft = await draftOr404(res, String(req.params.id));
        res.json({ items: await inTenant(res, (sql) => listVersions(sql, draft.id)) });
      },
    },
    {
      method: "get",
      path: "/workflows/:id/versions/:version",
      resource: "workflows",
      summary: "One published version's YAML, byte for byte.",
      exampleParams: { version: "1" },
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const draft = await draftOr404(res, String(req.params.id));
        const version = Number(req.params.version);
        const yaml = Number.isInteger(version) ? await inTenant(res, (sql) => versionYaml(sql, draft.id, version)) : undefined;
        if (yaml === undefined) throw new ApiError("FD334", `Version ${String(req.params.version)} does not exist.`);
        res.json({ version, yaml });
      },
    },
    {
      method: "get",
      path: "/workflows/:id/diff",
      resource: "workflows",
      summary: "What changed between two versions (?from=1&to=2); from defaults to the latest version, to to the draft.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const draft = await draftOr404(res, String(req.params.id));
        const load = async (which: unknown): Promise<Workflow> => {
          if (which === "draft") return checked(draft.yaml);
          const version = Number(which);
          const yaml = Number.isInteger(version) ? await inTenant(res, (sql) => versionYaml(sql, draft.id, version)) : undefined;
          if (yaml === undefined) throw new ApiError("FD334", `Version ${String(which)} does not exist.`);
          return checked(yaml);
        };
        const from = req.query.from ?? draft.latestVersion ?? undefined;
        // Nothing live to compare with: a clear 409, not "version undefined does not exist".
        if (from === undefined) {
          throw new ApiError("FD337", "This workflow has never been published, so there is no live version to compare with.");
        }
        res.json(diffWorkflows(await load(from), await load(req.query.to ?? "draft")));
      },
    },
    {
      method: "post",
      path: "/workflows/:id/rollback",
      resource: "workflows",
      summary: "Publish an old version's YAML again as the newest version; the draft becomes that YAML too.",
      auth: "user",
      role: "editor",
      body: RollbackBody,
      example: { version: 1 },
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const draft = await draftOr404(res, String(req.params.id));
        const body = req.body as Static<typeof RollbackBody>;
        const yaml = await inTenant(res, (sql) => versionYaml(sql, draft.id, body.version));
        if (yaml === undefined) throw new ApiError("FD334", `Version ${body.version} does not exist.`);
        checked(yaml);
        const version = await inTenant(res, async (sql) => {
          await saveDraft(sql, draft.id, yaml, nameOf(yaml), draft.revision);
          const note = body.note ?? `Rollback to version ${body.version}`;
          const published = await publishVersion(sql, { tenantId: caller.tenantId, workflowId: draft.id, yaml, note, authorId: caller.userId });
          await recordAudit(sql, {
            ...auditActor(res),
            action: "workflow.rollback",
            targetType: "workflow",
            targetId: draft.id,
            detail: { version: published.version, from: body.version },
          });
          return published;
        });
        noteWorkflowChange(draft.id);
        res.status(201).json(version);
      },
    },
    {
      method: "delete",
      path: "/workflows/:id",
      resource: "workflows",
      summary: "Delete a workflow (soft: versions stay for past runs; the name becomes free).",
      auth: "user",
      role: "editor",
      status: 204,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const deleted = await inTenant(res, async (sql) => {
          const done = await softDelete(sql, id);
          if (done) await recordAudit(sql, { ...auditActor(res), action: "workflow.delete", targetType: "workflow", targetId: id.toLowerCase() });
          return done;
        });
        if (!deleted) throw new ApiError("FD322", "No such workflow.");
        noteWorkflowChange(id.toLowerCase());
        res.status(204).end();
      },
    },
  ];
}
