// The runtime's public entry (DESIGN.md §1): the engine and what it runs on. Named re-exports only.
export { createEngine, type Engine, type StartRunRequest } from "./engine/engine";
export { timeOrderedId } from "./store/time-ordered-id";
export {
  createDatabaseEngine,
  resolveFrom,
  type DatabaseEngine,
  type DatabaseEngineOptions,
} from "./engine/database-engine";
export { silentLogger, type EngineDeps } from "./engine/engine-deps";
export { EngineError, ENGINE_ERRORS, describeError, type EngineErrorCode } from "./engine/engine-errors";
export { createWorkflowLibrary, InvalidWorkflowError, type WorkflowLibrary } from "./engine/workflow-library";
export { TERMINAL_STATUSES } from "./engine/run-types";
export { REPLAY_CONVERSATION_PREFIX, replayChannel, runModeOf, type RunMode } from "./engine/run-mode";
export { renderOpeningGreeting } from "./engine/opening-greeting";
export { runInputProblems, type RunInputProblem } from "./engine/run-input";
export type {
  FlowFrame,
  RunEvent,
  RunEventType,
  RunRecord,
  RunState,
  RunStatus,
  StepRecord,
} from "./engine/run-types";
export type { NewRun, RunClaim, RunCommit, RunStore, StoredEvent } from "./store/run-store";
export { createRunStore, type SqlRunStore } from "./store/sql-run-store";
export { JOURNAL_EVENTS, journalHasEvent, journalLastEventData, journalStepsOf } from "./store/journal-sql";
export {
  createConversationMemoryStore,
  MAX_MEMORY_KEYS,
  type ConversationMemoryStore,
} from "./store/conversation-memory-store";
export { extractEntities, type AmountEntity, type EntityValue } from "./engine/entity-extraction";
export { APP_ROLE, prepared, type Database, type DriverKind, type Sql } from "./store/database";
export { openDatabase, type OpenDatabaseOptions } from "./store/open-database";
export { corkForTick } from "./streams/cork-for-tick";
export { createPgDatabase } from "./store/pg-database";
export { createPgliteDatabase } from "./store/pglite-database";
export { runMigrations, loadMigrations, RUNTIME_MIGRATIONS_DIR } from "./store/migrate";
export { createTenant, getTenant, type TenantPlan, type TenantRecord } from "./store/tenant-store";
export { StoreError, STORE_ERRORS, isStoreError, type StoreErrorCode } from "./store/store-errors";
export { createDomainServices } from "./domain/domain-services";
export type { RunOrigin } from "./domain/run-origin";
export { seedDemoData } from "./domain/demo-data";
// The staff APIs (server/src/domain-api) share these with the tools, so both keep one set of rules.
export { BEFORE_SHIPPING, ORDER_STATUSES, type OrderStatus } from "./domain/order-rules";
export { openTicket } from "./domain/tickets";
export {
  createModelGateway,
  createOfflineProvider,
  createOpenAiProvider,
  ModelError,
  MODEL_ERRORS,
} from "./models/index";
export { createSafeHttpClient } from "./http/safe-http-client";
export { parseAllowList } from "./http/allow-list";
export { HttpError, HTTP_ERRORS } from "./http/http-errors";
export type { RecordedRequest, RunQueue, RunJob, RunJobKind } from "./queue/run-queue";
export { createInlineQueue, type InlineQueueOptions, type InlineRunQueue } from "./queue/inline-queue";
export { createBullmqQueue, type BullmqQueueOptions, type BullmqRunQueue } from "./queue/bullmq-queue";
export type { QueueStats } from "./queue/queue-stats";
export {
  createRunEventBus,
  type RunEventBus,
  type RunEventBusListener,
  type RunEventBusOptions,
  type RunEventMessage,
} from "./queue/run-event-bus";
export { DEFAULT_PLAN_QUEUE_LIMITS, type PlanQueueLimits } from "./queue/tenant-limits";
export { createOutboxDispatcher, type OutboxDispatcherOptions } from "./queue/outbox-dispatcher";
export { createRunReconciler } from "./queue/run-reconciler";
export {
  deleteBatch,
  deleteOldMemory,
  deleteOldMessageClaims,
  deleteOldRuns,
  deleteUnusedDefinitions,
  type RetentionBatch,
} from "./store/run-retention";
export { periodicTask, type PeriodicTask } from "./queue/periodic-task";
export { QueueError, QUEUE_ERRORS } from "./queue/queue-errors";
export { startWorker, type RunWorker, type WorkerOptions } from "./worker/start-worker";
export type { RecordedResume, ResumeRequest } from "./store/run-requests";
