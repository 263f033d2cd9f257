import { timeOrderedId } from "../store/time-ordered-id";
import type { ResumeInput } from "@flowdeck/node-library/runtime";
import type { RunClaim, StartedRun } from "../store/run-store";
import type { StartRunRequest } from "./start-run-request";
import type { RecordedResume, ResumeRequest } from "../store/run-requests";
import type { EngineDeps } from "./engine-deps";
import { EngineError } from "./engine-errors";
import type { ActivationInput } from "./activation-types";
import { createActivationGuard, type ActivationTicket } from "./activation-guard";
import { RunActivation } from "./run-activation";
import { depsForRun } from "./run-deps";
import { TERMINAL_STATUSES, type RunRecord } from "./run-types";
import { newRun } from "./new-run";
import { memoryForNewRun } from "./conversation-memory";
import { inActivationSpan } from "../telemetry/activation-span";

export type { StartRunRequest };

export interface Engine {
  /** Stores a new run (status `queued`) without executing it: what the API does before enqueueing. */
  createRun(request: StartRunRequest): Promise<RunRecord>;
  /** Creates the run and executes it until it waits, is handed off, completes or fails. */
  startRun(request: StartRunRequest): Promise<RunRecord>;
  /** Answers a waiting run (`message`) or hands a parked one back from a human (`handback`). */
  resumeRun(tenantId: string, runId: string, resume: ResumeInput, signal?: AbortSignal): Promise<RunRecord>;
  /**
   * Records a message (for a `waiting` run) or a hand-back (for a `handoff` one) without executing anything:
   * what the API does in queue mode before enqueueing; `continueRun` applies it. FD206 no run, FD207 wrong status.
   * With `claim` (a customer message's id) a copy recorded before records nothing: `claim.duplicate()` is thrown.
   * `appliesHere`: this process applies it next (continueRun or applyResumes on this engine, as the inline queue
   * does), so the record also counts the activation that will (RunStore.requestResume's `countActivation`): one
   * transaction less per message. Without it a worker elsewhere counts its own.
   */
  requestResume(
    tenantId: string,
    runId: string,
    resume: ResumeInput,
    claim?: RunClaim,
    appliesHere?: boolean,
  ): Promise<RecordedResume>;
  /**
   * Does whatever the run needs next: executes a queued run, continues a running one after a crash from its last
   * committed step, and applies recorded requests (`requestResume`) in order while the run waits for one. A run
   * with nothing to do is returned as is, so a redelivered job is harmless.
   */
  continueRun(tenantId: string, runId: string, signal?: AbortSignal): Promise<RunRecord>;
  /**
   * What a resume job does: applies recorded requests while the run waits for one. A `queued` or `running` run
   * is left alone: the job executing it applies pending requests when its activation ends (and if that job's
   * worker died, its redelivery or the reconciler does), so a message never starts a second, concurrent
   * activation of the same run (doubled model calls, two token streams).
   */
  applyResumes(tenantId: string, runId: string, signal?: AbortSignal): Promise<RunRecord>;
  /**
   * The ask's `timeout_minutes` ran out (a delayed job): if the run still waits at `stepId`, past its deadline,
   * with no answer recorded, the ask fails with FD212 and the run follows its error edge. Otherwise a no-op.
   */
  expireWait(tenantId: string, runId: string, stepId: string, signal?: AbortSignal): Promise<RunRecord>;
  /** Cancels a run: an executing one through its AbortSignal, a waiting one directly. */
  cancelRun(tenantId: string, runId: string, reason?: string): Promise<RunRecord>;
  /**
   * Graceful shutdown that cannot wait for the activations executing here (a worker's shutdownTimeoutMs ran
   * out): takes back their claims, so that handing them to another process does not count as a death of the
   * process (activation-guard.ts). Returns how many were handed back.
   */
  handBack(): Promise<number>;
}

