import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import type { ServerConfig } from "../config/server-config";
import { findCredentials, userMemberships, type Membership } from "./account-store";
import { loginThrottleKey, type LoginThrottle } from "./login-throttle";
import { burnPasswordCheck, verifyPassword } from "./password";

export interface LoginSuccess {
  readonly userId: string;
  readonly email: string;
  /** The tenant this login enters: the user's oldest membership. */
  readonly membership: Membership;
  readonly memberships: readonly Membership[];
}

/**
 * The check behind passport-local: throttle first (a throttled caller learns nothing, not even whether the
 * password was right), then a constant-cost password comparison. Undefined means "wrong email or password".
 */
export async function checkPasswordLogin(
  deps: { db: Database; config: ServerConfig; throttle: LoginThrottle },
  attempt: { email: string; password: string; ip: string },
): Promise<LoginSuccess | undefined> {
  const email = attempt.email.trim().toLowerCase();
  const key = loginThrottleKey(email, attempt.ip);
  const waitSeconds = deps.throttle.retryAfterSeconds(key);
  if (waitSeconds > 0) {
    throw new ApiError("FD314", "Too many failed logins for this email from this address.", {
      headers: { "Retry-After": String(waitSeconds) },
    });
  }
  const credentials = await findCredentials(deps.db, email);
  let valid = false;
  if (credentials) valid = await verifyPassword(attempt.password, credentials.passwordHash);
  else await burnPasswordCheck(attempt.password, deps.config.bcryptCost);
  const memberships = valid && credentials ? await userMemberships(deps.db, credentials.userId) : [];
  const membership = memberships[0];
  if (!credentials || !valid || !membership) {
    deps.throttle.recordFailure(key);
    return undefined;
  }
  deps.throttle.recordSuccess(key);
  return { userId: credentials.userId, email, membership, memberships };
}
