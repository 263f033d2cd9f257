import type { NodeExecutor } from "@flowdeck/node-library/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness";
import { TEST_DATABASE_KINDS } from "../support/test-database";

/**
 * `settings.trace` (DESIGN.md §4): a successful run that changed nothing outside the engine keeps less; a failed
 * run, or one with an effect, keeps its whole trace whatever the setting.
 */
const flow = (name: string, trace: string) => `name: ${name}
settings: { trace: ${trace} }
nodes:
  - { name: start, type: start }
  - { name: remember, type: set, config: { values: { text: "{{ input.message }}" } } }
  - { name: is_number, type: condition, config: { expression: "vars.text == 'bad' ? int(vars.text) > 0 : false" } }
  - { name: done, type: end, config: { output: { echo: "{{ vars.text }}" } } }
edges:
  - { from: start, to: remember }
  - { from: remember, to: is_number }
  - { from: is_number, to: done, port: else }
`;

const EFFECTFUL = `name: effect_errors
settings: { trace: errors }
nodes:
  - { name: start, type: start }
  - { name: write, type: testkit.effect, config: { label: "once" } }
  - { name: done, type: end, config: { output: { ok: "yes" } } }
edges:
  - { from: start, to: write }
  - { from: write, to: done }
`;

describe.each(TEST_DATABASE_KINDS)("trace retention (%s)", (kind) => {
  let h: Harness;

  beforeAll(async () => {
    const effect: NodeExecutor = async () => ({ output: { done: true }, port: "out", effect: true });
    h = await createHarness({
      kind,
      workflows: [
        flow("keep_all", "all"),
        flow("keep_errors", "errors"),
        flow("keep_none", "none"),
        EFFECTFUL,
      ],
      executors: { "testkit.effect": effect },
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  const start = (workflow: string, message: string, extra: object = {}) =>
    h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow(workflow),
      input: { message },
      deferStore: true,
      ...extra,
    });

  it("keeps a successful pure run's whole trace under `all`", async () => {
    const run = await start("keep_all", "hello");
    expect(run.status).toBe("completed");
    expect((await h.store.listSteps(h.tenantId, run.id)).length).toBeGreaterThan(0);
    expect((await h.store.listEvents(h.tenantId, run.id))[0]!.type).toBe("run.created");
  });

  it("keeps only the summary of a successful pure run under `errors`: its row, no journal", async () => {
    const run = await start("keep_errors", "hello");
    const stored = await h.store.getRun(h.tenantId, run.id);
    expect(stored).toMatchObject({
      status: "completed",
      output: { output: { echo: "hello" } },
      input: { message: "hello" },
    });
    expect(await h.store.listEvents(h.tenantId, run.id)).toEqual([]);
    expect(await h.store.listSteps(h.tenantId, run.id)).toEqual([]);
  });

  it("keeps neither input, output nor turns under `none`, and still refuses a replayed message", async () => {
    const claim = { key: `webhook:${crypto.randomUUID()}`, duplicate: () => new Error("replayed") };
    const run = await start("keep_none", "my secret", { claim });
    const stored = await h.store.getRun(h.tenantId, run.id);
    expect(stored).toMatchObject({ status: "completed", input: {}, output: null });
    expect(stored!.state.conversation.history).toEqual([]);
    expect(await h.store.listEvents(h.tenantId, run.id)).toEqual([]);
    await expect(start("keep_none", "my secret", { claim })).rejects.toThrow("replayed");
  });

  it("keeps a failed run's whole trace under `none`", async () => {
    const run = await start("keep_none", "bad");
    expect(run.status).toBe("failed");
    const types = (await h.store.listEvents(h.tenantId, run.id)).map((event) => event.type);
    expect(types[0]).toBe("run.created");
    expect(types).toContain("run.failed");
    expect(await h.store.getRun(h.tenantId, run.id)).toMatchObject({ input: { message: "bad" } });
  });

  it("keeps the whole trace of a run with an effect under `errors`", async () => {
    const run = await start("effect_errors", "go");
    expect(run.status).toBe("completed");
    const steps = await h.store.listSteps(h.tenantId, run.id);
    expect(steps.map((step) => step.nodeName)).toEqual(["start", "write", "done"]);
  });
});
