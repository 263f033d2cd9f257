import { expect } from "vitest";

/** Awaits a rejection and checks its SQLSTATE (pg and PGlite both put it on `code`). */
export async function expectSqlState(
  promise: Promise<unknown>,
  sqlState: string,
  message?: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, `expected SQLSTATE ${sqlState}, but the statement succeeded`).toBeInstanceOf(Error);
  expect((error as { code?: unknown }).code).toBe(sqlState);
  if (message) expect((error as Error).message).toMatch(message);
}

/** SQLSTATE 42501: permission denied, or a row-level security WITH CHECK violation. */
export const INSUFFICIENT_PRIVILEGE = "42501";
