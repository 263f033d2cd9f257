/**
 * Where flow collections (`[…]`, `{…}`) first nest deeper than `maxDepth`, by one linear pass over the text;
 * undefined when they never do. Only used after the yaml parser ran out of stack on the file: the parser stops
 * wherever the stack happens to end (the column changed between two calls in one process), and this gives the
 * same place every time. Quotes open only where a scalar may start, so `don't` in a plain scalar is text.
 */
export function flowDepthExceededAt(text: string, maxDepth: number): number | undefined {
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let previous = "\n"; // the last character outside quotes that is not a space
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\" && quote === '"') i += 1;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf("\n", i);
      if (end < 0) return undefined;
      i = end - 1;
      continue;
    }
    if ((c === '"' || c === "'") && "\n[{,:-?".includes(previous)) quote = c;
    else if (c === "[" || c === "{") {
      depth += 1;
      if (depth > maxDepth) return i;
    } else if ((c === "]" || c === "}") && depth > 0) depth -= 1;
    if (c === "\n" || !/\s/.test(c)) previous = c;
  }
  return undefined;
}
