/**
 * Shared driver for the golden conversation tests (DESIGN.md §7): every workflow in `workflows/`, driven
 * through multi-turn chats on the offline provider and on the OpenAI-compatible test server.
 *
 * One harness (one database) per test file, because creating a PGlite database costs seconds. Inside it, each
 * provider gets its own seeded tenant ("Acme Outfitters" twice), so both providers see the same demo shop and
 * the same ticket numbers, and a conversation that cancels an order on one provider leaves the other's intact.
 * The harness takes one model gateway; a switchable gateway points it at the provider under test.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { ModelGateway, ResumeInput } from "@flowdeck/node-library/runtime";
import { expect } from "vitest";
import type { RunEvent, RunRecord, RunStatus, StepRecord } from "../../src/engine/run-types";
import { createModelGateway } from "../../src/models/model-gateway";
import { createCircuitBreakerRegistry } from "../../src/resilience/circuit-breakers";
import type { StoredEvent } from "../../src/store/run-store";
import type { FakeReply, FakeOpenAiServer, FakeRequest } from "../support/fake-openai-server";
import { startFakeOpenAiServer } from "../support/fake-openai-server";
import { createHarness, type Harness } from "../support/harness";
import type { TestDatabaseKind } from "../support/test-database";

export type ProviderName = "offline" | "openai";
export const PROVIDERS: readonly ProviderName[] = ["offline", "openai"];

const WORKFLOWS_DIR = new URL("../../../workflows/", import.meta.url);

/** Every workflow file, as the product ships them. */
export function workflowTexts(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((file) => file.endsWith(".yaml"))
    .sort()
    .map((file) => readFileSync(new URL(file, WORKFLOWS_DIR), "utf8"));
}

/** One provider's view of the shared harness: its tenant, its model gateway, the test server. */
export interface Golden {
  readonly provider: ProviderName;
  readonly h: Harness;
  readonly tenantId: string;
  /** The OpenAI-compatible test server; on the offline provider it must receive nothing. */
  readonly server: FakeOpenAiServer;
  /** The offline or the test-server expectation. */
  pick<T>(choices: { readonly offline: T; readonly openai: T }): T;
  /** Queues model replies on the test server; does nothing offline (no model is called there). */
  script(replies: readonly FakeReply[]): void;
  /** Rows from the tenant's tables, read as `flowdeck_app` under RLS. */
  query<Row extends object = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
}

export interface GoldenSuite {
  readonly h: Harness;
  readonly server: FakeOpenAiServer;
  /** Points the engine's model gateway at `provider`, resets the server, and returns that provider's view. */
  use(provider: ProviderName): Golden;
  close(): Promise<void>;
}

export async function createGoldenSuite(kind: TestDatabaseKind = "pglite"): Promise<GoldenSuite> {
  const server = await startFakeOpenAiServer();
  const gateways: Record<ProviderName, ModelGateway> = {
    offline: createModelGateway({ env: {} }),
    openai: createModelGateway({
      apiKey: "sk-test",
      baseURL: server.url,
      env: {},
      // Own breakers and no waiting: one test's failure must not trip another's, nor slow the suite.
      circuitBreakers: createCircuitBreakerRegistry(),
      baseBackoffMs: 1,
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    }),
  };
  let current: ModelGateway = gateways.offline;
  const switchable: ModelGateway = {
    get provider() {
      return current.provider;
    },
    get offline() {
      return current.offline;
    },
    complete: (request, options) => current.complete(request, options),
  };
  const h = await createHarness({ kind, workflows: workflowTexts(), seed: true, models: switchable });
  const tenants: Record<ProviderName, string> = {
    offline: h.tenantId,
    openai: await h.database.createTenant("Acme Outfitters", { seed: true }),
  };
  return {
    h,
    server,
    use(provider) {
      current = gateways[provider];
      server.reset();
      const tenantId = tenants[provider];
      return {
        provider,
        h,
        tenantId,
        server,
        pick: (choices) => choices[provider],
        script(replies) {
          if (provider === "openai") server.script(replies);
        },
        async query<Row extends object>(text: string, params: readonly unknown[] = []) {
          const result = await h.database.db.transaction((sql) => sql.query<Row>(text, params), { tenantId });
          return result.rows;
        },
      };
    },
    async close() {
      await h.close();
      await server.close();
    },
  };
}

// ── conversations ───────────────────────────────────────────────────────────────────────────────────────

/** What the customer (or, after a handoff, a member of staff) does next. */
export type Turn =
  string | { readonly handback: { readonly agentReply?: string; readonly resolved: boolean } };

export interface TurnResult {
  /** What the customer typed (or `handback`). */
  readonly said: string;
  /** Messages the bot sent in this activation, in order. */
  readonly replies: string[];
  readonly status: RunStatus;
}

export interface Conversation {
  readonly runId: string;
  readonly run: RunRecord;
  /** Turn 0 is the opening message; then one per answer. */
  readonly turns: TurnResult[];
  /** Every message the bot sent, in order. */
  readonly replies: string[];
  readonly steps: StepRecord[];
  readonly events: StoredEvent[];
}

