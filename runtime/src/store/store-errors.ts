/**
 * Store and domain-table error codes (FD260–FD279; DESIGN.md §7). Each code has a one-line fix hint. The
 * engine's `describeError` keeps any `FDxxx` code it finds on an error, so these reach the step trace as is.
 */
export const STORE_ERRORS = {
  FD260:
    "Another writer committed this run first (run moved on); reload the run and continue from its state.",
  FD261: "There is no such run for this tenant; check the run id and the tenant id.",
  FD262: "A tenant id must be a UUID; pass the id of an existing tenant.",
  FD263: "A migration file changed after it was applied; add a new migration instead of editing an old one.",
  FD264: "This idempotency key was already used for another kind of operation; use one key per step.",
  FD265: "The database is closed; open a new one.",
  FD266:
    "A statement came after a transaction's commitWith; make commitWith the transaction's last statement.",
  FD267:
    "A run points at a definition snapshot that is not stored; restore run_definitions from a backup (retention deletes only snapshots no run points at).",
  FD270: "A required value is empty; ask the customer for it before this step.",
  FD271: "That is not a valid email address; ask the customer to check it.",
  FD272: "A value is too long for the field; shorten it or map a shorter variable into the node.",
} as const;

export type StoreErrorCode = keyof typeof STORE_ERRORS;

/** Bad input to a domain call (blank, not an email, too long) or a reused key: the same on every try. */
const PERMANENT_STORE_CODES: ReadonlySet<StoreErrorCode> = new Set([
  "FD262",
  "FD263",
  "FD264",
  "FD267",
  "FD270",
  "FD271",
  "FD272",
]);

/** A failure with a stable code, a message for logs and step traces, and a one-line hint for the fix. */
export class StoreError extends Error {
  readonly hint: string;
  /** Whether a step that met it may try again; false for bad input (FD270–FD272) and misuse. */
  readonly retryable: boolean;
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
    this.hint = STORE_ERRORS[code];
    this.retryable = !PERMANENT_STORE_CODES.has(code);
  }
}

/** True for a StoreError with `code` (or any code when none is given). */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

/** A unique violation (SQLSTATE 23505, from either driver), of `constraint` when one is named. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const fields = error as { code?: unknown; constraint?: unknown } | null;
  return fields?.code === "23505" && (constraint === undefined || fields.constraint === constraint);
}
