import type { WorkflowNode } from "@flowdeck/schemas";
import type { ChatTurn, ExecutionResult } from "@flowdeck/node-library/runtime";
import type { RunEvent, RunState, StepRecord } from "./run-types";
import { stepEventData, type StepEnd } from "./step-events";

let stampedMs = Number.NaN;
let stamp = "";

/**
 * The time as ISO 8601 text, made once per millisecond: a step stamps its start, its events and its record
 * within the same millisecond, and `toISOString` was the largest single cost of a pure step.
 */
export function now(): string {
  const ms = Date.now();
  if (ms !== stampedMs) {
    stampedMs = ms;
    stamp = new Date(ms).toISOString();
  }
  return stamp;
}

/**
 * What an activation has done since its last commit (its events, finished steps' records among them) and the
 * parts of the run's state that every step adds to (the conversation, token usage). `take` hands the pending
 * events to a commit.
 */
export class RunJournal {
  private events: RunEvent[] = [];
  /** `message.sent` events among `events`: every step asks, and scanning the events made a loop quadratic. */
  private heldMessages = 0;
  /** Conversation memory set during this activation; saved for later runs once the activation has ended. */
  readonly memoryWrites: Record<string, unknown> = {};
  /** How many messages each step has sent in the run: `message.sent`'s `index`, which reply ids are made of. */
  private readonly sentByStep = new Map<string, number>();

  constructor(
    public conversation: RunState["conversation"],
    public usage: RunState["usage"],
    /** The step the run waited at, and what it had sent: an ask asking again continues its count. */
    waiting?: { readonly stepId: string; readonly sent: number },
  ) {
    if (waiting) this.sentByStep.set(waiting.stepId, waiting.sent);
  }

  /** The journal of an activation that continues from `state`, where the last one left the run. */
  static continuing(state: RunState): RunJournal {
    const waiting = state.waitingStep;
    // A run stored waiting before the count was kept: its step had sent its prompt.
    const sent = state.waitingStepSent ?? 1;
    return new RunJournal(state.conversation, state.usage, waiting ? { stepId: waiting, sent } : undefined);
  }

  event(type: RunEvent["type"], data: Record<string, unknown>): void {
    this.events.push({ type, data, at: now() });
    if (type === "message.sent") this.heldMessages += 1;
  }

  /** A step that produced a result (completed, or waiting for an answer). */
  record(
    node: WorkflowNode,
    stepId: string,
    attempts: number,
    result: ExecutionResult,
    status: StepRecord["status"],
    startedAt: string,
  ): void {
    const record: StepEnd = {
      stepId,
      nodeName: node.name,
      nodeType: node.type,
      attempt: attempts,
      status,
      port: result.port || undefined,
      output: result.output,
      details: result.details ? { ...result.details } : undefined,
      // Metrics count tokens and cost from events, without reading the trace back.
      usage: result.usage,
      startedAt,
    };
    const extra: { waiting: boolean; vars?: Readonly<Record<string, unknown>> } = {
      waiting: status === "waiting",
    };
    // What the step set (a set node, an ask's answer): the test-run panel shows the variables after each step.
    if (result.vars) extra.vars = result.vars;
    this.event(status === "waiting" ? "step.started" : "step.completed", stepEventData(record, extra));
    if (result.usage) {
      this.usage = {
        promptTokens: this.usage.promptTokens + result.usage.promptTokens,
        completionTokens: this.usage.completionTokens + result.usage.completionTokens,
        costUsd: this.usage.costUsd + result.usage.costUsd,
      };
    }
  }

  failed(
    node: WorkflowNode,
    stepId: string,
    attempts: number,
    error: { code: string; message: string },
    startedAt: string,
  ): void {
    const record: StepEnd = {
      stepId,
      nodeName: node.name,
      nodeType: node.type,
      attempt: attempts,
      status: "failed",
      output: null,
      error,
      startedAt,
    };
    this.event("step.failed", stepEventData(record, { attempts }));
  }

  /** A subflow node finishes when its child flow ends; it has no executor of its own. */
  subflowReturned(node: WorkflowNode, stepId: string, output: unknown): void {
    const record: StepEnd = {
      stepId,
      nodeName: node.name,
      nodeType: "subflow",
      attempt: 1,
      status: "completed",
      port: "out",
      output,
      startedAt: now(),
    };
    this.event("step.completed", stepEventData(record));
  }

  /**
   * The customer's message. `input` stays what the run started with; the latest message is
   * `conversation.last_message` (NODE-SPEC), and an ask node's answer is its output and its variable.
   */
  receive(text: string): void {
    const turn: ChatTurn = { role: "customer", text, at: now() };
    this.conversation = { ...this.conversation, history: [...this.conversation.history, turn] };
    this.event("message.received", { text });
  }

  /**
   * A step's messages to the customer, the buttons it offers (`choices`) under the last of them. An opening
   * message (a start's greeting) was on screen before the customer's first message.
   */
  sendAll(
    stepId: string,
    texts: readonly string[],
    choices: readonly string[] | undefined,
    opening = false,
  ): void {
    texts.forEach((text, i) =>
      this.send(stepId, text, opening, i === texts.length - 1 ? choices : undefined),
    );
  }

  send(stepId: string, text: string, opening = false, choices?: readonly string[]): void {
    const turn: ChatTurn = { role: "assistant", text, at: now() };
    const history = opening ? [turn, ...this.conversation.history] : [...this.conversation.history, turn];
    this.conversation = { ...this.conversation, history, ...(opening ? { greeted: true } : {}) };
    const index = this.sentByStep.get(stepId) ?? 0;
    this.sentByStep.set(stepId, index + 1);
    const offered = choices !== undefined && choices.length > 0 ? { choices: [...choices] } : {};
    this.event("message.sent", { stepId, text, index, ...offered });
  }

  /** Messages `stepId` has sent in the run so far (kept in the state while the run waits at it). */
  sentBy(stepId: string): number {
    return this.sentByStep.get(stepId) ?? 0;
  }

  /** A `set` node's `conversation` values: into the run's snapshot now, into the conversation's row later. */
  remember(values: Readonly<Record<string, unknown>>): void {
    Object.assign(this.memoryWrites, values);
    this.conversation = { ...this.conversation, remembered: { ...this.conversation.remembered, ...values } };
  }

  /** A message to the customer is waiting for the next commit (events are published only once durable). */
  holdsMessages(): boolean {
    return this.heldMessages > 0;
  }

  lastCustomerMessage(): string {
    return [...this.conversation.history].reverse().find((turn) => turn.role === "customer")?.text ?? "";
  }

  /** The events since the last commit; a finished step's record is the data of its event (step-events.ts). */
  take(): RunEvent[] {
    const taken = this.events;
    this.events = [];
    this.heldMessages = 0;
    return taken;
  }
}
