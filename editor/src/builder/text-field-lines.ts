// Whether a plain string field of the generated form is one line (`<input>`) or many (`<textarea>`). It went by
// `maxLength` alone, so a string with none was a textarea: the workflow's Version ("1.0.0", a whole-value
// pattern and no length) was a two-row box. Liquid and CEL fields are code fields and never come here.
import type { JsonSchema } from "@flowdeck/schemas";

/** A free-text field allowed more characters than this is prose (a description) and gets a textarea. */
export const SINGLE_LINE_MAX_CHARS = 200;

/**
 * A pattern that must match the whole value (`^…$`) describes a token — a version, an id, a name — never prose:
 * without the multiline flag `$` matches only at the very end, so such a value cannot span lines anyway.
 */
function wholeValuePattern(pattern: unknown): boolean {
  if (typeof pattern !== "string" || !pattern.startsWith("^") || !pattern.endsWith("$")) return false;
  // `\$` is a literal dollar sign, not an end anchor.
  let backslashes = 0;
  for (let i = pattern.length - 2; i >= 0 && pattern[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** True when a string schema's value is a single line: short, a whole-value pattern, or a `format`. */
export function isSingleLineText(schema: JsonSchema): boolean {
  if (typeof schema.maxLength === "number" && schema.maxLength <= SINGLE_LINE_MAX_CHARS) return true;
  if (typeof schema.format === "string") return true;
  return wholeValuePattern(schema.pattern);
}
