import bcrypt from "bcryptjs";

// bcrypt reads at most 72 bytes; longer passwords are refused at the schema rather than silently truncated.
export const MAX_PASSWORD_BYTES = 72;

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

let dummyHash: Promise<string> | undefined;

/**
 * Compares against a throwaway hash of the same cost, so "no such email" takes as long as "wrong password"
 * and response time does not reveal which emails have accounts.
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<void> {
  dummyHash ??= bcrypt.hash("flowdeck-timing-equaliser", cost);
  await bcrypt.compare(password, await dummyHash);
}
