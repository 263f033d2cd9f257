import { cleanText } from "../store/sql-values";
import { StoreError } from "../store/store-errors";

// Deliberately loose (one @, a dot in the domain, no spaces): strict RFC checks reject real addresses, and
// the point is to catch "none" or a phone number typed into the email question.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_MAX_LENGTH = 320;

/** Lower-cased and trimmed, or FD270 (empty) / FD271 (not an email). */
export function requireEmail(value: string | undefined, field = "email"): string {
  const email = cleanText(value ?? "")
    .trim()
    .toLowerCase();
  if (email === "") throw new StoreError("FD270", `The ${field} is empty.`);
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(email)) {
    throw new StoreError("FD271", `${JSON.stringify(email.slice(0, 80))} is not a valid email address.`);
  }
  return email;
}

/** Lower-cased email, or null when blank or not an email (for optional contact fields). */
export function optionalEmail(value: string | undefined): string | null {
  const email = cleanText(value ?? "")
    .trim()
    .toLowerCase();
  return email.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(email) ? email : null;
}

/** Trimmed text, or FD270 when blank. */
export function requireText(value: string | undefined, field: string): string {
  const text = cleanText(value ?? "").trim();
  if (text === "") throw new StoreError("FD270", `The ${field} is empty.`);
  return text;
}

/** Cuts long text at `maxChars` with an ellipsis: a ticket with a long subject beats a failed ticket. */
export function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}
