import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createHarness, type Harness } from "../support/harness";
import type { RunRecord } from "../../src/engine/run-types";
import { REMEMBER_TOPIC_FLOW } from "../support/remember-topic-flow";

// A customer answers a reply as soon as it arrives; the run that answer starts must see what the replying
// run remembered. So memory is saved before the activation's end is published, not after.
describe.each(["pg", "pglite"] as const)("conversation memory before the reply (%s)", (kind) => {
  let h: Harness;
  let answered: Promise<RunRecord> | undefined;
  let answerTo: { runId: string; text: string } | undefined;

  beforeAll(async () => {
    h = await createHarness({
      kind,
      workflows: [REMEMBER_TOPIC_FLOW],
      // The customer's next message, sent from inside the publication of the first run's end.
      onEvents: (_tenant, runId, events, conversationId) => {
        if (runId !== answerTo?.runId || !events.some((e) => e.type === "run.completed")) return;
        answered = start(answerTo.text, conversationId);
      },
    });
  });
  afterAll(() => h.close());

  const start = (message: string, conversationId: string, runId?: string) =>
    h.engine.startRun({
      tenantId: h.tenantId,
      workflow: h.workflow("remember_topic"),
      input: { message },
      conversationId,
      channel: "web",
      deferStore: true,
      ...(runId ? { runId } : {}),
    });

  it("lets a run started by the published end of the last one read what that one kept", async () => {
    const conversationId = randomUUID();
    const runId = randomUUID();
    answerTo = { runId, text: "a refund" };
    const first = await start("my parcel", conversationId, runId);
    expect(await h.messages(first.id)).toEqual(["Last time: nothing."]);
    expect(answered).toBeDefined();
    const second = await answered!;
    expect(await h.messages(second.id)).toEqual(["Last time: my parcel."]);
  });
});
