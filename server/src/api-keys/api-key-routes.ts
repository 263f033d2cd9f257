import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-key-store";

export const CreateApiKeyBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** Channel API keys: admins and owners manage them; every query runs in the caller's tenant (RLS). */
export function apiKeyRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/api-keys",
      summary: "List the tenant's API keys (never the keys themselves).",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (_req, res) => {
        const { tenantId } = requireAuth(res);
        res.json({ items: await db.transaction((sql) => listApiKeys(sql), { tenantId }) });
      },
    },
    {
      method: "post",
      path: "/api-keys",
      summary: "Create an API key; the answer is the only time the key is shown.",
      auth: "user",
      role: "admin",
      body: CreateApiKeyBody,
      example: { name: "Website widget" },
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const body = req.body as Static<typeof CreateApiKeyBody>;
        const created = await db.transaction(
          async (sql) => {
            const made = await createApiKey(sql, {
              tenantId: caller.tenantId,
              name: body.name,
              createdBy: caller.userId,
            });
            await recordAudit(sql, {
              ...auditActor(res),
              action: "api_key.create",
              targetType: "api_key",
              targetId: made.record.id,
            });
            return made;
          },
          { tenantId: caller.tenantId },
        );
        res.setHeader("Cache-Control", "no-store");
        res.status(201).json({ ...created.record, key: created.key });
      },
    },
    {
      method: "delete",
      path: "/api-keys/:id",
      resource: "api_keys",
      summary: "Revoke an API key. Another tenant's key id answers 404.",
      auth: "user",
      role: "admin",
      status: 204,
      handler: async (req, res) => {
        const { tenantId } = requireAuth(res);
        const id = String(req.params.id);
        const revoked = await db.transaction(
          async (sql) => {
            const done = await revokeApiKey(sql, id);
            if (done)
              await recordAudit(sql, {
                ...auditActor(res),
                action: "api_key.revoke",
                targetType: "api_key",
                targetId: id.toLowerCase(),
              });
            return done;
          },
          { tenantId },
        );
        if (!revoked) throw new ApiError("FD322", "No such API key.");
        res.status(204).end();
      },
    },
  ];
}
