import { createHash, timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import { ApiError } from "../kit/api-error";

// Headers a reverse proxy adds. Behind a proxy on the same host every caller arrives from loopback, so a
// request carrying one of these is treated as remote, whatever its socket says.
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"];
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * Who may read /metrics. The metrics carry no tenant ids or names, but request rates, route patterns, error
 * counts and process details are still nobody else's business:
 * - with a token (`FLOWDECK_METRICS_TOKEN`), only `Authorization: Bearer <token>`, from anywhere;
 * - without one, only a direct caller on loopback (a Prometheus or agent on the same host), and never a
 *   request that came through a proxy.
 * Throws 401 FD310 otherwise. The socket address is used, not req.ip, which `trust proxy` lets clients set.
 */
export function assertMetricsAccess(req: Request, token: string | undefined): void {
  if (token) {
    const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (presented !== undefined && sameSecret(presented, token)) return;
    throw new ApiError("FD310", "GET /metrics needs the metrics token.", {
      hint: "Send Authorization: Bearer <FLOWDECK_METRICS_TOKEN>.",
    });
  }
  const local = LOOPBACK.test(req.socket.remoteAddress ?? "");
  const proxied = PROXY_HEADERS.some((name) => req.headers[name] !== undefined);
  if (local && !proxied) return;
  throw new ApiError("FD310", "GET /metrics answers only local callers when no metrics token is set.", {
    hint: "Set FLOWDECK_METRICS_TOKEN on the server and send it as Authorization: Bearer <token>.",
  });
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
