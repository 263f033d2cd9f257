import type { Database } from "../../src/store/database";

/**
 * Runs `statement` in an owner transaction and keeps that transaction open, holding the row locks it took,
 * until `release()` commits it: for tests of a statement that must wait for a concurrent writer and then
 * re-check what it read. Needs a second connection (pg, not PGlite).
 */
export async function holdRowLocks(
  db: Database,
  statement: string,
  params: readonly unknown[],
): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const transaction = db.ownerTransaction(async (sql) => {
    await sql.query(statement, [...params]);
    locked();
    await held;
  });
  await Promise.race([lockTaken, transaction]);
  return {
    async release() {
      release();
      await transaction;
    },
  };
}

/** Lets a statement started just before reach the lock it will wait for. */
export const untilWaiting = () => new Promise((resolve) => setTimeout(resolve, 200));
