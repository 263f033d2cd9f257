// A test run's steps, folded from the socket's `step` frames: what the panel lists and the canvas lights up.
import type { TraceStatus } from "../session-store";

export interface Usage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
}

export interface TraceStep {
  readonly stepId: string;
  readonly node: string;
  readonly type: string;
  readonly status: TraceStatus;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly port?: string;
  readonly details?: Record<string, unknown>;
  readonly usage?: Usage;
  readonly savedUsd?: number;
  /** Priced by the server (GET /runs/:id), when it has read the step back. */
  readonly costUsd?: number;
  readonly output?: unknown;
  /** The variables this step set (`vars` of its result), from its step.completed event. */
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

export interface Totals {
  readonly tokens: number;
  readonly costUsd: number;
  readonly savedUsd: number;
}

const numberOf = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

function usageOf(value: unknown): Usage | undefined {
  if (!value || typeof value !== "object") return undefined;
  const u = value as Record<string, unknown>;
  return {
    promptTokens: numberOf(u.promptTokens) ?? 0,
    completionTokens: numberOf(u.completionTokens) ?? 0,
    costUsd: numberOf(u.costUsd) ?? numberOf(u.cost_usd) ?? 0,
  };
}

/** The steps after one `step` frame (events without a stepId, such as run.started, change nothing). */
export function foldStepEvent(
  steps: readonly TraceStep[],
  event: string,
  data: Record<string, unknown>,
  at: string,
): readonly TraceStep[] {
  const stepId = typeof data.stepId === "string" ? data.stepId : undefined;
  if (!stepId) return steps;
  const index = steps.findIndex((s) => s.stepId === stepId);
  const previous = index >= 0 ? steps[index] : undefined;
  const base: TraceStep = previous ?? {
    stepId,
    node: String(data.node ?? ""),
    type: String(data.type ?? ""),
    status: "running",
    startedAt: at,
  };
  let next: TraceStep = base;
  if (event === "step.completed" && data.waiting !== true) {
    const details =
      data.details && typeof data.details === "object"
        ? (data.details as Record<string, unknown>)
        : undefined;
    next = {
      ...base,
      type: base.type || String(data.type ?? ""),
      status: "completed",
      finishedAt: at,
      ...(typeof data.port === "string" ? { port: data.port } : {}),
      ...(details ? { details } : {}),
      ...(usageOf(data.usage) ? { usage: usageOf(data.usage) } : {}),
      ...(data.vars && typeof data.vars === "object" ? { vars: data.vars as Record<string, unknown> } : {}),
      // Savings of the local router, when the server reports them (saved_usd on the step).
      ...(numberOf(data.savedUsd ?? data.saved_usd) !== undefined
        ? { savedUsd: numberOf(data.savedUsd ?? data.saved_usd) }
        : {}),
    };
  } else if (event === "step.failed") {
    const error = (data.error ?? {}) as { code?: unknown; message?: unknown };
    next = {
      ...base,
      status: "failed",
      finishedAt: at,
      error: `${String(error.code ?? "")} ${String(error.message ?? "")}`.trim(),
    };
  }
  if (previous === next) return steps;
  return index >= 0 ? steps.map((s, i) => (i === index ? next : s)) : [...steps, next];
}

/** The run's variables once `steps[index]` has run: what every step up to it set, later ones winning. */
export function varsAfter(steps: readonly TraceStep[], index: number): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const step of steps.slice(0, index + 1)) Object.assign(vars, step.vars);
  return vars;
}

/** What a step started from: the output of the step before it (the first step starts from the message). */
export function inputOf(steps: readonly TraceStep[], index: number): unknown {
  return index > 0 ? steps[index - 1]!.output : undefined;
}

/** The canvas's view of the steps: the last status of each node. */
export function traceOf(steps: readonly TraceStep[]): Record<string, TraceStatus> {
  const trace: Record<string, TraceStatus> = {};
  for (const step of steps) if (step.node) trace[step.node] = step.status;
  return trace;
}

export function totalsOf(steps: readonly TraceStep[]): Totals {
  let tokens = 0;
  let costUsd = 0;
  let savedUsd = 0;
  for (const step of steps) {
    tokens += (step.usage?.promptTokens ?? 0) + (step.usage?.completionTokens ?? 0);
    costUsd += step.costUsd ?? step.usage?.costUsd ?? 0;
    savedUsd += step.savedUsd ?? 0;
  }
  return { tokens, costUsd, savedUsd };
}

/** Milliseconds between start and finish, or undefined while running. */
export function durationMs(step: TraceStep): number | undefined {
  return step.finishedAt ? Date.parse(step.finishedAt) - Date.parse(step.startedAt) : undefined;
}

/** The steps with what the server stored for them: output, priced cost and the local router's savings. */
export function mergeStoredSteps(
  steps: readonly TraceStep[],
  stored: ReadonlyArray<{ stepId: string; output?: unknown; costUsd?: number; savedUsd?: number }>,
): readonly TraceStep[] {
  const byId = new Map(stored.map((s) => [s.stepId, s]));
  return steps.map((step) => {
    const found = byId.get(step.stepId);
    if (!found) return step;
    return {
      ...step,
      output: found.output,
      ...(typeof found.costUsd === "number" ? { costUsd: found.costUsd } : {}),
      ...(typeof found.savedUsd === "number" ? { savedUsd: found.savedUsd } : {}),
    };
  });
}

/** route, confidence, tier and model: from the router's output, else its details. */
export function routingFacts(step: TraceStep): Record<string, unknown> {
  const output =
    step.output && typeof step.output === "object" ? (step.output as Record<string, unknown>) : {};
  const facts: Record<string, unknown> = {};
  // `unsure`: the router's own word for "nobody was confident", the first thing a support lead asks about.
  for (const key of ["route", "confidence", "unsure", "tier", "model"]) {
    const value = output[key] ?? step.details?.[key];
    if (value !== undefined && value !== null && typeof value !== "object") facts[key] = value;
  }
  return facts;
}

/**
 * What a step's notes say (`details.notes`: something worth knowing that did not fail it, such as a reply
 * whose text was blank and so was not sent), in order.
 */
export function stepNotes(details: Readonly<Record<string, unknown>> | undefined): string[] {
  const notes = details?.notes;
  if (!Array.isArray(notes)) return [];
  return notes.flatMap((note: unknown) => {
    const message = note && typeof note === "object" ? (note as { message?: unknown }).message : undefined;
    return typeof message === "string" && message ? [message] : [];
  });
}

/** A fact as shown beside a step: a number to two decimals, a flag as yes or no. */
export function factText(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}
