import { RE2JS } from "re2js";
import { EvaluationLimitError } from "./evaluation-errors";

/**
 * CEL `matches` runs on RE2 (re2js): time linear in the text, so no pattern can backtrack for minutes on
 * customer input (`^(a|a)*$` on 35 characters held the loop for 110 s under JavaScript's RegExp). RE2 refuses
 * backreferences and lookaround, which is what makes that guarantee possible.
 */
export const REGEX_LIMITS = {
  /** Longer patterns are refused (RE2 also refuses programs that are too large, e.g. nested {999}). */
  maxPatternChars: 1_000,
  /** The text a `matches` may scan: ~20 ms for the worst pattern measured (re2js 2.10). */
  maxInputChars: 100_000,
} as const;

const CACHE_LIMIT = 500;
const compiled = new Map<string, RE2JS>();

function compile(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = RE2JS.compile(pattern);
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Why RE2 cannot run this pattern, in words for an author; undefined when it can. */
export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > REGEX_LIMITS.maxPatternChars) {
    return `the pattern is ${pattern.length} characters long; at most ${REGEX_LIMITS.maxPatternChars} are allowed`;
  }
  try {
    compile(pattern);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unsupported = /\\[1-9]|invalid escape|Perl syntax|named capture/.test(message)
      ? " (backreferences and lookaround such as (?=…) or \\1 are not supported)"
      : "";
    return `${message.replace(/^error parsing regexp: /, "")}${unsupported}`;
  }
}

/** CEL's `text.matches(pattern)`: true when the pattern matches anywhere in the text (RE2 semantics). */
export function re2Matches(text: string, pattern: string): boolean {
  if (text.length > REGEX_LIMITS.maxInputChars) {
    throw new EvaluationLimitError(
      "maxInputChars",
      `matches() was given ${text.length} characters; at most ${REGEX_LIMITS.maxInputChars} are checked`,
    );
  }
  const problem = regexProblem(pattern);
  if (problem) throw new Error(`matches() cannot use this pattern: ${problem}`);
  return compile(pattern).matcher(text).find();
}

/**
 * Every match of `pattern` in `text` (RE2, linear time), in order: group 1 when the pattern has a group, else
 * the whole match. What a pattern entity finds in a customer message. At most `limit` matches.
 */
export function re2FindAll(
  text: string,
  pattern: string,
  limit = 20,
): { value: string; start: number; end: number }[] {
  const problem = regexProblem(pattern);
  if (problem) throw new Error(`The pattern cannot be used: ${problem}`);
  const scanned = text.length > REGEX_LIMITS.maxInputChars ? text.slice(0, REGEX_LIMITS.maxInputChars) : text;
  const matcher = compile(pattern).matcher(scanned);
  const found: { value: string; start: number; end: number }[] = [];
  const group = matcher.groupCount() >= 1 ? 1 : 0;
  while (found.length < limit && matcher.find()) {
    const value = matcher.group(group);
    if (value !== null && value !== "")
      found.push({ value, start: matcher.start(group), end: matcher.end(group) });
    if (matcher.end() === matcher.start()) break;
  }
  return found;
}
