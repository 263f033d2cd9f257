import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { silentLogger } from "@flowdeck/runtime";
import { TEST_DATABASE_KINDS } from "../../runtime/test/support/test-database";
import { ASK_NAME_FLOW } from "../../runtime/test/support/ask-name-flow";
import { PLAN_LIMITS } from "../src/plans/plan-limits";
import { createRunRetention } from "../src/runs/run-retention";
import { registerAccount, startTestServer, type JsonBody, type TestServer } from "./support/test-server";

const FREE_DAYS = PLAN_LIMITS.free.runHistoryDays;
const PRO_DAYS = PLAN_LIMITS.pro.runHistoryDays;

describe.each(TEST_DATABASE_KINDS)("run history retention on %s", (kind) => {
  let server: TestServer;
  const tenants: Record<"free" | "pro", JsonBody> = { free: undefined, pro: undefined };
  const workflowIds: Record<"free" | "pro", string> = { free: "", pro: "" };

  beforeAll(async () => {
    server = await startTestServer(kind);
    for (const plan of ["free", "pro"] as const) {
      tenants[plan] = (await registerAccount(server, { plan })).body;
      const created = await call(plan, "POST", "/workflows", { yaml: ASK_NAME_FLOW });
      workflowIds[plan] = created.body.id;
      const published = await call(plan, "POST", `/workflows/${created.body.id}/publish`, {});
      if (published.status !== 201) throw new Error(`publish failed: ${published.text}`);
    }
  }, 60_000);
  afterAll(() => server?.close());

  function call(plan: "free" | "pro", method: string, path: string, body?: unknown) {
    const token = tenants[plan].accessToken as string;
    return server.request(method, path, { token, ...(body === undefined ? {} : { body }) });
  }
  const tenantId = (plan: "free" | "pro") => tenants[plan].tenant.id as string;
  const owner = <T>(text: string, params: unknown[] = []) =>
    server.testDb.db.ownerTransaction((sql) => sql.query<T & object>(text, params));

  /** A run of greeter left waiting at its question; with `answer`, answered and completed. */
  async function run(plan: "free" | "pro", answer?: string): Promise<{ id: string; conversationId: string }> {
    const started = await call(plan, "POST", "/runs", { workflow: "greeter", input: {} });
    expect(started.status).toBe(202);
    const waiting = await server.runs.settled(tenantId(plan), started.body.id, 10_000);
    expect(waiting.status).toBe("waiting");
    if (answer !== undefined) {
      const { run: asked } = await server.runs.message({
        tenantId: tenantId(plan),
        target: { kind: "published", workflowId: workflowIds[plan] },
        conversationId: waiting.conversationId,
        channel: "api",
        text: answer,
      });
      const done = await server.runs.settled(tenantId(plan), asked.id, 10_000, asked.stateVersion);
      expect(done.status).toBe("completed");
    }
    return { id: waiting.id, conversationId: waiting.conversationId };
  }

  /** Moves a run's creation and last change `days` into the past (its last change `touchedDays`, when given). */
  async function age(runId: string, days: number, touchedDays = days): Promise<void> {
    await owner(
      `UPDATE runs SET created_at = now() - make_interval(days => $2), updated_at = now() - make_interval(days => $3)
        WHERE id = $1`,
      [runId, days, touchedDays],
    );
  }

  const journalRows = async (runId: string) =>
    Number(
      (await owner<{ n: string }>("SELECT count(*) AS n FROM run_journal WHERE run_id = $1", [runId]))
        .rows[0]!.n,
    );
  const exists = async (plan: "free" | "pro", runId: string) => {
    const res = await call(plan, "GET", `/runs/${runId}`);
    expect([200, 404]).toContain(res.status);
    return res.status === 200;
  };

  it("deletes what each plan no longer keeps, with its journal, and keeps open work, cases and recent history", async () => {
    const past = FREE_DAYS + 5;
    // Free plan: three old finished or idle runs (more than a batch of two), and what must stay.
    const oldDone = await run("free", "Ada");
    const oldDone2 = await run("free", "Grace");
    const oldWaiting = await run("free");
    const recentDone = await run("free", "Linus");
    const touchedLately = await run("free", "Barbara");
    const answerPending = await run("free");
    const withPerson = await run("free");
    const savedAsCase = await run("free", "Margaret");
    for (const r of [oldDone, oldDone2, oldWaiting, answerPending, withPerson, savedAsCase])
      await age(r.id, past);
    // A regression case is replayed from the run it was saved from, however old.
    const saved = await call("free", "POST", `/workflows/${workflowIds.free}/regression-cases`, {
      name: "Greets by name",
      runId: savedAsCase.id,
    });
    expect(saved.status).toBe(201);
    await age(touchedLately.id, past, 2);
    // An answer recorded and not applied yet (its outbox row not dispatched), and a run a person holds.
    await owner("INSERT INTO run_outbox (tenant_id, run_id, kind) VALUES ($1, $2, 'run.resume')", [
      tenantId("free"),
      answerPending.id,
    ]);
    await owner("UPDATE runs SET status = 'handoff' WHERE id = $1", [withPerson.id]);
    // Pro plan (90 days): the same age stays, an older one goes.
    const proKept = await run("pro", "Ken");
    const proOld = await run("pro", "Dennis");
    await age(proKept.id, past);
    await age(proOld.id, PRO_DAYS + 1);
    expect(await journalRows(oldDone.id)).toBeGreaterThan(0);

    // Memory, webhook message ids and handoff transcripts of the free tenant, old and new.
    const free = tenantId("free");
    const oldConversation = randomUUID();
    const freshConversation = randomUUID();
    await owner(
      `INSERT INTO conversation_memory (tenant_id, conversation_id, memory, updated_at)
       VALUES ($1, $2, '{"topic": "old"}', now() - make_interval(days => $4)), ($1, $3, '{"topic": "new"}', now())`,
      [free, oldConversation, freshConversation, past],
    );
    const channel = randomUUID();
    await owner(
      `INSERT INTO message_claims (tenant_id, claim_key, conversation_id, claimed_at)
       VALUES ($1, 'chat:' || $2 || ':old-message', 'c-old', now() - make_interval(days => $3)),
              ($1, 'chat:' || $2 || ':new-message', 'c-new', now())`,
      [free, channel, past],
    );
    // The relays of two chat webhook turns, settled long ago and now (migration 1027): kept as long as the claims.
    await owner(
      `INSERT INTO webhook_relays (tenant_id, channel_id, conversation_id, run_id, from_seq, relayed_seq,
                                   lease_until, give_up_at, settled_at, created_at)
       VALUES ($1, $2, 'c-old', $3, 1, 4, 'infinity', now(), now(), now() - make_interval(days => $5)),
              ($1, $2, 'c-new', $4, 1, 4, 'infinity', now(), now(), now())`,
      [free, channel, oldDone.id, recentDone.id, past],
    );
    await owner(
      `INSERT INTO chat_messages (tenant_id, conversation_id, run_id, author, text, created_at)
       VALUES ($1, $2, $3, 'customer', 'old, bot gone', now() - make_interval(days => $6)),
              ($1, $4, $5, 'customer', 'old, with a person', now() - make_interval(days => $6))`,
      [free, oldWaiting.conversationId, oldWaiting.id, withPerson.conversationId, withPerson.id, past],
    );
    // Why two customers got the fallback text, long ago and now, and a staff action as old: only the old note goes.
    await owner(
      `INSERT INTO audit_log (tenant_id, actor_id, action, target_type, target_id, detail, at)
       VALUES ($1, NULL, 'chat.fallback', 'conversation', 'c-old', '{"code": "FD350"}', now() - make_interval(days => $2)),
              ($1, NULL, 'chat.fallback', 'conversation', 'c-new', '{"code": "FD350"}', now()),
              ($1, NULL, 'workflow.publish', 'workflow', 'w-1', '{}', now() - make_interval(days => $2))`,
      [free, past],
    );

    // A snapshot of a draft whose runs are gone, unused for two days; the runs' own snapshot stays.
    await owner(
      `INSERT INTO run_definitions (tenant_id, hash, definition, used_at)
       VALUES ($1, 'orphan-draft', '{"name": "orphan"}', now() - interval '2 days')`,
      [free],
    );

    const retention = createRunRetention({ db: server.testDb.db, log: silentLogger, batchRows: 2 });
    const deleted = await retention.runOnce();

    for (const gone of [oldDone, oldDone2, oldWaiting]) {
      expect(await exists("free", gone.id)).toBe(false);
      expect(await journalRows(gone.id)).toBe(0);
    }
    for (const kept of [recentDone, touchedLately, answerPending, withPerson, savedAsCase])
      expect(await exists("free", kept.id)).toBe(true);
    expect(await exists("pro", proKept.id)).toBe(true);
    expect(await exists("pro", proOld.id)).toBe(false);
    expect(await journalRows(proOld.id)).toBe(0);
    expect(await journalRows(recentDone.id)).toBeGreaterThan(0);

    const memory = await owner<{ conversation_id: string }>(
      "SELECT conversation_id FROM conversation_memory WHERE tenant_id = $1",
      [free],
    );
    expect(memory.rows.map((row) => row.conversation_id)).toEqual([freshConversation]);
    const claims = await owner<{ claim_key: string }>(
      "SELECT claim_key FROM message_claims WHERE claim_key LIKE 'chat:' || $1 || ':%'",
      [channel],
    );
    expect(claims.rows.map((row) => row.claim_key)).toEqual([`chat:${channel}:new-message`]);
    const relays = await owner<{ conversation_id: string }>(
      "SELECT conversation_id FROM webhook_relays WHERE tenant_id = $1",
      [free],
    );
    expect(relays.rows.map((row) => row.conversation_id)).toEqual(["c-new"]);
    const messages = await owner<{ text: string }>("SELECT text FROM chat_messages WHERE tenant_id = $1", [
      free,
    ]);
    expect(messages.rows.map((row) => row.text)).toEqual(["old, with a person"]);
    const audit = await owner<{ target_id: string }>(
      "SELECT target_id FROM audit_log WHERE tenant_id = $1 AND target_id IN ('c-old', 'c-new', 'w-1') ORDER BY target_id",
      [free],
    );
    expect(audit.rows.map((row) => row.target_id)).toEqual(["c-new", "w-1"]);
    const outbox = await owner<{ run_id: string }>(
      "SELECT run_id::text FROM run_outbox WHERE tenant_id = $1",
      [free],
    );
    expect(outbox.rows.map((row) => row.run_id)).not.toContain(oldWaiting.id);
    const snapshots = await owner<{ hash: string }>("SELECT hash FROM run_definitions WHERE tenant_id = $1", [
      free,
    ]);
    expect(snapshots.rows.map((row) => row.hash)).not.toContain("orphan-draft");
    expect(snapshots.rows.length).toBeGreaterThan(0);
    // 4 runs, 1 memory row, 1 message id, 1 relay, 1 transcript message, 1 fallback note, 1 snapshot; a second
    // pass finds nothing more.
    expect(deleted).toBe(10);
    expect(await retention.runOnce()).toBe(0);
    await retention.stop();
  });

  it("prunes in one process at a time: another skips while the lease is held, and takes it once free", async () => {
    const first = createRunRetention({ db: server.testDb.db, log: silentLogger });
    const second = createRunRetention({ db: server.testDb.db, log: silentLogger });
    const oldRun = async () => {
      const done = await run("free", "Grace");
      await age(done.id, FREE_DAYS + 1);
      return done.id;
    };
    try {
      const a = await oldRun();
      expect(await first.runOnce()).toBeGreaterThan(0);
      expect(await exists("free", a)).toBe(false);

      const b = await oldRun();
      expect(await second.runOnce()).toBe(0);
      expect(await exists("free", b)).toBe(true);
      // Its holder renews it: the next pass of the first process prunes.
      expect(await first.runOnce()).toBeGreaterThan(0);
      expect(await exists("free", b)).toBe(false);

      // A holder that died keeps it only until it expires.
      await owner("UPDATE maintenance_leases SET expires_at = now() - interval '1 second'");
      const c = await oldRun();
      expect(await second.runOnce()).toBeGreaterThan(0);
      expect(await exists("free", c)).toBe(false);

      // One that stops gives it back at once.
      await second.stop();
      const d = await oldRun();
      expect(await first.runOnce()).toBeGreaterThan(0);
      expect(await exists("free", d)).toBe(false);
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  it("makes its first pass soon after it starts, not an interval later", async () => {
    const old = await run("free", "Alan");
    await age(old.id, FREE_DAYS + 1);
    const retention = createRunRetention({ db: server.testDb.db, log: silentLogger, firstPassDelayMs: 20 });
    retention.start();
    try {
      await vi.waitFor(async () => expect(await exists("free", old.id)).toBe(false), { timeout: 5_000 });
    } finally {
      await retention.stop();
    }
  });

  it("shows how long the plan keeps run history at /tenants/current", async () => {
    const res = await call("free", "GET", "/tenants/current");
    expect(res.body.limits).toMatchObject({ runHistoryDays: FREE_DAYS });
  });
});
