import type { Workflow } from "@flowdeck/schemas";
import type { ChatTurn, TokenUsage } from "@flowdeck/node-library/runtime";

export type RunStatus = "queued" | "running" | "waiting" | "handoff" | "completed" | "failed" | "cancelled";

/** The run waits for the customer (`waiting`) or for a person (`handoff`). */
export function isWaiting(status: RunStatus): boolean {
  return status === "waiting" || status === "handoff";
}

export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set(["completed", "failed", "cancelled"]);

/** One level of the flow stack: the root workflow, or a subflow entered from a parent's subflow node. */
export interface FlowFrame {
  /** Workflow name. */
  readonly workflow: string;
  /** `main`, `main/call_orders#1` …: prefix of the step ids inside this frame. */
  readonly path: string;
  /** The node about to run (or waiting) in this frame; the activation moves it as the run advances. */
  node: string;
  /** The subflow node in the parent frame that entered this one; absent for the root. */
  readonly caller?: string;
  readonly input: Record<string, unknown>;
  readonly vars: Record<string, unknown>;
  readonly outputs: Record<string, { output: unknown }>;
  /** How often each node of this frame has run, for stable step ids (`node#visit`). */
  readonly visits: Record<string, number>;
}

/**
 * Everything needed to continue a run, stored as one JSON snapshot with every commit. Pure steps after the
 * last commit are recomputed on recovery; their results are deterministic.
 */
export interface RunState {
  readonly frames: readonly FlowFrame[];
  readonly conversation: {
    readonly id: string;
    readonly channel: string;
    readonly history: readonly ChatTurn[];
    /** The customer has seen the conversation's greeting (when the chat opened, or from an earlier run). */
    readonly greeted?: boolean;
    /**
     * Conversation memory (`conversation.<name>`) as the conversation's row held it when the run started; kept
     * as it was, so a replay of the run can start from the same memory.
     */
    readonly memory?: Readonly<Record<string, unknown>>;
    /** What this run's `set` nodes stored under `conversation`, laid over `memory` in the scope. */
    readonly remembered?: Readonly<Record<string, unknown>>;
  };
  /** Set while the run waits: which step will receive the next message or hand-back. */
  readonly waitingStep?: string;
  /**
   * Set while the run waits: how many messages the waiting step has sent in this run (its prompt, each retry
   * prompt). The step sends again after the resume, and a message's `index` counts on from here.
   */
  readonly waitingStepSent?: number;
  /** Set while an `ask` waits: when its `timeout_minutes` run out (ISO 8601); the queue's delayed job fires then. */
  readonly waitingUntil?: string;
  /**
   * The event seq of the last `resume.requested` this run has taken (or skipped). Requests after it are
   * pending; the commit that applies one moves this forward, so a redelivered job never applies it twice.
   */
  readonly resumedThrough?: number;
  readonly usage: TokenUsage;
}

export interface StepRecord {
  readonly stepId: string;
  readonly nodeName: string;
  readonly nodeType: string;
  readonly attempt: number;
  readonly status: "completed" | "failed" | "waiting";
  readonly port?: string;
  readonly output: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  readonly details?: Record<string, unknown>;
  readonly usage?: TokenUsage;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export type RunEventType =
  | "run.created"
  | "run.started"
  | "run.resumed"
  /** A message or hand-back recorded for a waiting run, before any worker takes it (queue mode). */
  | "resume.requested"
  | "step.started"
  | "step.completed"
  | "step.failed"
  | "step.retrying"
  /** An agent's tool call that ran nothing: a tool the agent does not list (FD216) or past its cap (FD217). */
  | "tool.refused"
  /** An edge condition could not be evaluated (e.g. a missing field) and counted as false. */
  | "condition.failed"
  | "message.received"
  | "message.sent"
  | "token"
  | "run.waiting"
  | "run.handoff"
  | "run.completed"
  | "run.failed"
  | "run.cancelled";

export interface RunEvent {
  readonly type: RunEventType;
  readonly data: Record<string, unknown>;
  /** ISO 8601 */
  readonly at: string;
}

export interface RunRecord {
  readonly tenantId: string;
  readonly id: string;
  readonly workflowName: string;
  /** Published version number, or null for a draft or a file run. */
  readonly workflowVersion: number | null;
  /** The workflow as validated data (the root flow; subflows are resolved by name). */
  readonly definition: Workflow;
  readonly status: RunStatus;
  readonly state: RunState;
  /** Bumped by every commit; a commit with a stale version is refused (two workers, one run). */
  readonly stateVersion: number;
  readonly input: Record<string, unknown>;
  readonly output: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly conversationId: string;
  readonly channel: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * Activations that began and never ended (their process died mid-way), when there are any: the engine runs
   * such a run alone in its process, and fails it (FD219) rather than start a third (activation-guard.ts).
   */
  readonly activationsUnfinished?: number;
}
