import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "@flowdeck/runtime";
import { createAppMetrics } from "../src/metrics/app-metrics";
import { observeRunEvents } from "../src/metrics/run-metrics";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const FLOW = `name: tried_out
nodes:
  - { name: start, type: start }
  - { name: done, type: end, config: { reply: "Done." } }
edges:
  - { from: start, to: done }
`;

/** Every series of one metric family, as `{labels} value` lines. */
function series(text: string, name: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(`${name}{`));
}

// The editor's test runs (channel `test`) are staff trying a flow. Counted with customers' runs, they paged the
// on-call for a draft that failed on purpose and inflated traffic; left out, they would hide model spend the
// operator pays. So every run metric carries `test`, and the rules about customers select test="false".
describe("the editor's test runs in /metrics", () => {
  let server: TestServer;
  let owner: JsonBody;

  beforeAll(async () => {
    server = await startTestServer("pg");
    owner = (await registerAccount(server, { tenantName: "Tried out" })).body;
    const call = (method: string, path: string, body: unknown) =>
      server.request(method, path, { token: owner.accessToken, body });
    const created = await call("POST", "/workflows", { yaml: FLOW });
    if ((await call("POST", `/workflows/${created.body.id}/publish`, {})).status !== 201)
      throw new Error("the flow was not published");
    for (const body of [{ workflow: "tried_out" }, { workflow: "tried_out", draft: true }]) {
      const started = await call("POST", "/runs", body);
      if ((await server.runs.settled(owner.tenant.id, started.body.id, 10_000)).status !== "completed")
        throw new Error(`a run of ${JSON.stringify(body)} did not complete`);
    }
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it("counts a customer's run as test=false and a draft test run as test=true", async () => {
    const text = (await server.request("GET", "/metrics")).text;
    expect(series(text, "flowdeck_runs_started_total")).toEqual([
      'flowdeck_runs_started_total{test="false"} 1',
      'flowdeck_runs_started_total{test="true"} 1',
    ]);
    expect(series(text, "flowdeck_runs_finished_total")).toContain(
      'flowdeck_runs_finished_total{status="completed",test="true"} 1',
    );
    expect(series(text, "flowdeck_runs_finished_total")).toContain(
      'flowdeck_runs_finished_total{status="completed",test="false"} 1',
    );
    expect(series(text, "flowdeck_steps_total")).toEqual(
      expect.arrayContaining([
        'flowdeck_steps_total{node_type="end",outcome="completed",test="false"} 1',
        'flowdeck_steps_total{node_type="end",outcome="completed",test="true"} 1',
      ]),
    );
  });

  it("tells test runs apart in batches from workers, which carry the channel instead of the run", async () => {
    const metrics = createAppMetrics({ defaultMetrics: false });
    const events = [
      { type: "run.started", data: {}, at: "2026-12-06T10:00:00.000Z" },
      { type: "run.failed", data: {}, at: "2026-12-06T10:00:01.000Z" },
    ] as unknown as RunEvent[];
    const batch = (channel: string | undefined, conversationId = "c-1") => ({
      tenantId: "00000000-0000-4000-8000-000000000001",
      runId: "00000000-0000-4000-8000-000000000002",
      conversationId,
      ...(channel === undefined ? {} : { channel }),
      events,
    });
    observeRunEvents(metrics, batch("test"));
    observeRunEvents(metrics, batch("test"));
    observeRunEvents(metrics, batch("web:3f1c"));
    // From a worker older than the field: not a test run, unless its conversation marks a replay.
    observeRunEvents(metrics, batch(undefined));
    observeRunEvents(metrics, batch(undefined, "replay-6d2a"));
    observeRunEvents(metrics, batch("replay:00000000-0000-4000-8000-000000000003"));
    const text = await metrics.registry.metrics();
    expect(series(text, "flowdeck_runs_started_total")).toEqual([
      'flowdeck_runs_started_total{test="false"} 2',
      'flowdeck_runs_started_total{test="true"} 2',
    ]);
    expect(series(text, "flowdeck_runs_finished_total")).toContain(
      'flowdeck_runs_finished_total{status="failed",test="true"} 2',
    );
    expect(series(text, "flowdeck_tenant_runs_finished_total")).toContain(
      'flowdeck_tenant_runs_finished_total{tenant="00000000-0000-4000-8000-000000000001",status="failed",test="false"} 2',
    );
  });

  it("keeps the shipped failure-rate alert to customers' runs", () => {
    const alerts = readFileSync(new URL("../../deploy/observability/alerts.yml", import.meta.url), "utf8");
    const uses = alerts.match(/flowdeck_runs_\w+\{[^}]*\}|flowdeck_runs_\w+\[/g) ?? [];
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) expect(use).toContain('test="false"');
  });
});
