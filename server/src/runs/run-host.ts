import type { ChatTurn } from "@flowdeck/node-library/runtime";
import type { RunClaim, RunEvent, RunRecord } from "@flowdeck/runtime";

/** Which workflow text a run executes. Customers always get a published version; staff test runs may use the draft. */
export type RunTarget =
  | {
      readonly kind: "published";
      readonly workflowId: string;
      /** Latest when absent. */ readonly version?: number;
      /**
       * The caller read, in this request, that `version` exists and the workflow is live (a channel lookup
       * does), so the source does not read it again.
       */
      readonly verified?: boolean;
    }
  | { readonly kind: "draft"; readonly workflowId: string };

export interface StartRunInput {
  readonly tenantId: string;
  readonly target: RunTarget;
  readonly input: Record<string, unknown>;
  /** `api`, `web`, `webhook:<channelId>`, `test` … stored on the run. */
  readonly channel: string;
  /** A new UUID when absent. */
  readonly conversationId?: string;
  /**
   * Claimed in the run's own transaction (a webhook's message id): a duplicate stores nothing, so a refused or
   * failed start leaves no trace to undo (see RunClaim).
   */
  readonly claim?: RunClaim;
  /** A customer message's id, claimed by the statement that stores the run (runtime's `NewRun.messageClaim`). */
  readonly messageClaim?: RunClaim;
  /** The customer has seen the conversation's greeting; `opening` is what they saw before this run. */
  readonly greeted?: boolean;
  readonly opening?: readonly ChatTurn[];
  /**
   * The conversation's memory the run starts with (`conversation.<name>`); read from the conversation when
   * absent. A replay passes the memory its original started with.
   */
  readonly memory?: Readonly<Record<string, unknown>>;
  /**
   * The caller supplied `input` (an API or test run, a webhook flow's payload): refused with 422 FD344 unless it
   * has what the start node declares (runtime's run-input.ts). Chat messages bring only `message` and skip it.
   */
  readonly checkInput?: boolean;
}

export interface CustomerMessageInput {
  readonly tenantId: string;
  readonly target: RunTarget;
  readonly conversationId: string;
  readonly channel: string;
  readonly text: string;
  /** The server made the conversation id up for this message: there is no earlier run to look for. */
  readonly newConversation?: boolean;
  /**
   * The message's id, claimed by the statement that stores the message (the run it starts or the request it
   * records), so it is taken exactly when the message is. A copy taken before stores nothing and rejects with
   * `claim.duplicate()`; so does one kept for a human (the caller stores that, with the same claim).
   */
  readonly claim?: RunClaim;
}

/** The greeting shown when a chat opened: a bot message of the conversation that no run sent. */
export interface OpeningGreeting {
  readonly id: string;
  readonly text: string;
  readonly at: string;
}

/** A customer's message as `RunHost.message` took it. */
export interface AcceptedMessage {
  /** The run that answers it, as it was when the message was taken (a waiting run still says `waiting`). */
  readonly run: RunRecord;
  /**
   * Where the turn this message starts begins in the run's log: its `resume.requested` event, or 1 (the
   * `run.created` event) for a new run. What the run says in answer is in the log from here on.
   */
  readonly fromSeq: number;
}

/** One batch of committed events of one run, as every subscriber sees it. */
export interface RunEventBatch {
  readonly tenantId: string;
  readonly runId: string;
  readonly conversationId: string;
  /** `runs.channel` (`test`: the editor's test runs); absent only from a worker older than this field. */
  readonly channel?: string;
  readonly events: readonly RunEvent[];
  /** The run as the commit of these events stored it, when the engine that committed them runs here. */
  readonly run?: RunRecord;
}

export type RunEventListener = (batch: RunEventBatch) => void;

/** Something said in a conversation that is not a run event (a human agent's reply from the inbox). */
export type ConversationNotice = Readonly<Record<string, unknown>>;

export type NoticeListener = (conversationId: string, notice: ConversationNotice) => void;

/**
 * The server's one door to the runtime (DESIGN.md §4): the runs API, chat channels and the editor's test runs
 * all start, resume and watch runs through it. Inline driver in one process; with REDIS_URL, runs are enqueued
 * on BullMQ and events arrive from workers over Redis — callers do not see the difference.
 */
export interface RunHost {
  readonly driver: "inline" | "bullmq";
  /** Stores a run of the target and enqueues it; answers the `queued` record at once. */
  start(request: StartRunInput): Promise<RunRecord>;
  /**
   * Starts a run for a caller that waits for its answer (a synchronous webhook call) and resolves when it
   * settles or, past `timeoutMs`, with the run as it is then. Inline, the run executes in this call (in a
   * slot of the inline queue, so its concurrency bounds these runs too and the reconciler sees them live) and
   * is stored with its first commit, which comes before any step with an effect (see the engine's `deferStore`):
   * a claim already taken rejects here, and a crash before that commit leaves nothing for the caller's retry to
   * trip over. Never answers a run that is not stored. With BullMQ: `start`, then `settled`.
   */
  call(request: StartRunInput, timeoutMs: number): Promise<RunRecord>;
  /**
   * A customer's message in a conversation: answers the run waiting in it (`ask`), or starts a new run of the
   * target with `{ message }` as input when none waits. A conversation handed off to a human refuses with FD3xx.
   */
  message(request: CustomerMessageInput): Promise<AcceptedMessage>;
  /**
   * A chat opened (the widget's panel, before the customer writes): the target flow's greeting, kept as the
   * conversation's first message so that its first run does not greet again. Undefined when it has none.
   */
  greet(request: {
    readonly tenantId: string;
    readonly target: RunTarget;
    readonly conversationId: string;
    readonly channel: string;
  }): Promise<OpeningGreeting | undefined>;
  /**
   * A human agent's reply to a handed-off run; `resolved: false` keeps the conversation with the human. The
   * turn it starts begins at its `resume.requested` event.
   */
  handback(
    tenantId: string,
    runId: string,
    reply: { agentReply?: string; resolved: boolean },
  ): Promise<AcceptedMessage>;
  cancel(tenantId: string, runId: string, reason?: string): Promise<RunRecord>;
  /** Every committed event batch of the tenant's runs, wherever they execute. Returns an unsubscribe. */
  subscribe(tenantId: string, listener: RunEventListener): () => void;
  /** Every batch of every tenant (metrics). Never hand these to a tenant's client. */
  subscribeAll(listener: RunEventListener): () => void;
  /**
   * Tells every API process's watchers of the conversation (over Redis with BullMQ, where a customer's socket
   * may be on another instance than the staff member who answers; in this process inline). At most once.
   */
  notify(tenantId: string, conversationId: string, notice: ConversationNotice): void;
  /** Notices of the tenant's conversations, from any process. Returns an unsubscribe. */
  subscribeNotices(tenantId: string, listener: NoticeListener): () => void;
  /**
   * Resolves when the run is at a terminal, waiting or handoff status (tests, synchronous HTTP replies) and, with
   * `afterStateVersion`, has committed past that version — how to wait for the answer to a message sent to a
   * waiting run (pass the `stateVersion` of the record `message` returned). At the timeout it resolves with the
   * run as it is then; callers check `status`.
   */
  settled(tenantId: string, runId: string, timeoutMs: number, afterStateVersion?: number): Promise<RunRecord>;
  close(): Promise<void>;
}
