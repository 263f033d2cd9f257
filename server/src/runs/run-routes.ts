import type { Database, RunRecord, RunStore } from "@flowdeck/runtime";
import { createRunStore, runModeOf, TERMINAL_STATUSES } from "@flowdeck/runtime";
import type { Request, Response } from "express";
import Type, { type Static } from "typebox";
import { ApiError } from "../kit/api-error";
import type { RouteDefinition } from "../kit/route-table";
import { auditActor, recordAudit } from "../audit/audit-store";
import { requireAuth } from "../auth/auth-context";
import type { RunHost, RunTarget } from "./run-host";
import { runMoney, stepMoney } from "./run-costs";
import { listRuns, runChannelName } from "./run-queries";
import { replayRun } from "./run-replay";
import { TEST_RUN_CHANNEL } from "./test-run-channel";

const TargetFields = {
  workflow: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "Workflow name." })),
  workflowId: Type.Optional(Type.String({ format: "uuid" })),
  version: Type.Optional(
    Type.Integer({ minimum: 1, description: "A published version; latest when absent." }),
  ),
  draft: Type.Optional(
    Type.Boolean({ description: "Run the draft instead of a published version (a test run)." }),
  ),
};
export const StartRunBody = Type.Object(
  {
    ...TargetFields,
    input: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The run's input." })),
    conversationId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const ReplayBody = Type.Object(
  {
    version: TargetFields.version,
    draft: TargetFields.draft,
    timeoutMs: Type.Optional(
      Type.Integer({ minimum: 100, maximum: 120_000, description: "Default 30,000." }),
    ),
  },
  { additionalProperties: false },
);

const RUN_STATUSES = ["queued", "running", "waiting", "handoff", "completed", "failed", "cancelled"];
const MAX_PAGE = 200;
const DEFAULT_REPLAY_TIMEOUT_MS = 30_000;

/** A run as the API shows it: everything but the engine's internal snapshot. */
function publicRun(run: RunRecord) {
  const { state, definition, ...rest } = run;
  return {
    ...rest,
    mode: runModeOf(run.channel),
    usage: state.usage,
    waitingStep: state.waitingStep ?? null,
    workflow: definition.name,
  };
}

function query(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ApiError("FD355", `Query parameter "${name}" must be given once.`);
  return value;
}

function modeQuery(req: Request): string | undefined {
  const value = query(req, "mode");
  if (value !== undefined && value !== "live" && value !== "replay") {
    throw new ApiError("FD355", `Query parameter "mode" must be live or replay, got "${value}".`);
  }
  return value;
}

// The same words as the analytics routes' `testRuns` (analytics-window.ts); here `include`, listing both, is the
// default, since a run's history is where staff look for their test runs too.
function testRunsQuery(req: Request): "exclude" | "only" | undefined {
  const value = query(req, "testRuns");
  if (value !== undefined && value !== "exclude" && value !== "include" && value !== "only") {
    throw new ApiError(
      "FD355",
      `Query parameter "testRuns" must be exclude, include or only, got "${value}".`,
    );
  }
  return value === "include" ? undefined : value;
}

function isoQuery(req: Request, name: string): string | undefined {
  const value = query(req, name);
  if (value !== undefined && Number.isNaN(Date.parse(value))) {
    throw new ApiError("FD355", `Query parameter "${name}" must be an ISO 8601 time, got "${value}".`);
  }
  return value;
}

function uuidQuery(req: Request, name: string): string | undefined {
  const value = query(req, name);
  if (value !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new ApiError("FD355", `Query parameter "${name}" must be a run id (UUID), got "${value}".`);
  }
  return value;
}

function intQuery(req: Request, name: string, min: number, max: number, fallback: number): number {
  const value = query(req, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiError("FD355", `Query parameter "${name}" must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

const KNOWN_LIST_PARAMS = new Set([
  "status",
  "workflow",
  "version",
  "conversation",
  "channel",
  "mode",
  "testRuns",
  "since",
  "before",
  "beforeId",
  "limit",
]);

/**
 * Runs: list and filter, one run with its steps and events, start (published or draft), cancel, and replay
 * against another version with a comparison of routes and replies. Starting, cancelling and replaying need
 * editor; reading is for every member.
 */
export function runRoutes(db: Database, host: RunHost): RouteDefinition[] {
  const store: RunStore = createRunStore(db);

  async function runOr404(res: Response, id: string): Promise<RunRecord> {
    const { tenantId } = requireAuth(res);
    const run = /^[0-9a-f-]{36}$/i.test(id) ? await store.getRun(tenantId, id) : undefined;
    if (!run) throw new ApiError("FD322", "No such run.");
    return run;
  }

  /** A body's workflow fields as a target; the workflow named by name or id must exist in the tenant. */
  async function targetOf(
    res: Response,
    body: { workflow?: string; workflowId?: string; version?: number; draft?: boolean },
    fallbackName?: string,
  ): Promise<RunTarget> {
    const { tenantId } = requireAuth(res);
    const name = body.workflow ?? (body.workflowId ? undefined : fallbackName);
    const workflowId = await db.transaction(
      async (sql) =>
        (
          await sql.query<{ id: string }>(
            "SELECT id::text AS id FROM workflows WHERE deleted_at IS NULL AND (id::text = $1 OR name = $2)",
            [body.workflowId ?? "", name ?? ""],
          )
        ).rows[0]?.id,
      { tenantId },
    );
    if (!workflowId)
      throw new ApiError("FD322", "No such workflow: give `workflow` (its name) or `workflowId`.");
    if (body.draft) return { kind: "draft", workflowId };
    return body.version === undefined
      ? { kind: "published", workflowId }
      : { kind: "published", workflowId, version: body.version };
  }

  /** Staff actions on runs, audited after the fact: the run's own history is in its event log. */
  const audit = (res: Response, action: string, runId: string, detail: Record<string, unknown>) =>
    db.transaction(
      (sql) => recordAudit(sql, { ...auditActor(res), action, targetType: "run", targetId: runId, detail }),
      { tenantId: requireAuth(res).tenantId },
    );

  return [
    {
      method: "get",
      path: "/runs",
      summary:
        "The tenant's runs, newest first, each with costUsd, savedUsd, channelName and preview (the message that started it on one line, at most 120 characters). Filters: status, workflow, version, conversation, channel, mode (live | replay), testRuns (exclude | include | only: runs on channel `test`; include by default), since, before + beforeId (keyset paging: next, nextId), limit.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        for (const name of Object.keys(req.query)) {
          if (!KNOWN_LIST_PARAMS.has(name)) throw new ApiError("FD355", `Unknown query parameter "${name}".`);
        }
        const status = query(req, "status");
        if (status !== undefined && !RUN_STATUSES.includes(status)) {
          throw new ApiError("FD355", `Query parameter "status" must be one of ${RUN_STATUSES.join(", ")}.`);
        }
        const filters = {
          limit: intQuery(req, "limit", 1, MAX_PAGE, 50),
          ...(status ? { status } : {}),
          ...optional("workflow", query(req, "workflow")),
          ...optional("conversationId", query(req, "conversation")),
          ...optional("channel", query(req, "channel")),
          ...optional("mode", modeQuery(req)),
          ...testRunsFilter(testRunsQuery(req)),
          ...optional("since", isoQuery(req, "since")),
          ...optional("before", isoQuery(req, "before")),
          ...optional("beforeId", uuidQuery(req, "beforeId")),
          ...(query(req, "version") === undefined
            ? {}
            : { version: intQuery(req, "version", 1, 2 ** 31 - 1, 1) }),
        };
        const items = await db.transaction((sql) => listRuns(sql, filters), {
          tenantId: requireAuth(res).tenantId,
        });
        // The next page: `before=next&beforeId=nextId` (both, so runs sharing a created_at are not skipped).
        const last = items.length === filters.limit ? items[items.length - 1] : undefined;
        res.json({ items, next: last?.createdAt ?? null, nextId: last?.id ?? null });
      },
    },
    {
      method: "post",
      path: "/runs",
      summary:
        "Start a run of a workflow's latest (or given) published version, or of its draft; answers 202 at once.",
      auth: "user",
      role: "editor",
      body: StartRunBody,
      example: { workflow: "hello", draft: true, input: { message: "Hi" } },
      status: 202,
      handler: async (req, res) => {
        const body = req.body as Static<typeof StartRunBody>;
        const run = await host.start({
          tenantId: requireAuth(res).tenantId,
          target: await targetOf(res, body),
          input: body.input ?? {},
          channel: body.draft ? TEST_RUN_CHANNEL : "api",
          checkInput: true,
          ...(body.conversationId ? { conversationId: body.conversationId } : {}),
        });
        res.status(202).json(publicRun(run));
      },
    },
    {
      method: "get",
      path: "/runs/:id",
      resource: "runs",
      summary:
        "One run with its steps (the trace, each with costUsd and savedUsd), its event log, the run's costUsd and savedUsd, and channelName.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const run = await runOr404(res, String(req.params.id));
        const [steps, events, channelName] = await Promise.all([
          store.listSteps(run.tenantId, run.id),
          store.listEvents(run.tenantId, run.id),
          db.transaction((sql) => runChannelName(sql, run.tenantId, run.channel), { tenantId: run.tenantId }),
        ]);
        // Money per step and for the run (USD at the configured prices), next to the usage they come from.
        const priced = steps.map((step) => ({ ...step, ...stepMoney(step) }));
        res.json({
          ...publicRun(run),
          ...runMoney(steps),
          channelName,
          definition: run.definition,
          steps: priced,
          events,
        });
      },
    },
    {
      method: "get",
      path: "/runs/:id/events",
      resource: "runs",
      summary: "The run's events after sequence number `after` (default 0): how a client catches up.",
      auth: "user",
      status: 200,
      handler: async (req, res) => {
        const run = await runOr404(res, String(req.params.id));
        const after = intQuery(req, "after", 0, 2 ** 31 - 1, 0);
        res.json({ items: await store.listEvents(run.tenantId, run.id, after), status: run.status });
      },
    },
    {
      method: "post",
      path: "/runs/:id/cancel",
      resource: "runs",
      summary: "Cancel a run; an executing step is aborted. A run that already ended is answered as it is.",
      auth: "user",
      role: "editor",
      status: 200,
      handler: async (req, res) => {
        const run = await runOr404(res, String(req.params.id));
        if (TERMINAL_STATUSES.has(run.status)) {
          res.json(publicRun(run));
          return;
        }
        const cancelled = await host.cancel(run.tenantId, run.id, `cancelled by ${requireAuth(res).userId}`);
        await audit(res, "run.cancel", run.id, { from: run.status });
        res.json(publicRun(cancelled));
      },
    },
    {
      method: "post",
      path: "/runs/:id/replay",
      resource: "runs",
      summary:
        "Replay a run's inputs against another version (latest published by default, or the draft): the new run and a comparison of routes and replies.",
      auth: "user",
      role: "editor",
      body: ReplayBody,
      example: { draft: true, timeoutMs: 10_000 },
      status: 201,
      handler: async (req, res) => {
        const original = await runOr404(res, String(req.params.id));
        const body = req.body as Static<typeof ReplayBody>;
        const target = await targetOf(res, { ...body }, original.workflowName);
        const result = await replayRun(
          host,
          store,
          original,
          target,
          body.timeoutMs ?? DEFAULT_REPLAY_TIMEOUT_MS,
        );
        await audit(res, "run.replay", original.id, {
          replay: result.run.id,
          version: result.run.workflowVersion,
        });
        res.status(201).json({ run: publicRun(result.run), comparison: result.comparison });
      },
    },
  ];
}

function testRunsFilter(value: "exclude" | "only" | undefined) {
  return value === undefined ? {} : { testRuns: value };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
