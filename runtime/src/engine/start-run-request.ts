import type { Workflow } from "@flowdeck/schemas";
import type { ChatTurn } from "@flowdeck/node-library/runtime";
import type { RunClaim } from "../store/run-store";

/** What starts a run: `Engine.createRun` / `Engine.startRun`. */
export interface StartRunRequest {
  readonly tenantId: string;
  readonly workflow: Workflow;
  readonly workflowVersion?: number | null;
  readonly input: Record<string, unknown>;
  readonly conversationId?: string;
  readonly channel?: string;
  readonly runId?: string;
  readonly signal?: AbortSignal;
  /** Claimed in the run's own transaction: a duplicate stores nothing (see RunClaim). */
  readonly claim?: RunClaim;
  /** createRun only: the customer message's id the run is started for (`NewRun.messageClaim`). */
  readonly messageClaim?: RunClaim;
  /**
   * startRun only: store the run with its first commit instead of before it executes (one statement instead of
   * a create and a commit). That commit comes before the first step of a node type that is not `pure`, so
   * nothing outside the engine has happened while the run exists only here: a crash before it leaves nothing
   * behind, and the caller's retry (same claim key) starts afresh. Only for a caller that awaits startRun and
   * retries on failure (a synchronous webhook call); a taken claim rejects startRun after the pure steps ran.
   */
  readonly deferStore?: boolean;
  /**
   * The conversation's greeting was already shown (when the chat opened, or by an earlier run): the start step
   * does not greet again. `opening` holds what the customer saw before this run (the greeting sent when the chat
   * opened), so the transcript, and an agent's, starts with it.
   */
  readonly greeted?: boolean;
  readonly opening?: readonly ChatTurn[];
  /** The conversation's memory; read from `deps.conversationMemory` when absent and the conversation is known. */
  readonly memory?: Readonly<Record<string, unknown>>;
}
