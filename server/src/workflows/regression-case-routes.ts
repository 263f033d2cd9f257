import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import {
  deleteRegressionCase,
  insertRegressionCase,
  listRegressionCases,
  runVisible,
  workflowVisible,
} from "./regression-case-store";

export const RegressionCaseBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    runId: Type.String({ format: "uuid", description: "the test run whose conversation becomes the case" }),
  },
  { additionalProperties: false },
);

/**
 * Regression cases (issue 17), stored with the workflow. Running one is `POST /runs/:runId/replay` with
 * `{ draft: true }`: the replay already compares route and replies, so these routes only keep the list.
 */
export function regressionCaseRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/workflows/:id/regression-cases",
      resource: "workflows",
      summary: "The workflow's saved regression cases (test-run conversations to replay against the draft).",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const id = String(req.params.id);
        const items = await db.transaction(
          async (sql) => ((await workflowVisible(sql, id)) ? listRegressionCases(sql, id) : undefined),
          { tenantId: requireAuth(res).tenantId },
        );
        if (!items) throw new ApiError("FD322", "No such workflow.");
        res.json({ items });
      },
    },
    {
      method: "post",
      path: "/workflows/:id/regression-cases",
      resource: "workflows",
      summary: "Save a test run's conversation as a regression case of the workflow.",
      auth: "user",
      role: "editor",
      body: RegressionCaseBody,
      example: { name: "Order status", runId: "00000000-0000-4000-8000-000000000000" },
      status: 201,
      handler: async (req, res) => {
        const { tenantId, userId } = requireAuth(res);
        const workflowId = String(req.params.id);
        const { name, runId } = req.body as Static<typeof RegressionCaseBody>;
        const saved = await db.transaction(
          async (sql) => {
            if (!(await workflowVisible(sql, workflowId))) throw new ApiError("FD322", "No such workflow.");
            if (!(await runVisible(sql, runId))) throw new ApiError("FD336", "That run is not in this workspace.");
            return insertRegressionCase(sql, { tenantId, workflowId, name, runId, userId });
          },
          { tenantId },
        );
        res.status(201).json(saved);
      },
    },
    {
      method: "delete",
      path: "/workflows/:id/regression-cases/:case",
      resource: "workflows",
      exampleParams: { case: "00000000-0000-4000-8000-000000000000" },
      summary: "Delete a regression case (204 also when it is already gone).",
      auth: "user",
      role: "editor",
      status: 204,
      handler: async (req, res) => {
        const id = String(req.params.id);
        // Idempotent for the case; the workflow must be this tenant's (another tenant's id is a 404).
        const found = await db.transaction(
          async (sql) => {
            // A soft-deleted workflow's cases may still be removed.
            if (!(await workflowVisible(sql, id, true))) return false;
            await deleteRegressionCase(sql, id, String(req.params.case));
            return true;
          },
          { tenantId: requireAuth(res).tenantId },
        );
        if (!found) throw new ApiError("FD322", "No such workflow.");
        res.status(204).end();
      },
    },
  ];
}
