import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-key-store";
import { API_KEY_SCOPES, defaultKeyRole } from "./api-key-scopes";

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    /** What the key may do (api-key-scopes.ts); at least one. */
    scopes: Type.Array(Type.Union(API_KEY_SCOPES.map((scope) => Type.Literal(scope))), {
      minItems: 1,
      maxItems: API_KEY_SCOPES.length,
      uniqueItems: true,
    }),
    /** The strongest role the key acts with; default the weakest role its scopes need. Never owner. */
    role: Type.Optional(Type.Union([Type.Literal("admin"), Type.Literal("editor"), Type.Literal("viewer")])),
    /** When the key stops working (ISO 8601, in the future, at most 10 years ahead); default never. */
    expiresAt: Type.Optional(Type.String({ format: "date-time", maxLength: 40 })),
  },
  { additionalProperties: false },
);

const MAX_LIFETIME_MS = 10 * 366 * 24 * 3600 * 1000;

/**
 * API keys: admins and owners manage them (with a signed-in session: keys never manage keys, FD318); every query
 * runs in the caller's tenant (RLS). A key is `Bearer fdk.…` on the API with its scopes and role cap.
 */
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
      summary:
        "Create an API key with scopes, an optional role cap and expiry; the answer is the only time the key is shown.",
      auth: "user",
      role: "admin",
      body: CreateApiKeyBody,
      example: { name: "Publishing from CI", scopes: ["workflows:read", "workflows:write"] },
      status: 201,
      handler: async (req, res) => {
        const caller = requireAuth(res);
        const body = req.body as Static<typeof CreateApiKeyBody>;
        const role = body.role ?? defaultKeyRole(body.scopes);
        let expiresAt: string | null = null;
        if (body.expiresAt !== undefined) {
          const at = Date.parse(body.expiresAt);
          if (!(at > Date.now()) || at - Date.now() > MAX_LIFETIME_MS) {
            throw new ApiError("FD300", "Expires at must be a time in the future, at most 10 years ahead.", {
              details: { field: "/expiresAt", keyword: "futureTime", params: { maxYears: 10 } },
            });
          }
          expiresAt = new Date(at).toISOString();
        }
        const created = await db.transaction(
          async (sql) => {
            const made = await createApiKey(sql, {
              tenantId: caller.tenantId,
              name: body.name,
              createdBy: caller.userId,
              scopes: body.scopes,
              role,
              expiresAt,
            });
            await recordAudit(sql, {
              ...auditActor(res),
              action: "api_key.create",
              targetType: "api_key",
              targetId: made.record.id,
              detail: { scopes: made.record.scopes, role, expiresAt },
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
