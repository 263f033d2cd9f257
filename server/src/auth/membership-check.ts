import type { Database } from "@flowdeck/runtime";
import type { AuthContext } from "./auth-context";
import { membershipChangedSince } from "./membership-changes";
import { isRole, roleAtLeast, type Role } from "../kit/roles";

/** Sessions remembered at once; the oldest answer goes first beyond this. */
const MAX_CACHED_SESSIONS = 10_000;

export interface MembershipCheckOptions {
  readonly db: Database;
  /**
   * How long a confirmed membership is trusted without asking the database again. 0 asks on every request.
   * Changes made through this process end the trust at once (membership-changes.ts); other processes' changes
   * are seen within this time.
   */
  readonly ttlMs: number;
}

export interface MembershipCheck {
  /**
   * The token's claim as this request may use it: the user is still a member of the tenant and the session
   * (refresh family) is live; the role is the lower of the token's and the membership's. Undefined means 401.
   */
  confirm(claim: AuthContext): Promise<AuthContext | undefined>;
}

interface Confirmed {
  readonly role: Role;
  readonly checkedAtMs: number;
}

// One statement (one round trip on pg: BEGIN, role, tenant, SELECT, COMMIT in one write). RLS scopes both
// tables to the token's tenant; the explicit tenant_id lets both lookups use their primary-key indexes.
const CHECK_SQL = `SELECT m.role, EXISTS (
    SELECT 1 FROM refresh_tokens r
     WHERE r.tenant_id = m.tenant_id AND r.family_id = $3 AND r.user_id = m.user_id
       AND r.revoked_at IS NULL AND r.expires_at > now()
  ) AS live
  FROM memberships m WHERE m.tenant_id = $1 AND m.user_id = $2`;

/**
 * The check behind every access token: a signature proves only that the token was made with the signing secret,
 * so whoever holds that secret could otherwise claim any user in any tenant (tenant ids are public in widget
 * keys). Answers are cached per session for `ttlMs`; concurrent requests of one session share one query.
 */
export function createMembershipCheck({ db, ttlMs }: MembershipCheckOptions): MembershipCheck {
  const cache = new Map<string, Confirmed>();
  const pending = new Map<string, Promise<Confirmed | undefined>>();

  async function lookUp(claim: AuthContext): Promise<Confirmed | undefined> {
    // Taken before the query: a change noted while it runs makes its answer stale at once.
    const checkedAtMs = Date.now();
    const { rows } = await db.statement<{ role: string; live: boolean }>(
      CHECK_SQL,
      [claim.tenantId, claim.userId, claim.sessionId],
      { tenantId: claim.tenantId },
    );
    const row = rows[0];
    if (!row?.live || !isRole(row.role)) return undefined;
    return { role: row.role, checkedAtMs };
  }

  function cached(key: string, claim: AuthContext): Confirmed | undefined {
    const entry = cache.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.checkedAtMs < ttlMs && !membershipChangedSince(claim, entry.checkedAtMs)) {
      return entry;
    }
    cache.delete(key);
    return undefined;
  }

  async function confirmed(claim: AuthContext): Promise<Confirmed | undefined> {
    const key = `${claim.tenantId}:${claim.userId}:${claim.sessionId}`;
    const hit = cached(key, claim);
    if (hit) return hit;
    let inFlight = pending.get(key);
    if (!inFlight) {
      inFlight = lookUp(claim).finally(() => pending.delete(key));
      pending.set(key, inFlight);
    }
    let answer = await inFlight;
    // A logout or role change committed while the shared query ran: that answer may predate it, so ask again.
    if (answer && membershipChangedSince(claim, answer.checkedAtMs)) answer = await lookUp(claim);
    // Only confirmations are cached: a refusal is cheap to repeat and must never be stuck on a real member.
    if (answer && ttlMs > 0) {
      cache.delete(key);
      cache.set(key, answer);
      if (cache.size > MAX_CACHED_SESSIONS) cache.delete(cache.keys().next().value!);
    }
    return answer;
  }

  return {
    async confirm(claim) {
      const answer = await confirmed(claim);
      if (!answer) return undefined;
      // The token is a ceiling and the membership the truth: a demotion applies at once, a promotion at refresh.
      const role = roleAtLeast(answer.role, claim.role) ? claim.role : answer.role;
      return { ...claim, role };
    },
  };
}
