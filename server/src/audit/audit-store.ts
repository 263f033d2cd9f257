import type { Sql } from "@flowdeck/runtime";
import type { Response } from "express";
import { getRequestId } from "../kit/request-id";
import { requireAuth } from "../auth/auth-context";
import type { ResolvedActor } from "./audit-actor-filter";
import { redactUrlsIn } from "./url-redaction";

/** One change: who (actor), what (action on a target), a little detail; the time is the transaction's. */
export interface AuditEntry {
  /** The acting user, or API key (actorType `api_key`); null for the system. */
  readonly actorId: string | null;
  /** Default `user`; `system` when nobody acted (the operator, a job). */
  readonly actorType?: "user" | "api_key" | "system";
  /** `<target type>.<verb>`, e.g. `workflow.publish`. */
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  /**
   * Small (≤ 4000 characters as JSON) and free of personal data: field names, statuses, version numbers. URLs
   * in it are stored without query values, userinfo, fragment or secret path segments (url-redaction.ts).
   */
  readonly detail?: Record<string, unknown>;
  readonly requestId?: string;
}

export interface AuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly actorType: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly detail: Record<string, unknown>;
  readonly requestId: string | null;
}

/**
 * Writes one audit row inside the caller's transaction, so the change and its record commit together. The
 * tenant is the transaction's own (`app.tenant_id`), so a caller cannot file a row under another tenant.
 */
export async function recordAudit(sql: Sql, entry: AuditEntry): Promise<void> {
  await sql.query(
    `INSERT INTO audit_log (tenant_id, actor_id, action, target_type, target_id, detail, request_id, actor_type)
     VALUES (nullif(current_setting('app.tenant_id', true), '')::uuid, $1, $2, $3, $4, $5::jsonb, $6, $7)`,
    [
      entry.actorId,
      entry.action,
      entry.targetType,
      entry.targetId,
      JSON.stringify(redactUrlsIn(entry.detail ?? {})),
      entry.requestId || null,
      entry.actorType ?? (entry.actorId === null ? "system" : "user"),
    ],
  );
}

/** The actor (a person or an API key) and request id of an authenticated request, to spread into an AuditEntry. */
export function auditActor(res: Response): {
  readonly actorId: string;
  readonly actorType: "user" | "api_key";
  readonly requestId: string;
} {
  const auth = requireAuth(res);
  return { actorId: auth.userId, actorType: auth.apiKey ? "api_key" : "user", requestId: getRequestId(res) };
}

export interface AuditQuery {
  /** One actor (a person or an API key), or the rows nobody acted for in person (`system`). */
  readonly actor?: ResolvedActor;
  /** Exact action, or a prefix ending in `.` (`workflow.` = every workflow action). */
  readonly action?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  /** ISO timestamp: rows at or after it. */
  readonly since?: string;
  readonly limit: number;
  /** The `seq` of the last row of the previous page. */
  readonly afterSeq?: string;
}

interface AuditRow {
  id: string;
  seq: string | number;
  at: Date | string;
  actor_id: string | null;
  actor_type: string;
  action: string;
  target_type: string;
  target_id: string;
  detail: Record<string, unknown>;
  request_id: string | null;
}

/** Newest first (insertion order), one page plus whether more follow. */
export async function listAudit(
  sql: Sql,
  query: AuditQuery,
): Promise<{ items: AuditRecord[]; lastSeq: string | undefined; more: boolean }> {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.actor && "system" in query.actor) clauses.push("actor_id IS NULL");
  else if (query.actor) clauses.push(`actor_id = ${param(query.actor.actorId)}::uuid`);
  if (query.action?.endsWith(".")) clauses.push(`starts_with(action, ${param(query.action)})`);
  else if (query.action) clauses.push(`action = ${param(query.action)}`);
  if (query.targetType) clauses.push(`target_type = ${param(query.targetType)}`);
  if (query.targetId) clauses.push(`target_id = ${param(query.targetId)}`);
  if (query.since) clauses.push(`at >= ${param(query.since)}::timestamptz`);
  if (query.afterSeq) clauses.push(`seq < ${param(query.afterSeq)}::bigint`);
  const { rows } = await sql.query<AuditRow>(
    `SELECT id::text AS id, seq, at, actor_id::text AS actor_id, actor_type, action, target_type, target_id, detail, request_id
       FROM audit_log ${clauses.length > 0 ? `WHERE ${clauses.join(" AND ")}` : ""}
      ORDER BY seq DESC LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      at: (row.at instanceof Date ? row.at : new Date(row.at)).toISOString(),
      actorId: row.actor_id,
      actorType: row.actor_type,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      // Rows written before URLs were redacted on the way in are redacted on the way out.
      detail: redactUrlsIn(row.detail),
      requestId: row.request_id,
    })),
    lastSeq: page.length > 0 ? String(page[page.length - 1]!.seq) : undefined,
    more: rows.length > query.limit,
  };
}
