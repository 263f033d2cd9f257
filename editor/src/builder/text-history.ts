/**
 * Undo and redo over whole YAML texts: canvas edits, form edits and typing all land here, so one stack covers
 * both views. Typing in one place (same coalesce key, within `coalesceWindowMs`) is one step, not one per key.
 */
export interface TextHistory {
  readonly past: readonly string[];
  readonly future: readonly string[];
  /** Key and time of the last recorded change, for coalescing. */
  readonly lastKey: string | undefined;
  readonly lastAtMs: number;
}

export const EMPTY_HISTORY: TextHistory = { past: [], future: [], lastKey: undefined, lastAtMs: 0 };

/** Default: keys typed less than a second apart in the same field are one undo step. */
export const DEFAULT_COALESCE_WINDOW_MS = 1000;
/** Older steps are dropped past this many, so a long session does not hold every text ever typed. */
export const DEFAULT_HISTORY_LIMIT = 200;

export interface RecordOptions {
  readonly coalesceKey?: string;
  readonly nowMs: number;
  readonly coalesceWindowMs?: number;
  readonly limit?: number;
}

/** Records that `previous` was replaced; returns the new history. */
export function recordChange(history: TextHistory, previous: string, options: RecordOptions): TextHistory {
  const window = options.coalesceWindowMs ?? DEFAULT_COALESCE_WINDOW_MS;
  const coalesce =
    options.coalesceKey !== undefined &&
    options.coalesceKey === history.lastKey &&
    options.nowMs - history.lastAtMs <= window &&
    history.past.length > 0;
  const limit = options.limit ?? DEFAULT_HISTORY_LIMIT;
  const past = coalesce ? history.past : [...history.past, previous].slice(-limit);
  return { past, future: [], lastKey: options.coalesceKey, lastAtMs: options.nowMs };
}

export function undoStep(
  history: TextHistory,
  current: string,
): { history: TextHistory; text: string } | undefined {
  const text = history.past[history.past.length - 1];
  if (text === undefined) return undefined;
  return {
    text,
    history: {
      past: history.past.slice(0, -1),
      future: [current, ...history.future],
      lastKey: undefined,
      lastAtMs: 0,
    },
  };
}

export function redoStep(
  history: TextHistory,
  current: string,
): { history: TextHistory; text: string } | undefined {
  const text = history.future[0];
  if (text === undefined) return undefined;
  return {
    text,
    history: {
      past: [...history.past, current],
      future: history.future.slice(1),
      lastKey: undefined,
      lastAtMs: 0,
    },
  };
}
