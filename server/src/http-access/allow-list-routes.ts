import { parseAllowList, type Database } from "@flowdeck/runtime";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import { fieldLabel } from "../kit/field-label";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";
import { noteAllowListChanged, readAllowList, writeAllowList } from "./allow-list-store";

const MAX_ENTRIES = 100;

export const AllowListBody = Type.Object(
  {
    /** IP addresses, CIDR ranges (`10.20.0.0/16`), host names (`orders.internal.example`, `*.corp.example`). */
    // Titled as the settings page shows them: a refusal says "Entry 2", not `/entries/1` (kit/field-label.ts).
    entries: Type.Array(Type.String({ minLength: 1, maxLength: 255, title: "Entry" }), {
      maxItems: MAX_ENTRIES,
      title: "Allowed hosts and ranges",
    }),
  },
  { additionalProperties: false },
);

/**
 * An entry the runtime's allow-list cannot read is refused with its place in the list ("Entry 2", counted from 1
 * as the settings page shows them; `details.field` keeps the pointer `/entries/1`), not dropped: an admin who
 * allowed a typo would wonder why the call still fails.
 */
function checkEntries(entries: readonly string[]): string[] {
  const cleaned = entries.map((entry) => entry.trim());
  cleaned.forEach((entry, index) => {
    try {
      parseAllowList([entry]);
    } catch (error) {
      const field = `/entries/${index}`;
      throw new ApiError(
        "FD300",
        `${fieldLabel(AllowListBody, field)}, ${JSON.stringify(entry.slice(0, 80))}, is neither an IP address, a CIDR range nor a host name.`,
        {
          hint: "Write an IP address (10.0.0.5), a CIDR range (10.20.0.0/16) or a host name (orders.internal.example, *.corp.example).",
          details: {
            field,
            keyword: "allowListEntry",
            params: { cause: (error as { code?: unknown }).code ?? null },
          },
        },
      );
    }
  });
  return [...new Set(cleaned)];
}

/**
 * The tenant's HTTP allow-list: the internal hosts and ranges its `tool.http` steps and webhook replies may
 * reach (issue 19). Admins and owners read and change it; every change is audited with the list before and
 * after. Metadata addresses (169.254.169.254 and its other spellings) stay refused even when listed.
 */
export function allowListRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/settings/http-allow-list",
      summary: "The hosts and address ranges beyond the public internet this workspace's tools may call.",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (_req, res) => {
        const { tenantId } = requireAuth(res);
        res.json(await db.transaction(readAllowList, { tenantId }));
      },
    },
    {
      method: "put",
      path: "/settings/http-allow-list",
      summary: "Replace the workspace's HTTP allow-list (audited). Metadata addresses stay refused.",
      auth: "user",
      role: "admin",
      body: AllowListBody,
      example: { entries: ["orders.internal.example", "10.20.0.0/16"] },
      status: 200,
      handler: async (req, res) => {
        const { tenantId, userId } = requireAuth(res);
        const entries = checkEntries((req.body as Static<typeof AllowListBody>).entries);
        const saved = await db.transaction(
          async (sql) => {
            const before = await readAllowList(sql);
            await writeAllowList(sql, entries, userId);
            await recordAudit(sql, {
              ...auditActor(res),
              action: "settings.http_allow_list",
              targetType: "tenant",
              targetId: tenantId,
              detail: { before: before.entries, after: entries },
            });
            return readAllowList(sql);
          },
          { tenantId },
        );
        noteAllowListChanged(tenantId);
        res.json(saved);
      },
    },
  ];
}
