/**
 * Group commit: writes that arrive while an earlier write of the same group (a tenant) is out are sent
 * together, as one statement in one transaction, as soon as it answers. Nothing waits on a timer, so a lone
 * write goes out at once; under load the batch grows with the backlog, and PostgreSQL pays the transaction,
 * the round trip and the executor start-up once per batch instead of once per run. Reads batch the same way
 * (the run store's `getRun`): "write" below is whatever one batch's statement does.
 */
export interface GroupCommit<I, O> {
  /** Resolves with this item's own outcome: another item's failure never fails it. */
  submit(group: string, item: I): Promise<O>;
}

/** The outcome of one item of a batch, in the batch's order: a value, or the error that item alone gets. */
export type ItemOutcome<O> =
  { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

export interface GroupCommitOptions<I, O> {
  /** Writes the batch (one transaction) and says how each item fared; throwing fails the batch as a whole. */
  readonly write: (group: string, items: readonly I[]) => Promise<readonly ItemOutcome<O>[]>;
  /** The most items one batch carries. */
  readonly maxBatchItems: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const queues = new Map<string, Pending<I, O>[]>();
  const writing = new Set<string>();

  async function writeAlone(group: string, entry: Pending<I, O>): Promise<void> {
    try {
      settle(entry, (await options.write(group, [entry.item]))[0]);
    } catch (error) {
      entry.reject(error);
    }
  }

  async function drain(group: string): Promise<void> {
    writing.add(group);
    try {
      for (;;) {
        const queue = queues.get(group);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, options.maxBatchItems);
        try {
          const outcomes = await options.write(
            group,
            batch.map((entry) => entry.item),
          );
          batch.forEach((entry, index) => settle(entry, outcomes[index]));
        } catch (error) {
          // One item's bad data must not fail the others: a failed batch is retried one item at a time, and
          // each gets its own answer. A lone item's failure is its own.
          if (batch.length === 1) batch[0]!.reject(error);
          else for (const entry of batch) await writeAlone(group, entry);
        }
      }
    } finally {
      writing.delete(group);
      queues.delete(group);
    }
  }

  return {
    submit(group, item) {
      return new Promise<O>((resolve, reject) => {
        const queue = queues.get(group) ?? [];
        queue.push({ item, resolve, reject });
        queues.set(group, queue);
        if (!writing.has(group)) void drain(group);
      });
    },
  };
}

function settle<I, O>(entry: Pending<I, O>, outcome: ItemOutcome<O> | undefined): void {
  if (!outcome) entry.reject(new Error("group commit: the batch returned no outcome for an item"));
  else if (outcome.ok) entry.resolve(outcome.value);
  else entry.reject(outcome.error);
}
