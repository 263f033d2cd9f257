/** How an activation holds its process: beside others (`shared`), or alone (`exclusive`). */
export type GateMode = "shared" | "exclusive";

/** Lets an activation go once its mode allows; the returned function lets the next ones go. */
export interface ActivationGate {
  enter(mode: GateMode): Promise<() => void>;
  /** Activations inside the gate now (tests). */
  readonly inside: () => number;
}

/**
 * A readers-writer lock over the activations of one process. A run whose earlier activation died with its
 * process executes alone: if it kills the process again, the runs that happened to execute beside it the
 * first time are not blamed a second time (they would be failed as poison with it). FIFO, and an exclusive
 * entrant holds back the shared ones behind it, so a steady stream of ordinary runs cannot starve it.
 */
export function createActivationGate(): ActivationGate {
  const queue: Array<{ mode: GateMode; admit: () => void }> = [];
  let shared = 0;
  let exclusive = false;

  function admitWaiting(): void {
    while (queue.length > 0) {
      const next = queue[0]!;
      if (exclusive || (next.mode === "exclusive" && shared > 0)) return;
      queue.shift();
      if (next.mode === "exclusive") exclusive = true;
      else shared += 1;
      next.admit();
    }
  }

  return {
    enter(mode) {
      return new Promise<() => void>((resolve) => {
        let left = false;
        const leave = () => {
          if (left) return;
          left = true;
          if (mode === "exclusive") exclusive = false;
          else shared -= 1;
          admitWaiting();
        };
        queue.push({ mode, admit: () => resolve(leave) });
        admitWaiting();
      });
    },
    inside: () => (exclusive ? 1 : shared),
  };
}
