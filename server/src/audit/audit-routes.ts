import type { Database } from "@flowdeck/runtime";
import type { RouteDefinition } from "../kit/route-table";
import { requireAuth } from "../auth/auth-context";
import {
  intParam,
  invalid,
  PAGE_DEFAULT_LIMIT,
  PAGE_MAX_LIMIT,
  parseQuery,
  timestampParam,
  type QueryParser,
} from "../domain-api/query-params";
import { actorParam, resolveActor } from "./audit-actor-filter";
import { listAudit } from "./audit-store";

/** `workflow.publish` (exact) or `workflow.` / `workflow.*` (every action on workflows). */
const actionParam: QueryParser<string> = (raw, name) => {
  const match = /^([a-z][a-z_]*)\.([a-z][a-z_]*|\*)?$/.exec(raw);
  if (!match || raw.length > 64)
    throw invalid(name, "must be an action such as workflow.publish, or workflow.* for all");
  return match[2] === "*" || match[2] === undefined ? `${match[1]}.` : raw;
};

/** `workflow` (every workflow) or `workflow:<id>` (one). */
const targetParam: QueryParser<{ type: string; id?: string }> = (raw, name) => {
  const match = /^([a-z][a-z_]*)(?::(.{1,200}))?$/s.exec(raw);
  if (!match || match[1]!.length > 64)
    throw invalid(name, "must be a target type such as workflow, or type:id");
  return { type: match[1]!, ...(match[2] !== undefined ? { id: match[2] } : {}) };
};

const cursorParam: QueryParser<string> = (raw, name) => {
  if (!/^[1-9]\d{0,18}$/.test(raw))
    throw invalid(name, "is not a cursor from this list (use nextCursor of the previous page)");
  return raw;
};

/** GET /audit: the tenant's audit log, newest first. Admins and owners only: it shows who did what. */
export function auditRoutes(db: Database): RouteDefinition[] {
  return [
    {
      method: "get",
      path: "/audit",
      summary:
        "Who changed what, when; newest first (?actor=<member's email, user id or system>, ?action=workflow.publish or workflow.*, ?target=type or type:id, ?since=<ISO time>, ?limit=, ?cursor=).",
      auth: "user",
      role: "admin",
      status: 200,
      handler: async (req, res) => {
        const query = parseQuery(req, {
          actor: actorParam,
          action: actionParam,
          target: targetParam,
          since: timestampParam,
          limit: intParam(1, PAGE_MAX_LIMIT),
          cursor: cursorParam,
        });
        const { tenantId } = requireAuth(res);
        const page = await db.transaction(
          async (sql) =>
            listAudit(sql, {
              // In the same tenant transaction as the list: an email finds only this tenant's members.
              ...(query.actor ? { actor: await resolveActor(sql, query.actor, "actor") } : {}),
              ...(query.action ? { action: query.action } : {}),
              ...(query.target ? { targetType: query.target.type, targetId: query.target.id } : {}),
              ...(query.since ? { since: query.since } : {}),
              ...(query.cursor ? { afterSeq: query.cursor } : {}),
              limit: query.limit ?? PAGE_DEFAULT_LIMIT,
            }),
          { tenantId },
        );
        res.json({ items: page.items, nextCursor: page.more ? (page.lastSeq ?? null) : null });
      },
    },
  ];
}
