import { StartupError } from "../config/startup-error";
import { operatorAllowList } from "../http-access/operator-allow-list";
import type { ChatOptions } from "./chat-options";

/** The chat options an operator sets in the environment, by variable; the rest keep their defaults. */
const CHAT_ENV = {
  FLOWDECK_CHAT_MAX_OPEN_SOCKETS_PER_ADDRESS: "maxOpenSocketsPerAddress",
  FLOWDECK_CHAT_MAX_OPEN_SOCKETS_PER_CHANNEL: "maxOpenSocketsPerChannel",
  FLOWDECK_CHAT_MAX_NEW_SOCKETS_PER_ADDRESS: "maxNewSocketsPerAddress",
  FLOWDECK_CHAT_NEW_SOCKET_WINDOW_MS: "newSocketWindowMs",
} as const satisfies Record<string, keyof ChatOptions>;

/**
 * The chat options an operator sets in the environment:
 * - the socket caps from FLOWDECK_CHAT_* (whole numbers ≥ 1; the window at least 1000 ms, the limiter counts
 *   whole seconds), e.g. for a deployment whose customers share one large NAT. A value that is not one refuses
 *   the start (FD398) rather than running with a cap nobody chose;
 * - FLOWDECK_HTTP_ALLOW_LIST, the operator's list for every tenant's tools, also for outbound webhook
 *   deliveries: a deployment names its own network once, for everything it sends there.
 */
export function chatOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<ChatOptions> {
  const caps: Partial<Record<(typeof CHAT_ENV)[keyof typeof CHAT_ENV], number>> = {};
  for (const [name, option] of Object.entries(CHAT_ENV)) {
    const raw = env[name]?.trim();
    if (!raw) continue;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    const least = option === "newSocketWindowMs" ? 1000 : 1;
    if (!Number.isSafeInteger(value) || value < least) {
      throw new StartupError("FD398", `${name} must be a whole number of at least ${least}, not "${raw}".`);
    }
    caps[option] = value;
  }
  const allowList = operatorAllowList(env);
  return { ...caps, ...(allowList.length > 0 ? { outboundAllowList: allowList } : {}) };
}
