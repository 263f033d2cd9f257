import type { Workflow } from "@flowdeck/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { definitionSnapshot, SNAPSHOT_TRUST_MS } from "../../src/store/definition-snapshots";
import { deleteUnusedDefinitions } from "../../src/store/run-retention";
import { createRunStore, type SqlRunStore } from "../../src/store/sql-run-store";
import { createTestDatabase, TEST_DATABASE_KINDS, type TestDatabase } from "../support/test-database";
import { holdRowLocks, untilWaiting } from "../support/held-row-locks";
import { newRun, TINY_WORKFLOW } from "./run-fixtures";

const HOUR_MS = 3_600_000;

/** A draft as the editor's test panel runs it: a new text per edit. */
const draft = (edit: string): Workflow => ({
  ...TINY_WORKFLOW,
  nodes: [TINY_WORKFLOW.nodes[0]!, { name: "done", type: "end", config: { reply: `Bye (${edit})` } }],
});
const hashOf = (definition: Workflow) => definitionSnapshot(definition).hash;

// Retention deletes the definition snapshots no run points at (migration 0015); a store trusts a snapshot, and
// writes runs with its hash only, for an hour after it stored it or marked it used (definition-snapshots.ts).
describe.each(TEST_DATABASE_KINDS)("unused definition snapshots (%s)", (kind) => {
  let testDb: TestDatabase;
  let tenantId: string;
  let clockMs = Date.now();
  let store: SqlRunStore;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    tenantId = await testDb.createTenant("Acme Outfitters");
    store = createRunStore(testDb.db, { clockMs: () => clockMs });
  });

  afterAll(async () => {
    await testDb?.close();
  });

  const owner = <T>(work: Parameters<TestDatabase["db"]["ownerTransaction"]>[0]) =>
    testDb.db.ownerTransaction(work) as Promise<T>;
  const runOf = async (definition: Workflow) => (await store.createRun(newRun(tenantId, { definition }))).id;
  const deleteRun = (runId: string) =>
    owner((sql) => sql.query("DELETE FROM runs WHERE tenant_id = $1 AND id = $2", [tenantId, runId]));
  /** As if `hours` passed since a writer last marked it used. */
  const unusedFor = (definition: Workflow, hours: number) =>
    owner((sql) =>
      sql.query(
        "UPDATE run_definitions SET used_at = now() - make_interval(hours => $3) WHERE tenant_id = $1 AND hash = $2",
        [tenantId, hashOf(definition), hours],
      ),
    );
  const usedHoursAgo = async (definition: Workflow): Promise<number | undefined> => {
    const { rows } = await owner<{ rows: { hours: number }[] }>((sql) =>
      sql.query(
        "SELECT extract(epoch FROM now() - used_at)::float8 / 3600 AS hours FROM run_definitions WHERE tenant_id = $1 AND hash = $2",
        [tenantId, hashOf(definition)],
      ),
    );
    return rows[0]?.hours;
  };
  const prune = () =>
    owner<number>(async (sql) => {
      await sql.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      return deleteUnusedDefinitions(sql, tenantId, 100);
    });
  /** A run read by a process that has seen none of these snapshots (a worker, a restarted server). */
  const readFresh = (runId: string) => createRunStore(testDb.db).getRun(tenantId, runId);

  it("deletes a snapshot no run points at once unused for a day, and keeps the others", async () => {
    const [pointed, orphan, recent] = [draft("pointed"), draft("orphan"), draft("recent")];
    const kept = await runOf(pointed);
    await deleteRun(await runOf(orphan));
    await deleteRun(await runOf(recent));
    await unusedFor(pointed, 48);
    await unusedFor(orphan, 48);

    expect(await prune()).toBe(1);
    expect(await usedHoursAgo(orphan)).toBeUndefined();
    expect(await usedHoursAgo(pointed)).toBeGreaterThan(47);
    expect(await usedHoursAgo(recent)).toBeLessThan(1);
    expect((await readFresh(kept))?.definition).toEqual(pointed);
    expect(await prune()).toBe(0);
  });

  it("stores a deleted snapshot again for a run made once its trust ran out", async () => {
    const definition = draft("deleted");
    await deleteRun(await runOf(definition));
    // A day later: this process's trust ended long ago, and nothing used the snapshot since.
    clockMs += 25 * HOUR_MS;
    await unusedFor(definition, 25);
    expect(await prune()).toBe(1);

    const runId = await runOf(definition);
    expect((await readFresh(runId))?.definition).toEqual(definition);
  });

  it("marks a snapshot used when its trust runs out, and not while it lasts", async () => {
    const definition = draft("marked");
    await runOf(definition);
    await unusedFor(definition, 2);
    // Still trusted: the run carries the hash only, so the mark stays where it was.
    clockMs += SNAPSHOT_TRUST_MS / 2;
    await runOf(definition);
    expect(await usedHoursAgo(definition)).toBeGreaterThan(1.9);
    // Trust over: the run carries the text again, and the conflict marks the snapshot used.
    clockMs += SNAPSHOT_TRUST_MS / 2 + 1;
    await runOf(definition);
    expect(await usedHoursAgo(definition)).toBeLessThan(0.1);
  });

  it("refuses any change to a snapshot but its mark", async () => {
    const definition = draft("immutable");
    await runOf(definition);
    await expect(
      testDb.db.transaction(
        (sql) =>
          sql.query("UPDATE run_definitions SET definition = '{}'::jsonb WHERE hash = $1", [
            hashOf(definition),
          ]),
        { tenantId },
      ),
    ).rejects.toThrow();
    await expect(
      owner((sql) =>
        sql.query("UPDATE run_definitions SET definition = '{}'::jsonb WHERE hash = $1", [
          hashOf(definition),
        ]),
      ),
    ).rejects.toThrow(/immutable except used_at/);
  });

  // One connection at a time on PGlite: the race needs two.
  it.skipIf(kind === "pglite")(
    "does not delete a snapshot a writer marks used while the delete waits for its row",
    async () => {
      const definition = draft("raced");
      await deleteRun(await runOf(definition));
      await unusedFor(definition, 48);
      // What the snapshot insert's conflict does for a writer whose trust ran out, held open until the delete waits.
      const mark = await holdRowLocks(
        testDb.db,
        "UPDATE run_definitions SET used_at = now() WHERE tenant_id = $1 AND hash = $2",
        [tenantId, hashOf(definition)],
      );
      const pruned = prune();
      await untilWaiting();
      await mark.release();
      expect(await pruned).toBe(0);
      expect(await usedHoursAgo(definition)).toBeLessThan(0.1);
    },
  );
});
