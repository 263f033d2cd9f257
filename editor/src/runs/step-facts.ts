// What the run page says about one stored step. The router's facts come from the builder's test-run panel
// (routingFacts), so a draft's test run and a past run explain a decision with the same words.
import type { RunDetail, RunStep } from "../api/runs-types";
import { factText, routingFacts, stepNotes } from "../builder/test-run/test-run-trace";

export interface StepFact {
  readonly name: string;
  readonly value: string;
}

const usd = (value: number) => `$${value.toFixed(4)}`;

/** Milliseconds the step took, or undefined when a time is missing or unreadable. */
export function stepDurationMs(step: RunStep): number | undefined {
  const ms = Date.parse(step.finishedAt) - Date.parse(step.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Port, the router's route, confidence, unsure and tier, tokens and cost, savings, notes (a blank reply left
 * unsent): in that order, when present.
 */
export function stepFacts(step: RunStep): StepFact[] {
  const facts: StepFact[] = [];
  if (step.port && step.port !== "out") facts.push({ name: "port", value: step.port });
  const routing = routingFacts({
    stepId: step.stepId,
    node: step.nodeName,
    type: step.nodeType,
    status: step.status === "waiting" ? "completed" : step.status,
    startedAt: step.startedAt,
    output: step.output,
    ...(step.details ? { details: step.details } : {}),
  });
  for (const [name, value] of Object.entries(routing)) facts.push({ name, value: factText(value) });
  if (step.usage) {
    const { promptTokens, completionTokens } = step.usage;
    facts.push({ name: "tokens", value: `${promptTokens} in / ${completionTokens} out` });
  }
  const cost = step.costUsd ?? step.usage?.costUsd;
  if (step.usage || cost) facts.push({ name: "cost", value: usd(cost ?? 0) });
  if (step.savedUsd) facts.push({ name: "saved", value: usd(step.savedUsd) });
  for (const note of stepNotes(step.details)) facts.push({ name: "note", value: note });
  return facts;
}

/** Attempts of one step: a retried step is stored once, with the attempt that settled it. */
export function attemptsOf(run: RunDetail, step: RunStep): number {
  const retries = run.events.filter((e) => e.type === "step.retrying" && e.data.stepId === step.stepId);
  return Math.max(step.attempt, retries.length + 1);
}

/**
 * What the step started from. The engine does not store a step's input, so: the run's input for the first step,
 * else the output of the step before it (as the builder's test-run panel shows it).
 */
export function stepInput(run: RunDetail, step: RunStep): unknown {
  const index = run.steps.findIndex((s) => s.stepId === step.stepId);
  return index > 0 ? run.steps[index - 1]!.output : run.input;
}

/** The step a canvas node stands for: its last visit, as the trace colours it. */
export function lastStepOfNode(run: RunDetail, node: string): RunStep | undefined {
  return [...run.steps].reverse().find((s) => s.nodeName === node);
}
