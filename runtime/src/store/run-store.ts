import type { TraceRetention, Workflow } from "@flowdeck/schemas";
import type { ResumeInput } from "@flowdeck/node-library/runtime";
import type { RunEvent, RunRecord, RunState, RunStatus, StepRecord } from "../engine/run-types";
import type { RecordedResume, ResumeRequest } from "./run-requests";
import type { StoredEvent } from "./run-rows";

export interface NewRun {
  readonly tenantId: string;
  readonly workflowName: string;
  readonly workflowVersion: number | null;
  readonly definition: Workflow;
  readonly input: Record<string, unknown>;
  readonly state: RunState;
  readonly conversationId: string;
  readonly channel: string;
  /** Defaults to a random UUID. */
  readonly id?: string;
  /** A key the run is started under at most once (a webhook's message id): see RunClaim. */
  readonly claim?: RunClaim;
  /**
   * A customer message's id, claimed in `message_claims` by the statement that stores the run (createRun only):
   * unlike `claim`, one namespace with the messages recorded for waiting runs (`requestResume`), so a copy is
   * refused whichever way its first copy went.
   */
  readonly messageClaim?: RunClaim;
}

/** A run that has been executing before it was stored: its id and start time are already given. */
export interface StartedRun extends NewRun {
  readonly id: string;
  readonly createdAt: string;
}

/**
 * A key claimed by the run's own insert (`runs.claim_key`, unique per tenant): a replay and its run are one
 * atomic decision. When the key was claimed before, nothing is stored and `duplicate()` is thrown. A start
 * that fails leaves the key free for the sender's retry.
 */
export interface RunClaim {
  readonly key: string;
  readonly duplicate: () => Error;
}

/**
 * One commit: the new snapshot and the events since the last commit (finished steps' records among them,
 * step-events.ts), atomically: one journal row.
 */
export interface RunCommit {
  readonly tenantId: string;
  readonly runId: string;
  /** The `stateVersion` the engine loaded; the commit fails with FD260 if another writer moved it. */
  readonly expectedVersion: number;
  readonly status: RunStatus;
  readonly state: RunState;
  readonly events: readonly RunEvent[];
  readonly output?: unknown;
  readonly error?: { readonly code: string; readonly message: string } | null;
  /**
   * The first commit of a run that was `queued`: its start has been taken, so the statement clears the run's
   * `start_pending` and the dispatcher does not enqueue an executing run a second time.
   */
  readonly startConsumed?: boolean;
  /**
   * Only for insertRun, when the run completed in its first and only commit (nothing outside the engine
   * happened): the workflow's `settings.trace`. `errors` stores the run's row without a journal; `none` also
   * leaves out its input, output and conversation turns. Absent or `all`: the whole trace.
   */
  readonly trace?: TraceRetention;
  /** The outbox row of the recorded request this commit applied (`ResumeRequest.outboxId`): stamped likewise. */
  readonly appliedOutboxId?: string;
  /**
   * This commit ends its activation (the run waits, is parked, completed, failed or was cancelled): the run's
   * count of unfinished activations goes back to 0 (`beginActivation`). Commits in the middle leave it alone.
   */
  readonly activationEnded?: boolean;
}

/** A run as a worker read it (`readForActivation`), and whether that read counted its activation. */
export interface ActivationRead {
  readonly run: RunRecord;
  readonly claimed: boolean;
}

// Defined with the row mapping (run-rows.ts imports nothing from here, so the store's files form no cycle).
export type { StoredEvent } from "./run-rows";

/**
 * Runs and their append-only journal (one row per commit), in PostgreSQL (pg) or PGlite with the same SQL. Every method runs
 * in a transaction scoped to the tenant (`set_config('app.tenant_id', $1, true)`), so RLS applies.
 */
export interface RunStore {
  /**
   * Writes the run row, its first journal row (`run.created`) and its outbox row in one transaction. Runs of one tenant
   * created while an earlier create is out share the next transaction (group commit); each is refused alone.
   */
  createRun(run: NewRun): Promise<RunRecord>;
  /**
   * Stores a run that executed before it was stored (`StartRunRequest.deferStore`), together with its first
   * commit, in one statement: the run row at state version 1 and one journal row with its `run.created` event
   * and the commit's events. No outbox row (nothing to enqueue). Batched per tenant like createRun; a taken claim key stores
   * nothing and throws `claim.duplicate()`. Returns the new stateVersion (1).
   */
  insertRun(run: StartedRun, commit: RunCommit): Promise<number>;
  getRun(tenantId: string, runId: string): Promise<RunRecord | undefined>;
  /** Returns the new stateVersion. Concurrent commits of one tenant share a transaction, like createRun. */
  commit(commit: RunCommit): Promise<number>;
  /**
   * `commit`, and the requests recorded after `afterSeq` read in the same transaction and round trip: what an
   * activation that leaves its run waiting looks for next (every request recorded before the commit is there).
   */
  commitReadingPending(
    commit: RunCommit,
    afterSeq: number,
  ): Promise<{ version: number; pending: ResumeRequest[] }>;
  /**
   * `getRun` for a worker that picks the run up, counting the activation it will start when it can in the same
   * statement: a `queued` or `running` run whose earlier activations all ended is `claimed` (counted once, as
   * `beginActivation` would). Any other run is read as is, and its activation, if any, is counted later.
   */
  readForActivation(tenantId: string, runId: string): Promise<ActivationRead | undefined>;
  /**
   * Counts an activation of a stored run before it executes anything (one statement, committed when this
   * resolves; batched per tenant like commits) and returns how many earlier activations began and never ended:
   * their process died mid-way (out of memory, killed). The commit that ends an activation (`activationEnded`)
   * sets the count back to 0. FD261 when there is no such run.
   */
  beginActivation(tenantId: string, runId: string): Promise<number>;
  /**
   * An activation that stopped without committing its end while its process lived (it threw; or it was handed
   * back on graceful shutdown) is taken off the count: it did not crash. Never below 0.
   */
  releaseActivation(tenantId: string, runId: string): Promise<void>;
  /** The trace's steps, assembled from the journal: a later record of a step supersedes an earlier one. */
  listSteps(tenantId: string, runId: string): Promise<StepRecord[]>;
  listEvents(tenantId: string, runId: string, afterSeq?: number): Promise<StoredEvent[]>;
  /**
   * Records a message or hand-back for the run (a `resume.requested` event and an outbox row, one statement)
   * if the run's status is one of `statuses`; undefined otherwise. Nothing executes here (queue mode's API).
   * With `claim`, the same statement claims the message's id (`NewRun.messageClaim`); an id claimed before
   * records nothing and throws `claim.duplicate()`. With `countActivation` (the caller applies the request
   * next) it also counts the activation that will, when none is counted (`RecordedResume.activationCounted`).
   */
  requestResume(
    tenantId: string,
    runId: string,
    resume: ResumeInput,
    statuses: readonly RunStatus[],
    claim?: RunClaim,
    countActivation?: boolean,
  ): Promise<RecordedResume | undefined>;
  /** Recorded requests after `afterSeq` (the run's `state.resumedThrough`), oldest first. */
  pendingResumes(tenantId: string, runId: string, afterSeq: number): Promise<ResumeRequest[]>;
  /** How many runs this store created plus commits it made, shared transactions or not (commits per run). */
  readonly commitCount: number;
}
