import type { Workflow, WorkflowNode } from "@flowdeck/schemas";
import type { RunScope, TenantView } from "@flowdeck/node-library/runtime";
import type { ActivationEnd, ActivationInput } from "./activation-types";
import type { EngineDeps } from "./engine-deps";
import { EngineError } from "./engine-errors";
import { isWaiting, type FlowFrame, type RunRecord, type RunState, type RunStatus } from "./run-types";
import { defaultedConfig } from "./node-config";
import { activationScope, resumeWithEntities } from "./activation-scope";
import { evaluateCondition } from "./scope";
import { now, RunJournal } from "./run-journal";
import { runStep } from "./step-runner";
import { stepEvents, type StepEvents } from "./step-request";
import { enterSubflow } from "./subflow-frame";
import { LazyAgentTools, type ToolStepHost } from "./tool-step";
import { edgePort, indexWorkflow, type WorkflowIndex } from "./workflow-index";
import { activationRecord } from "./activation-record";
import { withoutBlankMessages } from "./blank-messages";
import { saveMemoryWrites } from "./conversation-memory";
import type { ResumeRequest } from "../store/run-requests";
import type { RunCommit, StartedRun } from "../store/run-store";

const DEFAULT_MAX_STEPS = 500;

/**
 * One activation of a run: from its stored cursor until it waits, completes or fails. Pure steps accumulate
 * in memory and are committed with the next effectful step (whose result must be durable before anything
 * depends on it) or with the end of the activation. After a crash, the next activation starts from the last
 * committed snapshot and recomputes the pure steps after it; effectful steps re-run with the same step id and
 * so the same idempotency key.
 */
export class RunActivation {
  private frames: FlowFrame[];
  private journal: RunJournal;
  private waitingStep: string | undefined;
  private waitingUntil: string | undefined;
  private resumedThrough: number | undefined;
  /** The requests not applied yet, as the final commit of an activation that left the run waiting read them. */
  pendingAfterCommit: readonly ResumeRequest[] | undefined;
  private version: number;
  private indexes = new Map<string, WorkflowIndex>();
  private steps = 0;
  private firstCommit = true;
  private appliedOutboxId: string | undefined;
  /** What the last commit stored, for `record()`. */
  private committed: Pick<RunRecord, "status" | "output" | "error" | "updatedAt">;
  /** `record()` as of the last commit: subscribers and the caller read it after the same commit. */
  private recorded: RunRecord | undefined;
  /** The last commit ended the activation: nothing changes its state after it. */
  private ended = false;
  // Built once: every step's request refers to these rather than to closures of its own.
  private readonly toolHost: ToolStepHost;
  private readonly stepEvents: StepEvents;

  constructor(
    private readonly run: RunRecord,
    private readonly tenant: TenantView,
    private readonly deps: EngineDeps,
    private readonly signal: AbortSignal,
    /** The run is not stored yet (`StartRunRequest.deferStore`): its first commit inserts it. */
    private unsaved?: StartedRun,
  ) {
    // A private copy: the activation mutates frames as it goes, the loaded record stays what was stored.
    this.frames = structuredClone(run.state.frames) as FlowFrame[];
    this.journal = RunJournal.continuing(run.state);
    this.waitingStep = run.state.waitingStep;
    this.waitingUntil = run.state.waitingUntil;
    this.resumedThrough = run.state.resumedThrough;
    this.version = run.stateVersion;
    this.committed = { status: run.status, output: run.output, error: run.error, updatedAt: run.updatedAt };
    this.indexes.set(run.definition.name, indexWorkflow(run.definition));
    this.toolHost = {
      deps,
      tenant,
      runId: run.id,
      signal,
      journal: this.journal,
      config: (node) => this.config(node),
    };
    this.stepEvents = stepEvents(deps, run, this.journal);
  }

