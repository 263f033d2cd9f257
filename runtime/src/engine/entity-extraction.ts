import { re2FindAll, type EntityDeclaration } from "@flowdeck/schemas";
import type { ChatTurn } from "@flowdeck/node-library/runtime";

/** An amount with its currency: `{{ entities.amount.value }}`, `entities.amount.currency == 'EUR'`. */
export interface AmountEntity {
  readonly value: number;
  /** ISO 4217 code. */
  readonly currency: string;
  /** As the customer wrote it ("$25.50"); what an ask stores. */
  readonly text: string;
}

export type EntityValue = string | AmountEntity;

/** Customer messages are short; a pasted novel is scanned only this far (every pattern is linear anyway). */
const MAX_SCANNED_CHARS = 10_000;

// Linear, non-nested patterns (the text is the customer's): a local part, then labels separated by dots.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
// A run of digits with the separators people type (spaces, dots, dashes, brackets), optionally after + or 00.
const PHONE = /(?:\+|\b00)?\(?\d[\d\s().-]{5,22}\d/g;
const SYMBOLS: Readonly<Record<string, string>> = {
  $: "USD",
  "€": "EUR",
  "£": "GBP",
  "¥": "JPY",
  "₹": "INR",
};
const CODES = "USD|EUR|GBP|CHF|CAD|AUD|JPY|SEK|NOK|DKK|PLN|INR|NZD";
const NUMBER = String.raw`\d{1,3}(?:[,\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT = new RegExp(
  String.raw`([$€£¥₹]|\b(?:${CODES})\b)\s?(${NUMBER})|(${NUMBER})\s?([$€£¥₹]|\b(?:${CODES})\b|\beuros?\b|\bdollars?\b|\bpounds?\b)`,
  "gi",
);
const WORD_CURRENCIES: Readonly<Record<string, string>> = {
  euro: "EUR",
  euros: "EUR",
  dollar: "USD",
  dollars: "USD",
  pound: "GBP",
  pounds: "GBP",
};

interface Span {
  readonly start: number;
  readonly end: number;
}

const overlaps = (a: Span, taken: readonly Span[]) => taken.some((b) => a.start < b.end && b.start < a.end);

/**
 * The flow's entities found in one message, by name: the first match of each. Pattern entities go first and
 * claim their text, so the digits of an order number (AO-10489) are never read as a phone number or an amount.
 */
export function extractEntities(
  declarations: Readonly<Record<string, EntityDeclaration>> | undefined,
  message: string,
): Record<string, EntityValue> {
  const found: Record<string, EntityValue> = {};
  if (!declarations) return found;
  const text = message.length > MAX_SCANNED_CHARS ? message.slice(0, MAX_SCANNED_CHARS) : message;
  const taken: Span[] = [];
  const ordered = Object.entries(declarations).sort(
    ([, a], [, b]) => rank(a.type) - rank(b.type), // stable: declaration order within a kind
  );
  for (const [name, declaration] of ordered) {
    const match = firstMatch(declaration, text, taken);
    if (!match) continue;
    taken.push(match);
    found[name] = match.value;
  }
  return found;
}

/** Entities of all customer turns, oldest first: a later message's value replaces an earlier one. */
export function extractFromHistory(
  declarations: Readonly<Record<string, EntityDeclaration>> | undefined,
  history: readonly ChatTurn[],
): Record<string, EntityValue> {
  const found: Record<string, EntityValue> = {};
  if (!declarations || Object.keys(declarations).length === 0) return found;
  for (const turn of history) {
    if (turn.role === "customer") Object.assign(found, extractEntities(declarations, turn.text));
  }
  return found;
}

function rank(type: EntityDeclaration["type"]): number {
  return ["pattern", "email", "amount", "phone"].indexOf(type);
}

function firstMatch(
  declaration: EntityDeclaration,
  text: string,
  taken: readonly Span[],
): (Span & { value: EntityValue }) | undefined {
  switch (declaration.type) {
    case "pattern": {
      const hit = re2FindAll(text, declaration.pattern ?? "").find((m) => !overlaps(m, taken));
      return hit && { ...hit, value: cased(hit.value.trim(), declaration.case) };
    }
    case "email": {
      const hit = matches(EMAIL, text).find((m) => !overlaps(m, taken));
      return (
        hit && { ...hit, value: cased(hit.value.replace(/^\.+|\.+$/g, ""), declaration.case ?? "lower") }
      );
    }
    case "amount":
      return amount(text, taken);
    case "phone":
      return phone(text, taken);
  }
}

function cased(value: string, letterCase: EntityDeclaration["case"]): string {
  if (letterCase === "upper") return value.toUpperCase();
  if (letterCase === "lower") return value.toLowerCase();
  return value;
}

function matches(
  regex: RegExp,
  text: string,
): { value: string; start: number; end: number; groups: string[] }[] {
  const found: { value: string; start: number; end: number; groups: string[] }[] = [];
  for (const match of text.matchAll(regex)) {
    found.push({
      value: match[0],
      start: match.index,
      end: match.index + match[0].length,
      groups: match.slice(1).map((group) => group ?? ""),
    });
    if (found.length >= 20) break;
  }
  return found;
}

/** "$25", "25 €", "EUR 19,99", "1,250.00 USD", "20 euros". The value is a number, the currency an ISO code. */
function amount(text: string, taken: readonly Span[]): (Span & { value: AmountEntity }) | undefined {
  for (const hit of matches(AMOUNT, text)) {
    if (overlaps(hit, taken)) continue;
    const [before, number1, number2, after] = hit.groups;
    const symbol = (before || after || "").trim();
    const currency = SYMBOLS[symbol] ?? WORD_CURRENCIES[symbol.toLowerCase()] ?? symbol.toUpperCase();
    const value = parseAmount(number1 || number2 || "");
    if (value === undefined) continue;
    return { start: hit.start, end: hit.end, value: { value, currency, text: hit.value.trim() } };
  }
  return undefined;
}

/** "1,250.50" and "1 250,50" → 1250.5; a single comma with one or two digits after it is a decimal comma. */
function parseAmount(raw: string): number | undefined {
  let digits = raw.replace(/\s/g, "");
  const decimal = /[.,](\d{1,2})$/.exec(digits);
  let fraction = "";
  if (decimal) {
    fraction = decimal[1]!;
    digits = digits.slice(0, decimal.index);
  }
  digits = digits.replace(/[.,]/g, "");
  const value = Number(fraction ? `${digits}.${fraction}` : digits);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A phone number: 7–15 digits (E.164's maximum), kept as `+` and digits ("+49 151 1234-5678" →
 * "+4915112345678", "00 44 20…" → "+4420…"), or digits only for a national number. Dates, times and plain
 * counts have fewer digits or other separators and are not matched.
 */
function phone(text: string, taken: readonly Span[]): (Span & { value: string }) | undefined {
  for (const hit of matches(PHONE, text)) {
    if (overlaps(hit, taken)) continue;
    const digits = hit.value.replace(/\D/g, "");
    if (digits.length < 7 || digits.length > 15) continue;
    const trimmed = hit.value.trim();
    if (trimmed.startsWith("+")) return { ...hit, value: `+${digits}` };
    if (trimmed.startsWith("00")) return { ...hit, value: `+${digits.slice(2)}` };
    return { ...hit, value: digits };
  }
  return undefined;
}
