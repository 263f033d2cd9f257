// Shapes of the runs API (server/src/runs/run-routes.ts, run-queries.ts), kept by hand: the editor must not
// import server or runtime code; the browser tests catch drift.
import type { Workflow } from "@flowdeck/schemas";

export type RunStatus = "queued" | "running" | "waiting" | "handoff" | "completed" | "failed" | "cancelled";

export const RUN_STATUSES: readonly RunStatus[] = [
  "queued",
  "running",
  "waiting",
  "handoff",
  "completed",
  "failed",
  "cancelled",
];

/** Statuses after which nothing more happens to a run (a waiting run resumes with the next message). */
export const ENDED_STATUSES: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

/** One row of GET /runs. */
export interface RunSummary {
  readonly id: string;
  readonly workflowName: string;
  readonly workflowVersion: number | null;
  readonly status: RunStatus;
  readonly conversationId: string;
  /** `web:<id>`, `webhook:<id>`, `api`, `cli`, `test` (an editor test run) or `replay:<run id>`. */
  readonly channel: string;
  /** The name of the web or webhook channel `channel` names; null for every other value (absent from older servers). */
  readonly channelName?: string | null;
  readonly mode: "live" | "replay";
  readonly costUsd: number;
  readonly savedUsd: number;
  /**
   * The message that started the run (else its input as JSON text) on one line, at most 120 characters, ending in
   * "…" when cut; null when the run kept no input. Only on GET /runs rows (absent from older servers).
   */
  readonly preview?: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RunFilter {
  readonly status?: string;
  readonly workflow?: string;
  readonly version?: number;
  readonly channel?: string;
  /** Editor test runs (channel `test`) left out or alone; both when absent. */
  readonly testRuns?: "exclude" | "only";
  /** ISO time: runs created at or after it. */
  readonly since?: string;
}

/** Where the next page starts: the last row's (createdAt, id). */
export interface RunCursor {
  readonly before: string;
  readonly beforeId: string;
}

export interface RunPage {
  readonly items: readonly RunSummary[];
  readonly next: RunCursor | undefined;
}

export interface RunStep {
  readonly stepId: string;
  readonly nodeName: string;
  readonly nodeType: string;
  readonly attempt: number;
  readonly status: "completed" | "failed" | "waiting";
  readonly port?: string;
  readonly output: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  readonly details?: Record<string, unknown>;
  readonly usage?: {
    readonly promptTokens: number;
    readonly completionTokens: number;
    readonly costUsd: number;
  };
  /** Priced by the server (run-costs.ts): the model calls' cost and what local routing saved. */
  readonly costUsd?: number;
  readonly savedUsd?: number;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export interface RunEventRecord {
  readonly seq: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly at: string;
}

/** GET /runs/:id. */
export interface RunDetail extends Omit<RunSummary, "status"> {
  readonly status: RunStatus;
  readonly workflow: string;
  readonly definition: Workflow;
  readonly input: Record<string, unknown>;
  readonly output: unknown;
  readonly waitingStep: string | null;
  readonly steps: readonly RunStep[];
  readonly events: readonly RunEventRecord[];
}

/** One side of POST /runs/:id/replay's comparison (server/src/runs/run-replay.ts). */
export interface RunOutline {
  readonly runId: string;
  readonly status: RunStatus;
  readonly workflowVersion: number | null;
  readonly route: readonly string[];
  readonly replies: readonly string[];
  readonly costUsd: number;
}

/** POST /runs/:id/replay: the new run (mode replay) and how it compares with the original. */
export interface ReplayResult {
  readonly run: Omit<RunSummary, "costUsd" | "savedUsd" | "channelName">;
  readonly comparison: {
    readonly original: RunOutline;
    readonly replay: RunOutline;
    readonly sameRoute: boolean;
    readonly sameReplies: boolean;
    readonly routeDivergesAt: number | null;
    readonly settled: boolean;
  };
}
