// The words an edge label shows for a CEL condition that is not a named branch: short enough to sit on the
// canvas, close enough to the CEL to recognise it. The full condition is the label's tooltip.

/** Longer summaries are cut with "…"; the tooltip and the edge inspector have the whole condition. */
export const CONDITION_LABEL_MAX_CHARS = 28;

const OPERATORS: Record<string, string> = { "==": "=", "!=": "≠", ">=": "≥", "<=": "≤", ">": ">", "<": "<" };

// `output.outcome == 'escalated'`, `output.total >= 100`, `vars.vip != true`: one comparison of a path with a
// literal, the shape nearly every hand-written edge condition has.
const COMPARISON =
  /^([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<)\s*(?:'([^'\\]*)'|"([^"\\]*)"|(-?\d+(?:\.\d+)?|true|false|null))$/;

// `output.` is the edge's own source node's output: on an edge leaving that node it says nothing.
const withoutOwnOutput = (text: string) => text.replace(/(^|[^\w.])output\./g, "$1");

/**
 * `output.outcome == 'escalated'` → `outcome = escalated`; anything else is the CEL on one line without the
 * `output.` prefix, cut at `CONDITION_LABEL_MAX_CHARS`. A label that only said "condition" told a reader
 * nothing: five edges of the support flow read "condition" side by side.
 */
export function conditionSummary(condition: string): string {
  const oneLine = condition.replace(/\s+/g, " ").trim();
  const match = COMPARISON.exec(oneLine);
  const quoted = match?.[3] ?? match?.[4];
  const literal = quoted === undefined ? match?.[5] : quoted === "" ? "''" : quoted;
  const text = match
    ? `${withoutOwnOutput(match[1]!)} ${OPERATORS[match[2]!]} ${literal}`
    : withoutOwnOutput(oneLine);
  return text.length > CONDITION_LABEL_MAX_CHARS
    ? `${text.slice(0, CONDITION_LABEL_MAX_CHARS - 1).trimEnd()}…`
    : text;
}
