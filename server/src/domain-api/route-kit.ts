import type { Database, Sql } from "@flowdeck/runtime";
import type { Response } from "express";
import { ApiError } from "../kit/api-error";
import { requireAuth } from "../auth/auth-context";
import { auditActor, recordAudit } from "../audit/audit-store";

/** The request's work as one transaction in the caller's tenant (RLS scopes every row). */
export function inTenant<T>(db: Database, res: Response, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return db.transaction(fn, { tenantId: requireAuth(res).tenantId });
}

/** A row as the API answers it: camelCase keys, timestamps as ISO 8601 strings. */
export function toApi(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const name = key.replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
    out[name] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** `%text%` for ILIKE with the user's own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Another tenant's row, a deleted one and a malformed id all answer the same 404 FD322. */
export function notFound(what: string): ApiError {
  return new ApiError("FD322", `No such ${what} in this tenant.`);
}

/**
 * Runs `work`, turning a unique violation (SQLSTATE 23505, from either driver) into 409 FD342 with `message`.
 * The transaction has already rolled back by the time the error arrives here.
 */
export async function uniqueAs<T>(message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "23505") throw new ApiError("FD342", message);
    throw error;
  }
}

/** Trimmed text for optional columns; blank becomes null. */
export function optional(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** recordAudit for a request's change; the target type is the action's prefix (`order.cancel` → order). */
export function audit(
  sql: Sql,
  res: Response,
  action: string,
  targetId: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  const targetType = action.slice(0, action.indexOf("."));
  return recordAudit(sql, {
    ...auditActor(res),
    action,
    targetType,
    targetId,
    ...(detail ? { detail } : {}),
  });
}
