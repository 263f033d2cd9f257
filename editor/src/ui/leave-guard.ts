// One place that knows whether leaving the current screen would lose work, so in-app navigation (the router's
// navigate, app/guarded-location.ts) can ask first. Screens with nothing to lose never register.

export interface LeaveGuard {
  /** True while leaving now would lose something. */
  blocks(): boolean;
  /** Shows the question; `leave` goes on to where the user was going. */
  ask(leave: () => void): void;
}

let current: LeaveGuard | undefined;

/** Returns the unregister function; a later guard replaces an earlier one (one screen at a time). */
export function installLeaveGuard(guard: LeaveGuard): () => void {
  current = guard;
  return () => {
    if (current === guard) current = undefined;
  };
}

export function leaveIsBlocked(): boolean {
  return current?.blocks() ?? false;
}

/** Leaves at once when nothing would be lost, else once the user confirms. */
export function requestLeave(leave: () => void): void {
  const guard = current;
  if (guard?.blocks()) guard.ask(leave);
  else leave();
}
