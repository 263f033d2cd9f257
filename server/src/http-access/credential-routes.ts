import type { Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import { ALLOWED_KEYWORD } from "../kit/body-problem";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import type { SecretBox } from "../channels/secret-box";
import { deleteCredential, listCredentials, putCredential } from "./credential-store";

const NAME_PATTERN = "^[a-z][a-z0-9_]{0,63}$";

export const CredentialBody = Type.Object(
  {
    name: Type.String({
      pattern: NAME_PATTERN,
      title: "Credential name",
      [ALLOWED_KEYWORD]:
        "use lowercase letters, digits and underscores, starting with a letter; at most 64 characters",
      description: "snake_case, as tool.http auth.credential names it",
    }),
    value: Type.String({ minLength: 1, maxLength: 4096, title: "Value" }),
  },
  { additionalProperties: false },
);

/**
 * Credentials for tools (issue 19): API tokens a tenant's `tool.http` steps send (`auth.credential`), stored
 * sealed, listed by name and last four characters only, never returned. Admins and owners; every change is
 * audited without the value.
 */
export function credentialRoutes(db: Database, box: SecretBox): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/settings/credentials",
      summary: "The workspace's stored credentials for tools: names and last four characters, never values.",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (_req, res) => {
        res.json({ items: await db.transaction(listCredentials, { tenantId: requireAuth(res).tenantId }) });
      },
    },
    {
      method: "post",
      path: "/settings/credentials",
      summary:
        "Store or replace a credential for tools by name (tool.http auth.credential); the value is sealed.",
      auth: "user",
      role: "admin",
      body: CredentialBody,
      example: { name: "order_api", value: "sk_live_order_system_token" },
      status: 201,
      handler: async (req, res) => {
        const { tenantId, userId } = requireAuth(res);
        const { name, value } = req.body as Static<typeof CredentialBody>;
        const saved = await db.transaction(
          async (sql) => {
            const result = await putCredential(sql, box, { tenantId, name, value, userId });
            await recordAudit(sql, {
              ...auditActor(res),
              action: result.replaced ? "credential.replace" : "credential.create",
              targetType: "credential",
              targetId: result.id,
              detail: { name },
            });
            return result;
          },
          { tenantId },
        );
        res.status(201).json({ id: saved.id, name, last4: value.slice(-4), replaced: saved.replaced });
      },
    },
    {
      method: "delete",
      path: "/settings/credentials/:id",
      resource: "tenant_credentials",
      summary: "Delete a stored credential; steps naming it then fail with FD252.",
      auth: "user",
      role: "admin",
      status: 204,
      handler: async (req, res) => {
        const { tenantId } = requireAuth(res);
        const id = String(req.params.id);
        const name = await db.transaction(
          async (sql) => {
            const gone = await deleteCredential(sql, id);
            if (gone !== undefined)
              await recordAudit(sql, {
                ...auditActor(res),
                action: "credential.delete",
                targetType: "credential",
                targetId: id,
                detail: { name: gone },
              });
            return gone;
          },
          { tenantId },
        );
        if (name === undefined) throw new ApiError("FD322", "No such credential in this workspace.");
        res.status(204).end();
      },
    },
  ];
}
