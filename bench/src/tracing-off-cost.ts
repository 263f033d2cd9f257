/**
 * What tracing costs when it is off (no OTEL_EXPORTER_OTLP_ENDPOINT, no SDK registered): the no-op spans a
 * webhook request makes (one HTTP span, one activation, one per step) and the log's trace lookup, timed in this
 * process against the same work without them. `node --import tsx bench/src/tracing-off-cost.ts`.
 */
import type { NextFunction, Request, Response } from "express";
import { EventEmitter } from "node:events";
import { inActivationSpan } from "../../runtime/src/telemetry/activation-span";
import { inStepSpan } from "../../runtime/src/telemetry/step-span";
import { activeTraceCarrier } from "../../runtime/src/telemetry/trace-carrier";
import type { RunRecord } from "../../runtime/src/engine/run-types";
import { httpTracing } from "../../server/src/telemetry/http-tracing";
import { traceFields } from "../../server/src/telemetry/trace-fields";

const ITERATIONS = 200_000;
const STEPS = 4; // the webhook bench's flow: start → set → condition → end
const run = {
  tenantId: "t",
  id: "r",
  workflowName: "echo_router",
  workflowVersion: 1,
  conversationId: "c",
  status: "queued",
} as unknown as RunRecord;
const node = { name: "n", type: "set" } as never;
const middleware = httpTracing();
const req = {
  method: "POST",
  originalUrl: "/webhooks/x?y=1",
  headers: {},
  protocol: "http",
} as unknown as Request;
const res = Object.assign(new EventEmitter(), { locals: {}, statusCode: 200 }) as unknown as Response;

async function traced(): Promise<void> {
  await new Promise<void>((resolve) => middleware(req, res, resolve as NextFunction));
  await inActivationSpan(run, async () => {
    for (let i = 0; i < STEPS; i += 1) await inStepSpan(node, "s", async () => ({ ok: true, attempts: 1 }));
  });
  traceFields();
  traceFields();
  activeTraceCarrier();
}

async function bare(): Promise<void> {
  await new Promise<void>((resolve) => resolve());
  await (async () => {
    for (let i = 0; i < STEPS; i += 1) await (async () => ({ ok: true, attempts: 1 }))();
  })();
}

async function time(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i += 1) await work();
  return Number(process.hrtime.bigint() - start) / ITERATIONS / 1_000;
}

const rounds: Array<{ traced: number; bare: number }> = [];
for (let round = 0; round < 5; round += 1)
  rounds.push({ bare: await time(bare), traced: await time(traced) });
const best = (key: "traced" | "bare") => Math.min(...rounds.map((r) => r[key]));
process.stdout.write(
  `tracing off, per webhook request (1 HTTP span, 1 activation, ${STEPS} step spans, 2 log lookups, 1 job carrier): ` +
    `${best("traced").toFixed(2)} µs with the no-op spans, ${best("bare").toFixed(2)} µs without; ` +
    `cost ${(best("traced") - best("bare")).toFixed(2)} µs (best of 5 rounds of ${ITERATIONS})\n`,
);
