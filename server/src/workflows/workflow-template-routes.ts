import type { Database, Sql } from "@flowdeck/runtime";
import type { Response } from "express";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import { tenantPlan, tenantUsage } from "../plans/plan-usage";
import { createWorkflow } from "./workflow-store";
import { workflowTemplates, type WorkflowTemplate } from "./workflow-templates";

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The live workflows of the transaction's tenant that have one of these names: name → id. */
async function liveWorkflowIds(sql: Sql, names: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ id: string; name: string }>(
    "SELECT id::text AS id, name FROM workflows WHERE deleted_at IS NULL AND name = ANY($1::text[])",
    [names],
  );
  return new Map(rows.map((row) => [row.name, row.id]));
}

/** Workflows the plan still allows: null when it has no limit. */
async function workflowsLeft(sql: Sql): Promise<{ plan: string; allowed: number | null; used: number; left: number | null }> {
  const { plan, limits } = await tenantPlan(sql);
  const used = (await tenantUsage(sql)).workflows;
  const allowed = limits.workflows;
  return { plan, allowed, used, left: allowed === null ? null : Math.max(0, allowed - used) };
}

/**
 * The template's own name is taken. Not a renamed copy (order_management_2): the router calls its subflows by
 * name, so a copy under another name would never be called, and POST /workflows refuses a taken name the same way.
 */
const nameTaken = (name: string, workflowId?: string) =>
  new ApiError("FD333", `A workflow named "${name}" already exists: open it, or rename it first.`, {
    hint: "Open the existing workflow from the list, or rename or delete it, then use the template again.",
    ...(workflowId ? { details: { name, workflowId } } : {}),
  });

/** "6 workflows (customer_support_workflow and the 5 flows it calls)", for the plan refusal. */
function whatItCreates(template: WorkflowTemplate, missing: readonly string[]): string {
  const count = plural(missing.length + 1, "workflow");
  if (missing.length === 0) return count;
  const flows = plural(missing.length, "flow");
  if (missing.length === template.subflows.length) return `${count} (${template.name} and the ${flows} it calls)`;
  return `${count} (${template.name} and ${missing.length} of the ${template.subflows.length} flows it calls, which this workspace does not have yet)`;
}

/**
 * Start from a template (server/CONTEXT.md, "Workflow templates"): the list, and a use that creates the template
 * and the subflows it calls as drafts in the caller's workspace, through the same store, plan check and audit
 * as `POST /workflows`.
 */
export function workflowTemplateRoutes(db: Database, templatesDir?: string): RouteDefinition[] {
  const inTenant = <T>(res: Response, fn: (sql: Sql) => Promise<T>): Promise<T> =>
    db.transaction(fn, { tenantId: requireAuth(res).tenantId });

  return [
    {
      method: "get",
      path: "/workflow-templates",
      summary:
        "The flows a workspace can start from: title, description, node count, the subflows each needs, whether the workspace has it, and room left on the plan.",
      auth: "user",
      status: 200,
      handler: async (_req, res) => {
        const templates = await workflowTemplates(templatesDir);
        const { existing, room } = await inTenant(res, async (sql) => ({
          existing: await liveWorkflowIds(sql, templates.map((t) => t.name)),
          room: await workflowsLeft(sql),
        }));
        res.json({
          items: templates.map(({ yaml: _yaml, ...template }) => ({
            ...template,
            existingWorkflowId: existing.get(template.name) ?? null,
            // What using it would create now: itself and the subflows the workspace lacks.
            workflowsToCreate: existing.has(template.name) ? 0 : 1 + template.subflows.filter((name) => !existing.has(name)).length,
          })),
          plan: room.plan,
          workflowsLeft: room.left,
        });
      },
    },
    {
      method: "post",
      path: "/workflow-templates/:name/use",
      exampleParams: { name: "faq_handling" },
      summary:
        "Create the template as a draft workflow, with drafts of the subflows it calls that the workspace has no workflow of that name for. The main workflow comes first in the answer.",
      auth: "user",
      role: "editor",
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const name = String(req.params.name);
        const byName = new Map((await workflowTemplates(templatesDir)).map((t) => [t.name, t]));
        const template = byName.get(name);
        if (!template) throw new ApiError("FD338", `There is no template named "${name}".`);
        const result = await inTenant(res, async (sql) => {
          const existing = await liveWorkflowIds(sql, [template.name, ...template.subflows]);
          const taken = existing.get(template.name);
          if (taken) throw nameTaken(template.name, taken);
          const missing = template.subflows.filter((subflow) => !existing.has(subflow));
          // The plan check of POST /workflows, for every workflow at once: all are created or none.
          const room = await workflowsLeft(sql);
          if (room.allowed !== null && room.used + missing.length + 1 > room.allowed) {
            throw new ApiError(
              "FD350",
              `"${template.title}" creates ${whatItCreates(template, missing)}; the ${room.plan} plan allows ${plural(room.allowed, "workflow")} and this workspace has ${room.used}.`,
              { details: { limit: "workflows", allowed: room.allowed, used: room.used, needed: missing.length + 1 } },
            );
          }
          const created: Array<{ id: string; name: string }> = [];
          const reused = template.subflows.filter((subflow) => existing.has(subflow));
          for (const workflow of [template, ...missing.map((subflow) => byName.get(subflow)!)]) {
            const id = await createWorkflow(sql, { tenantId: caller.tenantId, name: workflow.name, yaml: workflow.yaml, userId: caller.userId });
            if (!id) {
              // Created by someone else since the look above: the main one is refused (nothing is kept, as this
              // throws inside the transaction); a subflow made meanwhile is one the router can call.
              if (workflow === template) throw nameTaken(template.name);
              reused.push(workflow.name);
              continue;
            }
            await recordAudit(sql, {
              ...auditActor(res),
              action: "workflow.create",
              targetType: "workflow",
              targetId: id,
              detail: { name: workflow.name, template: template.name },
            });
            created.push({ id, name: workflow.name });
          }
          return { created, reused };
        });
        res.status(201).json({ items: result.created, reused: result.reused });
      },
    },
  ];
}
