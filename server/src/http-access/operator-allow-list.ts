import { parseAllowList } from "@flowdeck/runtime";
import { StartupError } from "../config/startup-error";

/**
 * FLOWDECK_HTTP_ALLOW_LIST: entries every tenant's tools and webhooks may reach (comma separated), for an
 * internal service the whole deployment offers. An entry the allow-list cannot read stops the start (FD398)
 * rather than being ignored at the first call.
 */
export function operatorAllowList(env: NodeJS.ProcessEnv): string[] {
  const entries = (env.FLOWDECK_HTTP_ALLOW_LIST ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    parseAllowList(entries);
  } catch (error) {
    throw new StartupError("FD398", `FLOWDECK_HTTP_ALLOW_LIST: ${(error as Error).message}`);
  }
  return entries;
}
