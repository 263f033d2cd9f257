import type { EngineDeps } from "./engine-deps";
import type { StartRunRequest } from "./start-run-request";
import { runModeOf } from "./run-mode";
import type { RunRecord } from "./run-types";

/**
 * Conversation memory around a run (`conversation.<name>`, runtime migration 0010). Loaded once when a run of a
 * known conversation is created, into its snapshot (`state.conversation.memory`), so every activation, on any
 * process, sees the same values without reading again; what a `set` node stores under `conversation` goes into
 * the snapshot with the step's commit and, once the activation's last commit is durable and before its events
 * are published, is merged into the conversation's row: the run a customer starts by answering that reply
 * reads it. Replays neither read nor write live memory.
 */
export async function memoryForNewRun(
  deps: EngineDeps,
  request: StartRunRequest,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  if (request.memory) return request.memory;
  if (!deps.conversationMemory || request.conversationId === undefined) return undefined;
  if (runModeOf(request.channel ?? "api") !== "live") return undefined;
  return deps.conversationMemory.load(request.tenantId, request.conversationId);
}

/** After the activation's end is committed: the keys it set, merged into the conversation's stored memory. */
export async function saveMemoryWrites(
  deps: EngineDeps,
  run: Pick<RunRecord, "tenantId" | "id" | "conversationId" | "channel">,
  writes: Readonly<Record<string, unknown>>,
): Promise<void> {
  if (!deps.conversationMemory || Object.keys(writes).length === 0) return;
  if (runModeOf(run.channel) !== "live") return;
  try {
    await deps.conversationMemory.save(run.tenantId, run.conversationId, writes, run.id);
  } catch (error) {
    // The run's snapshot keeps the values; only later runs of the conversation miss them.
    deps.log.warn("conversation memory not saved", {
      runId: run.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
