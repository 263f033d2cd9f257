import { randomUUID } from "node:crypto";
import type { RunCommit, StartedRun } from "../../runtime/src/store/run-store";
import { createHarness } from "../../runtime/test/support/harness";
import { ECHO_ROUTER_FLOW } from "./echo-router-flow";

/** A deferred run and the first commit that stored it, as `RunStore.insertRun` received them. */
export interface CapturedRun {
  readonly run: StartedRun;
  readonly commit: RunCommit;
}

/**
 * One echo-router webhook run through the real engine, deferred as the webhook channel starts it, for the
 * storage-shape benches to replay with fresh ids (`journal-placement-bench.ts`, `run-insert-parts-bench.ts`).
 */
export async function captureWebhookRun(): Promise<CapturedRun> {
  const h = await createHarness({ kind: "pg", workflows: [ECHO_ROUTER_FLOW] });
  try {
    let captured: CapturedRun | undefined;
    const insertRun = h.store.insertRun.bind(h.store);
    h.store.insertRun = async (run, commit) => {
      captured ??= { run, commit };
      return insertRun(run, commit);
    };
    const run = await h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("echo_router"),
      input: { message: "where is my order AO-10492" },
      channel: "webhook",
      claim: { key: `msg-${randomUUID()}`, duplicate: () => new Error("duplicate") },
      deferStore: true,
    });
    if (run.status !== "completed" || !captured) throw new Error(`echo-router run ended ${run.status}`);
    return captured;
  } finally {
    await h.close();
  }
}

/** The captured run again as a new one: `id`, stored for `tenantId` now, with a claim key of its own. */
export function freshRun(captured: CapturedRun, tenantId: string, id: string): StartedRun {
  return {
    ...captured.run,
    tenantId,
    id,
    createdAt: new Date().toISOString(),
    claim: { key: `msg-${id}`, duplicate: () => new Error("duplicate") },
  };
}
