import { DEFAULT_PRICES } from "../models/price-table";
import type { EngineDeps } from "./engine-deps";
import { replayExecutors } from "./replay-executor";
import { withRoutingSavings } from "./routing-savings";
import { runModeOf } from "./run-mode";
import type { RunRecord } from "./run-types";

/** Live deps per engine: built once, so a live activation allocates nothing here. */
const liveDeps = new WeakMap<EngineDeps, EngineDeps>();

/**
 * The engine's dependencies for one activation of `run`: the router's steps record the money local routing
 * saved (routing-savings.ts), and a replay's effectful steps never reach their executors (replay-executor.ts).
 */
export function depsForRun(deps: EngineDeps, run: Pick<RunRecord, "tenantId" | "channel">): EngineDeps {
  let live = liveDeps.get(deps);
  if (!live) {
    const router = deps.executors.router;
    const prices = { ...DEFAULT_PRICES, ...deps.prices };
    live = router
      ? { ...deps, executors: { ...deps.executors, router: withRoutingSavings(router, prices) } }
      : deps;
    liveDeps.set(deps, live);
  }
  return runModeOf(run.channel) === "live" ? live : { ...live, executors: replayExecutors(live, run) };
}
