/**
 * One lane per conversation: a customer who sends two messages quickly gets them handled in order, the second
 * only after the first one's activation has ended (the run waits again, or is done). Lanes of different
 * conversations never wait for each other.
 */
export interface ConversationLanes {
  /**
   * Runs `work` after everything queued in the lane. `work` answers at once with its result and a promise of
   * when the lane may move on; the caller gets the result without waiting for that.
   */
  enqueue<T>(key: string, work: () => Promise<{ result: T; done: Promise<unknown> }>): Promise<T>;
  /** Resolves when every lane is empty (shutdown). */
  idle(): Promise<void>;
}

export function createConversationLanes(): ConversationLanes {
  const tails = new Map<string, Promise<void>>();
  return {
    enqueue(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      const started = previous.then(work);
      const tail = started.then(({ done }) => done.then(ignore, ignore), ignore);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return started.then(({ result }) => result);
    },
    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}

function ignore(): void {}