/**
 * Starts `workflow` with the opening message, then answers it turn by turn. Before each answer it asserts that
 * the run is parked where that answer belongs: `waiting` for a message, `handoff` for a hand-back.
 */
export async function converse(
  g: Golden,
  workflow: string,
  opening: string | { readonly message: string; readonly customer_email?: string },
  answers: readonly Turn[] = [],
): Promise<Conversation> {
  const input = typeof opening === "string" ? { message: opening } : { ...opening };
  let run = await g.h.engine.startRun({
    tenantId: g.tenantId,
    workflow: g.h.workflow(workflow),
    input,
    channel: "web",
  });
  let sent = 0;
  const turns: TurnResult[] = [];
  const collect = async (said: string) => {
    const replies = await botMessages(g, run.id);
    turns.push({ said, replies: replies.slice(sent), status: run.status });
    sent = replies.length;
  };
  await collect(input.message);
  for (const [index, answer] of answers.entries()) {
    const resume: ResumeInput =
      typeof answer === "string"
        ? { kind: "message", text: answer }
        : { kind: "handback", resolved: answer.handback.resolved, agentReply: answer.handback.agentReply };
    expect(run.status, `before answer ${index + 1} (${JSON.stringify(answer)})`).toBe(
      resume.kind === "message" ? "waiting" : "handoff",
    );
    run = await g.h.engine.resumeRun(g.tenantId, run.id, resume);
    await collect(typeof answer === "string" ? answer : "handback");
  }
  const steps = await g.h.store.listSteps(g.tenantId, run.id);
  const events = await g.h.store.listEvents(g.tenantId, run.id);
  return { runId: run.id, run, turns, replies: turns.flatMap((t) => t.replies), steps, events };
}

/** Messages sent to the customer in a run, from the committed event log. */
export async function botMessages(g: Golden, runId: string): Promise<string[]> {
  const events = await g.h.store.listEvents(g.tenantId, runId);
  return events.filter((e) => e.type === "message.sent").map((e) => String(e.data.text));
}

/** The node path, golden-file style: `classify_intent#1:out`, `faq_flow#1/answer#1:out`, … (`main/` dropped). */
export function trace(c: Conversation): string[] {
  return c.steps.map((s) => `${s.stepId.replace(/^main\//, "")}${s.port ? `:${s.port}` : ""}`);
}

/** The step with this id (`main/` may be left out). Fails the test when it is missing. */
export function step(c: Conversation, stepId: string): StepRecord {
  const id = stepId.startsWith("main/") ? stepId : `main/${stepId}`;
  const found = c.steps.find((s) => s.stepId === id);
  expect(found, `step ${id} in ${trace(c).join(" → ")}`).toBeDefined();
  return found!;
}

/** The text streamed as `token` events for one step (live events, not stored). */
export function streamed(g: Golden, runId: string, stepId: string): string {
  const id = stepId.startsWith("main/") ? stepId : `main/${stepId}`;
  return g.h.events
    .filter((e) => e.runId === runId && e.event.type === "token" && e.event.data.stepId === id)
    .map((e) => String(e.event.data.text))
    .join("");
}

/** The data of the run's single event of this type. */
export function eventData(c: Conversation, type: RunEvent["type"]): Record<string, unknown> {
  const matching = c.events.filter((e) => e.type === type);
  expect(matching, `${type} events`).toHaveLength(1);
  return matching[0]!.data;
}

// ── the test server ─────────────────────────────────────────────────────────────────────────────────────

/** `router` for the LLM tier's structured intent call, `agent` for an agent node's (streamed) answer. */
export function requestKinds(g: Golden): string[] {
  return g.server.requests.map((r) => `${isRouterRequest(r) ? "router" : "agent"}:${r.model}`);
}

function isRouterRequest(request: FakeRequest): boolean {
  return request.body.response_format !== undefined && !request.stream;
}

/** An agent's scripted answer with fixed token counts, so the step's usage and cost are exact. */
export function agentReply(text: string, promptTokens = 900, completionTokens = 60): FakeReply {
  return { text, usage: { promptTokens, completionTokens } };
}

/** The router LLM tier's structured answer. */
export function intentReply(intent: string, confidence = 0.9): FakeReply {
  return { json: { intent, confidence }, usage: { promptTokens: 400, completionTokens: 12 } };
}

/** USD for gpt-4o-mini (0.15 / 0.60 per million tokens), the model every support node uses. */
export function miniCost(promptTokens: number, completionTokens: number): number {
  return (promptTokens * 0.15 + completionTokens * 0.6) / 1_000_000;
}

/** The usage an agent step records: exact on the test server, estimated and free offline. */
export function expectedUsage(g: Golden, promptTokens = 900, completionTokens = 60): unknown {
  return g.pick({
    offline: { promptTokens: expect.any(Number), completionTokens: expect.any(Number), costUsd: 0 },
    openai: {
      promptTokens,
      completionTokens,
      costUsd: expect.closeTo(miniCost(promptTokens, completionTokens), 12),
    },
  });
}
