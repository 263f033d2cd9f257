import type { RunCommit } from "../store/run-store";
import { createActivationGate, type ActivationGate } from "./activation-gate";
import type { EngineDeps } from "./engine-deps";
import { ENGINE_ERRORS } from "./engine-errors";
import { now } from "./run-journal";
import type { RunEvent, RunRecord } from "./run-types";

/**
 * Activations of a run that may begin and never end (their process died mid-way) before the run is failed
 * instead of executed again: a second death is no longer bad luck, and a third would take the service down
 * again after every restart (issue 15, "poison runs").
 */
export const MAX_UNFINISHED_ACTIVATIONS = 2;

/** One activation's way through the guard. */
export interface ActivationTicket {
  /** The run was failed as poison (FD219) instead of being let in: this is its record. Execute nothing. */
  readonly refused?: RunRecord;
  /**
   * The activation is over. Unless it committed its end (`ended`), its claim is taken back when the run is
   * stored (`stored`): it stopped on an error while the process lived, which is no crash.
   */
  leave(outcome: { readonly ended: boolean; readonly stored: boolean }): Promise<void>;
  /** Graceful shutdown hands the run back to another process: no crash either, so its claim is taken back now. */
  handBack(): Promise<void>;
}

export interface ActivationGuard {
  /**
   * Lets an activation in: waits for its turn at the process's gate (alone when the run's process died in an
   * earlier activation), then counts it in the store before anything executes (`beginActivation`), or fails
   * the run (FD219) when two earlier activations never ended. A run that is not stored yet (deferStore) is
   * counted by the insert that stores it.
   */
  enter(
    run: RunRecord,
    options: { readonly stored: boolean; readonly counted?: boolean },
  ): Promise<ActivationTicket>;
  readonly gate: ActivationGate;
}

export function createActivationGuard(deps: EngineDeps): ActivationGuard {
  const gate = createActivationGate();

  function ticket(run: RunRecord, leaveGate: () => void, counted: boolean): ActivationTicket {
    let open = counted;
    const release = async () => {
      if (!open) return;
      open = false;
      await deps.store.releaseActivation(run.tenantId, run.id);
    };
    return {
      async leave({ ended, stored }) {
        leaveGate();
        if (ended || !stored) open = false;
        // Best effort: if the database is down too, the next pickup sees one death more than there was.
        await release().catch((error: unknown) =>
          deps.log.warn("could not take back an activation's claim", {
            runId: run.id,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      },
      handBack: release,
    };
  }

  return {
    gate,
    async enter(run, { stored, counted = false }) {
      const suspect = (run.activationsUnfinished ?? 0) > 0;
      let leaveGate = await gate.enter(suspect ? "exclusive" : "shared");
      // Not stored yet: its insert stores it with this activation counted. Or the read that found it counted
      // it (only runs whose earlier activations all ended).
      if (!stored || counted) return ticket(run, leaveGate, true);
      let earlier: number;
      try {
        earlier = await deps.store.beginActivation(run.tenantId, run.id);
      } catch (error) {
        leaveGate();
        throw error;
      }
      if (earlier >= MAX_UNFINISHED_ACTIVATIONS) {
        try {
          const refused = await refuse(deps, run, earlier);
          return { refused, leave: async () => undefined, handBack: async () => undefined };
        } finally {
          leaveGate();
        }
      }
      if (earlier > 0 && !suspect) {
        // The record predates a death (read before another process died with it): it executes alone after all.
        leaveGate();
        leaveGate = await gate.enter("exclusive");
      }
      return ticket(run, leaveGate, true);
    },
  };
}

/** Fails the run with FD219 and a note for staff, in one commit that executes nothing. */
async function refuse(deps: EngineDeps, run: RunRecord, earlier: number): Promise<RunRecord> {
  const frame = run.state.frames[run.state.frames.length - 1];
  const cursor = frame ? `${frame.path}/${frame.node}` : "its start";
  const error = {
    code: "FD219",
    message:
      `Stopped to protect the service: the last ${earlier} activations of this run never finished (the process ` +
      `executing it died each time: out of memory, killed or crashed), so it was not executed again. Its last ` +
      `commit (${run.updatedAt}) left it at ${cursor}; the process died at that step or a later one. Look at ` +
      `that step's input and configuration (very large data, a runaway loop or template), the worker's logs ` +
      `and memory around the deaths, then fix the flow and start a new run.`,
  };
  const events: RunEvent[] = [
    {
      type: "run.failed",
      data: { error, hint: ENGINE_ERRORS.FD219, unfinishedActivations: earlier, cursor },
      at: now(),
    },
  ];
  const commit: RunCommit = {
    tenantId: run.tenantId,
    runId: run.id,
    expectedVersion: run.stateVersion,
    status: "failed",
    state: run.state,
    events,
    error,
    activationEnded: true,
    ...(run.status === "queued" ? { startConsumed: true } : {}),
  };
  const version = await deps.store.commit(commit);
  deps.log.error("run failed as poison: its process died in two activations", {
    tenantId: run.tenantId,
    runId: run.id,
    unfinishedActivations: earlier,
    cursor,
  });
  const { activationsUnfinished: _count, ...rest } = run;
  const record: RunRecord = {
    ...rest,
    status: "failed",
    error,
    stateVersion: version,
    updatedAt: now(),
  };
  deps.onEvents?.(run.tenantId, run.id, events, run.conversationId, () => record, run.channel);
  return record;
}