/** A run as this process last saw it, with its pending requests when they were read along (else unknown). */
interface Known {
  readonly run: RunRecord;
  readonly pending?: readonly ResumeRequest[];
  /**
   * The activation that executes the run next, or applies its next request, is counted already: by the read
   * that found it (`RunStore.readForActivation`) or by the request (`requestResume` with `appliesHere`).
   */
  readonly claimed?: boolean;
}

/** Activations one continueRun may chain (a run answered by several queued messages in a row). */
const MAX_PASSES_PER_CALL = 50;
/** Runs created here and not yet picked up, kept so their first activation need not read them back. */
const MAX_FRESH_RUNS = 1_000;

/**
 * The step loop's front door. It owns no state between calls: everything needed to continue a run lives in the
 * run store, so any process can pick a run up (the inline driver and BullMQ workers use the same engine).
 */
export function createEngine(deps: EngineDeps): Engine {
  /** Activations running in this process: their abort handle, and a promise that settles when they end. */
  const active = new Map<
    string,
    { controller: AbortController; ended: Promise<unknown>; handBack: () => Promise<void> }
  >();
  /** Counts every activation of a stored run before it executes, and fails poison runs (FD219). */
  const guard = createActivationGuard(deps);
  /**
   * What createRun stored or requestResume found, until continueRun or applyResumes picks the run up (the
   * inline queue does so at once): the record a read would give, one transaction less per run and message.
   * Only those two take from here, and cancelRun drops the entry, so no other path acts on an older record.
   */
  const fresh = new Map<string, Known>();

  function keepFresh(run: RunRecord, pending?: readonly ResumeRequest[], claimed = false): void {
    // A count an earlier record of the run took and nobody used yet stays with it: the run's next activation.
    const carried = takeFresh(run.tenantId, run.id)?.claimed === true;
    // Bounded: a process that only records runs (an API in front of BullMQ workers) never takes them.
    if (fresh.size >= MAX_FRESH_RUNS) void forget(fresh.keys().next().value!);
    fresh.set(run.id, {
      run,
      ...(pending ? { pending } : {}),
      ...(claimed || carried ? { claimed: true } : {}),
    });
  }

  /** Drops what this process knew of the run, and takes back an activation count nobody will use now. */
  function forget(runId: string): Promise<void> {
    const known = fresh.get(runId);
    fresh.delete(runId);
    return known?.claimed ? releaseUnused(known.run) : Promise.resolve();
  }

  /** Best effort: if the database is down too, the run's next activation sees one death more than there was. */
  function releaseUnused(run: RunRecord): Promise<void> {
    return deps.store.releaseActivation(run.tenantId, run.id).catch((error: unknown) =>
      deps.log.warn("could not take back an activation's count", {
        runId: run.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  function takeFresh(tenantId: string, runId: string): Known | undefined {
    const known = fresh.get(runId);
    fresh.delete(runId);
    return known?.run.tenantId === tenantId ? known : undefined;
  }

  async function load(tenantId: string, runId: string): Promise<RunRecord> {
    const run = await deps.store.getRun(tenantId, runId);
    if (!run) throw new EngineError("FD206", `Run ${runId} was not found.`);
    return run;
  }

  /** The first recorded request the run can take in its status (a message while waiting, a hand-back in handoff). */
  async function nextRequest(
    run: RunRecord,
    known?: readonly ResumeRequest[],
  ): Promise<ActivationInput | undefined> {
    if (run.status !== "waiting" && run.status !== "handoff") return undefined;
    const pending =
      known ?? (await deps.store.pendingResumes(run.tenantId, run.id, run.state.resumedThrough ?? 0));
    const wanted = run.status === "waiting" ? "message" : "handback";
    const request = pending.find((r) => r.resume.kind === wanted);
    return request
      ? {
          ...request.resume,
          requestSeq: request.seq,
          ...(request.outboxId ? { requestOutboxId: request.outboxId } : {}),
        }
      : undefined;
  }

  /** Executes the run if it is queued or running, then applies recorded requests in order while it waits. */
  async function drive(start: Known, signal?: AbortSignal): Promise<RunRecord> {
    let { run, pending } = start;
    let claimed = start.claimed === true;
    try {
      return await passes();
    } finally {
      // Counted by the read or the request, never activated (cancelled first, or the request was applied by
      // another activation): no activation began.
      if (claimed) await releaseUnused(run);
    }

    async function passes(): Promise<RunRecord> {
      // Bounded: each pass either executes (the run leaves queued/running) or applies one request.
      for (let pass = 0; pass < MAX_PASSES_PER_CALL; pass += 1) {
        if (signal?.aborted) return run;
        if (run.status === "queued" || run.status === "running") {
          const counted = claimed;
          claimed = false;
          ({ run } = await activate(run, undefined, signal, undefined, counted));
          // Nothing can have been recorded while it executed (requestResume takes waiting and handoff runs only),
          // and what is recorded once it settled comes with a job of its own: no read for requests here.
          if (run.status !== "queued" && run.status !== "running") return run;
          continue;
        }
        // What requestResume or the last activation's commit read, when it did; else a read of its own.
        const request = await nextRequest(run, pending);
        if (!request) return run;
        const counted = claimed;
        claimed = false;
        ({ run, pending } = await activate(run, request, signal, undefined, counted));
      }
      return run;
    }
  }

  async function activate(
    run: RunRecord,
    resume: ActivationInput | undefined,
    signal?: AbortSignal,
    unsaved?: StartedRun,
    /** Already counted by the read that found the run. */
    counted = false,
  ): Promise<Known> {
    const controller = new AbortController();
    const onAbort = () =>
      controller.abort(signal?.reason ?? new EngineError("FD208", "The run was cancelled."));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    let activation: RunActivation | undefined;
    let ticket: ActivationTicket | undefined;
    // One span per activation (a no-op without the SDK): its steps, model and HTTP calls nest under it.
    const ended = inActivationSpan(run, async () => {
      ticket = await guard.enter(run, { stored: unsaved === undefined, counted });
      if (ticket.refused) return;
      let done = false;
      try {
        activation = new RunActivation(
          run,
          await deps.tenant(run.tenantId),
          // Routing savings priced; a replay's effectful steps answered from the original run or as dry runs.
          depsForRun(deps, run),
          controller.signal,
          unsaved,
        );
        try {
          await activation.execute(resume);
        } catch (error) {
          if (!controller.signal.aborted) throw error;
          const reason = controller.signal.reason;
          await activation.cancel(reason instanceof Error ? reason.message : "cancelled");
        }
        done = true;
      } finally {
        // Ended by its own commit, or taken back: an error here is no death of the process.
        // A deferred run is stored by its first commit, which moves its version from 0.
        const stored = unsaved === undefined || (!done && (activation?.record().stateVersion ?? 0) > 0);
        await ticket.leave({ ended: done, stored });
      }
    });
    active.set(run.id, { controller, ended, handBack: async () => ticket?.handBack() });
    try {
      await ended;
    } finally {
      active.delete(run.id);
      // Whatever was kept for this run (a request recorded while it executed) is older than this activation.
      fresh.delete(run.id);
      signal?.removeEventListener("abort", onAbort);
    }
    if (ticket?.refused) return { run: ticket.refused };
    const pending = activation!.pendingAfterCommit;
    // Its end was committed, so the record carries no unfinished activation (activation-record.ts) and is
    // returned as it is: a copy would read the state it copies only when asked for.
    return { run: activation!.record(), ...(pending ? { pending } : {}) };
  }

  const engine: Engine = {
    async createRun(request) {
      const run = await deps.store.createRun(newRun(request, await memoryForNewRun(deps, request)));
      keepFresh(run);
      return run;
    },

    async startRun(request) {
      if (!request.deferStore) {
        const run = await engine.createRun(request);
        fresh.delete(run.id);
        return (await activate(run, undefined, request.signal)).run;
      }
      const createdAt = new Date().toISOString();
      const memory = await memoryForNewRun(deps, request);
      const unsaved: StartedRun = {
        ...newRun(request, memory),
        id: request.runId ?? timeOrderedId(),
        createdAt,
      };
      const run: RunRecord = {
        tenantId: unsaved.tenantId,
        id: unsaved.id,
        workflowName: unsaved.workflowName,
        workflowVersion: unsaved.workflowVersion,
        definition: unsaved.definition,
        status: "queued",
        state: unsaved.state,
        stateVersion: 0,
        input: unsaved.input,
        output: null,
        error: null,
        conversationId: unsaved.conversationId,
        channel: unsaved.channel,
        createdAt,
        updatedAt: createdAt,
      };
      return (await activate(run, undefined, request.signal, unsaved)).run;
    },

    async resumeRun(tenantId, runId, resume, signal) {
      const run = await load(tenantId, runId);
      const expected = resume.kind === "message" ? "waiting" : "handoff";
      if (run.status !== expected) {
        throw new EngineError(
          "FD207",
          `Run ${runId} is ${run.status}; only a ${expected} run can take ${resume.kind === "message" ? "a message" : "a hand-back"}.`,
        );
      }
      return (await activate(run, resume, signal)).run;
    },

    async requestResume(tenantId, runId, resume, claim, appliesHere = false) {
      const expected = resume.kind === "message" ? "waiting" : "handoff";
      const recorded = await deps.store.requestResume(
        tenantId,
        runId,
        resume,
        [expected],
        claim,
        appliesHere,
      );
      if (recorded) {
        keepFresh(recorded.run, recorded.pending, recorded.activationCounted);
        return recorded;
      }
      const run = await load(tenantId, runId);
      throw new EngineError(
        "FD207",
        `Run ${runId} is ${run.status}; only a ${expected} run can take ${resume.kind === "message" ? "a message" : "a hand-back"}.`,
      );
    },

    async continueRun(tenantId, runId, signal) {
      const known = takeFresh(tenantId, runId);
      if (known) return drive(known, signal);
      // A worker's pickup: the read also counts the activation it is about to start, when it can.
      const read = await deps.store.readForActivation(tenantId, runId);
      if (!read) throw new EngineError("FD206", `Run ${runId} was not found.`);
      return drive(read, signal);
    },

    async applyResumes(tenantId, runId, signal) {
      const known = takeFresh(tenantId, runId) ?? { run: await load(tenantId, runId) };
      if (known.run.status === "queued" || known.run.status === "running") {
        if (known.claimed) await releaseUnused(known.run);
        return known.run;
      }
      return drive(known, signal);
    },

    async expireWait(tenantId, runId, stepId, signal) {
      const run = await load(tenantId, runId);
      const until = run.state.waitingUntil;
      if (run.status !== "waiting" || run.state.waitingStep !== stepId || !until) return run;
      // Early (clock skew, or the ask asked again and has a later deadline): the newer timer will come.
      if (Date.parse(until) > Date.now()) return run;
      // An answer recorded in time wins over the timer, even if no worker has applied it yet.
      if (await nextRequest(run)) return drive({ run }, signal);
      // Then whatever was recorded while the timeout executed (the run may wait again, at another ask).
      return drive(await activate(run, { kind: "timeout", stepId }, signal), signal);
    },

    async cancelRun(tenantId, runId, reason = "cancelled by a person") {
      await forget(runId);
      const running = active.get(runId);
      if (running) {
        running.controller.abort(new EngineError("FD208", reason));
        // The activation records the cancellation itself; wait until it has (its own caller sees any error).
        await running.ended.catch(() => undefined);
        return load(tenantId, runId);
      }
      const run = await load(tenantId, runId);
      if (TERMINAL_STATUSES.has(run.status)) return run;
      const activation = new RunActivation(
        run,
        await deps.tenant(tenantId),
        deps,
        new AbortController().signal,
      );
      await activation.cancel(reason);
      return load(tenantId, runId);
    },

    async handBack() {
      const running = [...active.values()];
      // Requests this process counted and will not apply now: another process applies them, and counts its own.
      const counted = [...fresh.keys()].filter((runId) => fresh.get(runId)?.claimed);
      await Promise.all([...running.map((entry) => entry.handBack()), ...counted.map(forget)]);
      return running.length;
    },
  };
  return engine;
}
