import passport from "passport";
import type { Request } from "express";
import type { Database } from "@flowdeck/runtime";
import { ApiError } from "../kit/api-error";
import { getRequestId } from "../kit/request-id";
import { checkApiKey } from "./api-key-auth";

export const API_KEY_STRATEGY = "flowdeck-api-key";

/** `Authorization: Bearer fdk.<tenant>.<id>.<secret>`: the key's whole syntax, nothing else is looked up. */
const BEARER_KEY = /^Bearer (fdk\.[0-9a-f-]{36}\.[0-9a-f-]{36}\.[A-Za-z0-9_-]+)$/;

/** Whether a request presents an API key rather than an access token (passport-setup picks the strategy). */
export function presentsApiKey(req: Request): boolean {
  return (req.get("authorization") ?? "").startsWith("Bearer fdk.");
}

/**
 * The API-key passport strategy (issue 19 item 3), beside the access-token one. A revoked or expired key is
 * refused with 401 FD319 saying which and since when (whoever holds the whole key may know that); anything else
 * that is not a live key is 401 FD310, as for a bad access token.
 */
export class ApiKeyStrategy extends passport.Strategy {
  override name = API_KEY_STRATEGY;
  // A plain property, not #private: passport calls authenticate on Object.create(strategy).
  readonly db: Database;

  constructor(db: Database) {
    super();
    this.db = db;
  }

  override authenticate(req: Request): void {
    const key = BEARER_KEY.exec(req.get("authorization") ?? "")?.[1];
    if (!key) {
      this.fail("malformed API key", 401);
      return;
    }
    const res = req.res;
    const use = {
      method: req.method,
      route: (req.route as { path?: string } | undefined)?.path ?? req.path,
      ...(res ? { requestId: getRequestId(res) } : {}),
    };
    checkApiKey(this.db, key, use).then(
      (checked) => {
        if (checked.kind === "ok") this.success(checked.auth);
        else if (checked.kind === "invalid") this.fail("invalid API key", 401);
        else
          this.error(
            new ApiError(
              "FD319",
              checked.kind === "revoked"
                ? `This API key was revoked at ${checked.at}.`
                : `This API key expired at ${checked.at}.`,
            ),
          );
      },
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }
}