  /** Continues the run; `resume` answers the waiting ask or handoff step. */
  async execute(resume?: ActivationInput): Promise<ActivationEnd> {
    this.journal.event(
      resume ? "run.resumed" : "run.started",
      resume?.kind === "timeout" ? { timeout: true } : {},
    );
    if (resume?.kind === "message") this.journal.receive(resume.text);
    if (resume && "requestSeq" in resume && resume.requestSeq !== undefined) {
      this.resumedThrough = Math.max(this.resumedThrough ?? 0, resume.requestSeq);
    }
    // Applied with this activation's first commit, the request's outbox row has nothing left to enqueue.
    if (resume && "requestOutboxId" in resume) this.appliedOutboxId = resume.requestOutboxId;
    let pendingResume = resume;
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason;
      this.steps += 1;
      if (this.steps > (this.deps.maxStepsPerActivation ?? DEFAULT_MAX_STEPS)) {
        return this.finish({
          status: "failed",
          error: {
            code: "FD205",
            message: `The run took more than ${this.deps.maxStepsPerActivation ?? DEFAULT_MAX_STEPS} steps without waiting.`,
          },
        });
      }
      const frame = this.frames[this.frames.length - 1]!;
      // Known after the first step of a frame: no await (and so no trip through the microtask queue) per step.
      const index = this.indexes.get(frame.workflow) ?? (await this.index(frame.workflow));
      const node = index.node(frame.node);
      if (!node) throw new EngineError("FD209", `Node "${frame.node}" is missing from ${frame.workflow}.`);
      if (node.type === "subflow") {
        const entry = await enterSubflow(
          {
            deps: this.deps,
            tenantId: this.run.tenantId,
            depth: this.frames.length,
            journal: this.journal,
            config: (n) => this.config(n),
            scope: (f) => this.scope(f),
          },
          frame,
          node,
        );
        if ("failed" in entry) {
          const { stepId, failed, startedAt } = entry;
          const end = await this.fail(frame, index, node, stepId, failed, 1, startedAt);
          if (end) return end;
          continue;
        }
        this.indexes.set(entry.child.workflow, entry.index);
        this.frames.push(entry.child);
        continue;
      }
      const outcome = await this.step(frame, index, node, pendingResume);
      pendingResume = undefined;
      if (outcome) return outcome;
    }
  }

  /** Runs `node` as a step and moves the cursor; returns an end when the activation is over. */
  private async step(
    frame: FlowFrame,
    index: WorkflowIndex,
    node: WorkflowNode,
    input?: ActivationInput,
  ): Promise<ActivationEnd | undefined> {
    const visit = (frame.visits[node.name] ?? 0) + (input ? 0 : 1);
    const stepId = `${frame.path}/${node.name}#${Math.max(visit, 1)}`;
    const executor = this.deps.executors[node.type];
    if (!executor) throw new EngineError("FD202", `No executor for node type "${node.type}".`);
    const startedAt = now();
    if (input?.kind === "timeout") {
      // Nobody answered in time: the ask fails without running again, through its error edge if it has one.
      this.waitingStep = undefined;
      this.waitingUntil = undefined;
      const minutes = this.config(node).timeout_minutes;
      return this.fail(
        frame,
        index,
        node,
        stepId,
        { code: "FD212", message: `No answer within ${String(minutes)} minutes.` },
        0,
        startedAt,
      );
    }
    const resume = resumeWithEntities(input, index.workflow.entities);
    // Nothing outside the engine may happen while the run exists only here (a retry would repeat it); a message
    // sent reaches the customer before a slow step (a model streaming tokens, a lookup), not after it.
    const settle = this.unsaved !== undefined || this.journal.holdsMessages();
    if (settle && this.deps.registry.get(node.type)?.pure !== true) await this.commit("running");
    this.journal.event("step.started", { stepId, node: node.name, type: node.type });
    const scope = this.scope(frame);
    const outcome = await runStep(
      {
        tenant: this.tenant,
        runId: this.run.id,
        stepId,
        node,
        config: this.config(node),
        executor,
        scope,
        resume,
        signal: this.signal,
        tools: new LazyAgentTools(this.toolHost, {
          index,
          agent: node,
          stepId,
          scope,
          outputs: frame.outputs,
        }),
        events: this.stepEvents,
      },
      this.deps,
    );
    frame.visits[node.name] = Math.max(visit, 1);
    if (!outcome.ok) return this.fail(frame, index, node, stepId, outcome.error, outcome.attempts, startedAt);

    const result = withoutBlankMessages(node, outcome.result);
    const waiting = result.suspend !== undefined;
    this.journal.record(node, stepId, outcome.attempts, result, waiting ? "waiting" : "completed", startedAt);
    frame.outputs[node.name] = { output: result.output };
    if (result.vars) Object.assign(frame.vars, result.vars);
    if (result.conversation) this.journal.remember(result.conversation);
    // A start's greeting is what the customer saw when the chat opened, before their first message.
    this.journal.sendAll(stepId, result.messages ?? [], result.choices, node.type === "start");
    this.deps.afterStep?.({ runId: this.run.id, stepId, effect: result.effect === true });

    if (result.suspend) {
      this.waitingStep = stepId;
      const minutes = node.type === "ask" ? this.config(node).timeout_minutes : undefined;
      this.waitingUntil =
        typeof minutes === "number" && minutes > 0
          ? new Date(Date.now() + minutes * 60_000).toISOString()
          : undefined;
      const status = result.suspend.kind === "ask" ? "waiting" : "handoff";
      this.journal.event(status === "waiting" ? "run.waiting" : "run.handoff", {
        stepId,
        node: node.name,
        ...result.suspend,
      });
      return this.finish({ status });
    }
    this.waitingStep = undefined;
    this.waitingUntil = undefined;
    const port = result.port ?? this.firstOutput(node);
    const end = await this.advance(frame, index, node, port, result.output);
    if (end) return end;
    if (result.effect) await this.commit("running");
    return undefined;
  }

  /** Follows the first edge (document order) leaving through `port` whose condition holds. */
  private async advance(
    frame: FlowFrame,
    index: WorkflowIndex,
    node: WorkflowNode,
    port: string,
    output: unknown,
  ): Promise<ActivationEnd | undefined> {
    const scope = this.scope(frame);
    const next = index.outgoing(node.name).find((edge) => {
      if (edgePort(edge) !== port) return false;
      if (edge.condition === undefined || edge.condition === null) return true;
      try {
        return evaluateCondition(edge.condition, scope, output) === true;
      } catch (error) {
        // A condition that cannot be evaluated (a missing field) does not match; the trace says why.
        this.journal.event("condition.failed", {
          stepId: `${frame.path}/${node.name}#${frame.visits[node.name] ?? 1}`,
          edge: `${edge.from}->${edge.to}`,
          message: error instanceof Error ? error.message : String(error),
        });
        return false;
      }
    });
    if (next) {
      frame.node = next.to;
      return undefined;
    }
    // No edge to follow: the flow ends here. An `end` node's output is the flow's output; otherwise the last one.
    const flowOutput =
      node.type === "end" ? output : { reply: null, outcome: "resolved", output: {}, last: output };
    return this.leaveFrame(flowOutput);
  }

  /** Returns from a subflow to its caller, or completes the run when the root flow ends. */
  private async leaveFrame(output: unknown): Promise<ActivationEnd | undefined> {
    const finished = this.frames.pop()!;
    const parent = this.frames[this.frames.length - 1];
    if (!parent || finished.caller === undefined) return this.finish({ status: "completed", output });
    const callerNode = (await this.index(parent.workflow)).node(finished.caller)!;
    const stepId = `${parent.path}/${callerNode.name}#${parent.visits[callerNode.name] ?? 1}`;
    this.journal.subflowReturned(callerNode, stepId, output);
    parent.outputs[callerNode.name] = { output };
    return this.advance(parent, await this.index(parent.workflow), callerNode, "out", output);
  }

  private async fail(
    frame: FlowFrame,
    index: WorkflowIndex,
    node: WorkflowNode,
    stepId: string,
    error: { code: string; message: string },
    attempts: number,
    startedAt: string,
  ): Promise<ActivationEnd | undefined> {
    this.journal.failed(node, stepId, attempts, error, startedAt);
    const output = { error };
    frame.outputs[node.name] = { output };
    const hasErrorEdge = index.outgoing(node.name).some((edge) => edgePort(edge) === "error");
    if (!hasErrorEdge) return this.finish({ status: "failed", error });
    return this.advance(frame, index, node, "error", output);
  }

  private scope(frame: FlowFrame): RunScope {
    const entities = this.indexes.get(frame.workflow)?.workflow.entities;
    return activationScope(frame, this.journal, this.tenant, entities);
  }

  private config(node: WorkflowNode): Record<string, unknown> {
    return defaultedConfig(this.deps.registry, node);
  }

  private firstOutput(node: WorkflowNode): string {
    return this.deps.registry.get(node.type)?.ports.outputs[0] ?? "out";
  }

  private async index(name: string): Promise<WorkflowIndex> {
    const known = this.indexes.get(name);
    if (known) return known;
    const workflow: Workflow | undefined = await this.deps.resolveWorkflow(this.run.tenantId, name, "latest");
    if (!workflow) throw new EngineError("FD203", `The run needs workflow "${name}", which does not exist.`);
    const index = indexWorkflow(workflow);
    this.indexes.set(name, index);
    return index;
  }

  private state(): RunState {
    return {
      frames: this.frames,
      conversation: this.journal.conversation,
      usage: this.journal.usage,
      ...(this.waitingStep
        ? { waitingStep: this.waitingStep, waitingStepSent: this.journal.sentBy(this.waitingStep) }
        : {}),
      ...(this.waitingUntil ? { waitingUntil: this.waitingUntil } : {}),
      ...(this.resumedThrough !== undefined ? { resumedThrough: this.resumedThrough } : {}),
    };
  }

  private async finish(end: ActivationEnd): Promise<ActivationEnd> {
    if (end.status === "completed") this.journal.event("run.completed", { output: end.output ?? null });
    if (end.status === "failed") this.journal.event("run.failed", { error: end.error ?? null });
    await this.commit(end.status, end);
    return end;
  }

  /** One transaction: the snapshot and the events since the last commit, published once durable. */
  async commit(status: RunStatus, end?: ActivationEnd): Promise<void> {
    const events = this.journal.take();
    const commit: RunCommit = {
      tenantId: this.run.tenantId,
      runId: this.run.id,
      expectedVersion: this.version,
      status,
      state: this.state(),
      events,
      ...(end && "output" in end ? { output: end.output } : {}),
      ...(end?.error !== undefined ? { error: end.error } : {}),
      ...(this.firstCommit && this.run.status === "queued" ? { startConsumed: true } : {}),
      ...(this.firstCommit && this.appliedOutboxId ? { appliedOutboxId: this.appliedOutboxId } : {}),
      ...(end ? { activationEnded: true } : {}),
    };
    if (end && isWaiting(status) && isWaiting(this.run.status)) {
      // Having applied a request, the engine looks for the next one as soon as the run waits again: read the
      // pending ones with this commit. (A start needs no look: nothing can be recorded for it meanwhile.)
      const done = await this.deps.store.commitReadingPending(commit, this.resumedThrough ?? 0);
      this.version = done.version;
      this.pendingAfterCommit = done.pending;
    } else if (this.unsaved) {
      // Completed while unstored, it changed nothing outside the engine: it may keep less (settings.trace).
      const trace = status === "completed" ? this.run.definition.settings?.trace : undefined;
      this.version = await this.deps.store.insertRun(this.unsaved, trace ? { ...commit, trace } : commit);
      this.unsaved = undefined;
    } else {
      this.version = await this.deps.store.commit(commit);
    }
    this.firstCommit = false;
    this.committed = {
      status,
      output: end && "output" in end ? end.output : this.committed.output,
      error: end?.error !== undefined ? end.error : this.committed.error,
      updatedAt: now(),
    };
    this.recorded = undefined;
    this.ended = end !== undefined;
    // Saved before the end is published: a customer who answers the reply at once starts a run that reads it.
    if (end) await saveMemoryWrites(this.deps, this.run, this.journal.memoryWrites);
    if (this.deps.onEvents)
      this.deps.onEvents(
        this.run.tenantId,
        this.run.id,
        events,
        this.run.conversationId,
        () => this.record(),
        this.run.channel,
      );
  }

  /** The run as its last commit stored it (activation-record.ts), built once per commit. */
  record(): RunRecord {
    return (this.recorded ??= activationRecord(
      this.run,
      { ...this.committed, stateVersion: this.version },
      this.state(),
      this.ended,
    ));
  }

  /** Records a cancellation with whatever finished before it. */
  async cancel(reason: string): Promise<void> {
    this.journal.event("run.cancelled", { reason });
    await this.commit("cancelled", { status: "cancelled", error: { code: "FD208", message: reason } });
  }
}
