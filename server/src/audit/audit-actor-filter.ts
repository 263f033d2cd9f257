import type { Sql } from "@flowdeck/runtime";
import { emailParam, invalid, isUuidText, type QueryParser } from "../domain-api/query-params";
import { ApiError } from "../kit/api-error";

/**
 * `GET /audit?actor=`: who acted. A support lead knows a colleague's email, not their user id, so the filter
 * takes either, or `system` for the changes nobody made in person (the operator's plan changes, fallbacks).
 */
export type ActorFilter =
  | { readonly kind: "id"; readonly id: string }
  | { readonly kind: "email"; readonly email: string }
  | { readonly kind: "system" };

/** What listAudit filters on: one actor id, or the rows without one. */
export type ResolvedActor = { readonly actorId: string } | { readonly system: true };

export const actorParam: QueryParser<ActorFilter> = (raw, name) => {
  const value = raw.trim();
  if (value.toLowerCase() === "system") return { kind: "system" };
  if (isUuidText(value)) return { kind: "id", id: value.toLowerCase() };
  if (value.includes("@")) return { kind: "email", email: emailParam(value, name) };
  throw invalid(name, "must be a member's email address, a user id, or system");
};

/**
 * An email becomes the member's user id, looked up among the members of the transaction's own tenant only
 * (flowdeck_tenant_members, migration 1020): another workspace's people are as unknown as nobody. An unknown
 * email is refused rather than answered with an empty list, which would read as "this person did nothing".
 * An id is taken as given: it also names API keys and people who have left, whose rows stay in the log.
 */
export async function resolveActor(sql: Sql, filter: ActorFilter, name: string): Promise<ResolvedActor> {
  if (filter.kind === "system") return { system: true };
  if (filter.kind === "id") return { actorId: filter.id };
  const { rows } = await sql.query<{ user_id: string }>(
    "SELECT user_id::text AS user_id FROM flowdeck_tenant_members() WHERE email = $1",
    [filter.email],
  );
  const member = rows[0];
  if (!member) {
    throw new ApiError("FD341", `No member has the email "${filter.email}" (query parameter "${name}").`, {
      hint: "Choose one of this workspace's members, or give the user id of someone who has left.",
    });
  }
  return { actorId: member.user_id };
}
