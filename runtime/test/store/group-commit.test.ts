import { describe, expect, it } from "vitest";
import { createGroupCommit, type ItemOutcome } from "../../src/store/group-commit";

/** A write that records its batches and answers only when the test releases it. */
function gatedWriter(fail?: (items: readonly number[]) => boolean) {
  const batches: { group: string; items: number[] }[] = [];
  const gates: (() => void)[] = [];
  const write = async (group: string, items: readonly number[]) => {
    batches.push({ group, items: [...items] });
    await new Promise<void>((release) => gates.push(release));
    if (fail?.(items)) throw new Error(`batch ${items.join(",")} failed`);
    return items.map((item): ItemOutcome<number> =>
      item < 0 ? { ok: false, error: new Error(`refused ${item}`) } : { ok: true, value: item * 10 },
    );
  };
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { batches, write, releaseAll };
}

describe("group commit", () => {
  it("writes a lone item at once and batches what arrives while a write is out", async () => {
    const writer = gatedWriter();
    const group = createGroupCommit({ write: writer.write, maxBatchItems: 3 });
    const results = [1, 2, 3, 4, 5, 6].map((item) => group.submit("t1", item));
    await writer.releaseAll();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(writer.batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it("keeps groups apart: one group's pending write does not hold another's", async () => {
    const writer = gatedWriter();
    const group = createGroupCommit({ write: writer.write, maxBatchItems: 10 });
    const a = group.submit("a", 1);
    const b = group.submit("b", 2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.batches).toEqual([
      { group: "a", items: [1] },
      { group: "b", items: [2] },
    ]);
    await writer.releaseAll();
    expect(await Promise.all([a, b])).toEqual([10, 20]);
  });

  it("answers each item alone: a refusal is that item's, and a failed batch is retried item by item", async () => {
    const writer = gatedWriter((items) => items.length > 1 || items[0] === 7);
    const group = createGroupCommit({ write: writer.write, maxBatchItems: 10 });
    const first = group.submit("t", 1);
    const rest = [2, -3, 7, 4].map((item) => group.submit("t", item));
    const outcomes = await Promise.allSettled([
      first,
      ...rest,
      writer.releaseAll().then(() => writer.releaseAll()),
    ]);
    expect(outcomes.slice(0, 5).map((o) => (o.status === "fulfilled" ? o.value : String(o.reason)))).toEqual([
      10,
      20,
      "Error: refused -3",
      "Error: batch 7 failed",
      40,
    ]);
    expect(writer.batches.map((batch) => batch.items)).toEqual([[1], [2, -3, 7, 4], [2], [-3], [7], [4]]);
  });
});
