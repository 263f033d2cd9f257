import { diff3Merge } from "node-diff3";
import { isDocument, parseDocument, visit, type Document, type ToStringOptions } from "yaml";
import { PARSE_OPTIONS } from "./load";

/**
 * How Flowdeck prints YAML: two-space indents, sequences indented under their key, no line folding (a long
 * prompt stays on its line), padded flow maps `{ from: a, to: b }`. Comments, key order, quoting and
 * flow/block choices come from the document itself.
 */
export const CANONICAL_OPTIONS: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: true,
};

/** The canonical text of a workflow (`flowdeck format`): formatting normalised, every comment kept. */
export function formatWorkflowText(text: string): string {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toString(CANONICAL_OPTIONS);
}

/**
 * Prints an edited document so that only what the edit touched changes. The yaml printer alone would also
 * normalise untouched lines (comment alignment, blank lines, indentation style), so the printed edit is
 * three-way merged onto the original text: base = the original as the printer prints it, ours = the original
 * text, theirs = the edited document as printed. Where both sides changed the same lines the edit wins.
 * If the merged text does not parse back to the edited document, the printed document is returned instead:
 * it may reformat, but it never loses data or a comment.
 */
export function saveWorkflowDocument(doc: Document, originalText?: string): string {
  if (originalText === undefined) return doc.toString(CANONICAL_OPTIONS);
  // Printing in the original's own indentation style keeps the merge's conflicts to the edited lines.
  const options = { ...CANONICAL_OPTIONS, ...detectIndentation(originalText) };
  const printed = doc.toString(options);
  const base = parseDocument(originalText, PARSE_OPTIONS);
  if (base.errors.length > 0) return printed;
  const basePrinted = base.toString(options);
  if (basePrinted === printed) return originalText;

  const regions = diff3Merge(splitLines(originalText), splitLines(basePrinted), splitLines(printed), {
    excludeFalseConflicts: true,
  });
  const lines: string[] = [];
  for (const region of regions) {
    if (region.ok) lines.push(...region.ok);
    else if (region.conflict) lines.push(...resolveConflict(region.conflict));
  }
  const merged = lines.join("\n");
  return sameDocument(merged, doc, printed) ? merged : printed;
}

/** The indent width and whether `- ` items sit under their key or are indented below it. */
export function detectIndentation(text: string): { indent: number; indentSeq: boolean } {
  const keyThenItem = /^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- /m.exec(text);
  const nested = /^( *)\S[^\n]*:[ \t]*\n( +)[^\s#-]/m.exec(text);
  const indent = nested ? Math.max(1, (nested[2]?.length ?? 2) - (nested[1]?.length ?? 0)) : 2;
  const indentSeq = keyThenItem ? (keyThenItem[2]?.length ?? 0) > (keyThenItem[1]?.length ?? 0) : true;
  return { indent: Math.min(indent, 8), indentSeq };
}

/**
 * Neighbouring lines that were both reformatted (ours) and edited (theirs) land in one conflict. When all three
 * sides have the same number of lines, they line up one to one: keep the user's line wherever the edit left
 * the printed line alone. Otherwise the edit's lines win.
 */
function resolveConflict(conflict: { a: string[]; o: string[]; b: string[] }): string[] {
  const { a, o, b } = conflict;
  if (a.length !== o.length || b.length !== o.length) return b;
  return b.map((line, i) => (line === o[i] ? a[i]! : line));
}

function splitLines(text: string): string[] {
  return text.split("\n");
}

function sameDocument(merged: string, doc: Document, printed: string): boolean {
  const reparsed = parseDocument(merged, PARSE_OPTIONS);
  if (reparsed.errors.length > 0) return false;
  if (JSON.stringify(reparsed.toJS()) !== JSON.stringify(doc.toJS())) return false;
  return sameComments(reparsed, parseDocument(printed, PARSE_OPTIONS));
}

/** The multiset of comment texts of a document, in order. */
export function commentsOf(doc: Document): string[] {
  const comments: string[] = [];
  if (isDocument(doc)) {
    if (doc.commentBefore) comments.push(doc.commentBefore);
    if (doc.comment) comments.push(doc.comment);
  }
  visit(doc, (_key, node) => {
    const withComments = node as { commentBefore?: string | null; comment?: string | null };
    if (withComments.commentBefore) comments.push(withComments.commentBefore);
    if (withComments.comment) comments.push(withComments.comment);
  });
  return comments
    .flatMap((block) => block.split("\n"))
    .map((line) => line.trim())
    .filter(Boolean);
}

function sameComments(a: Document, b: Document): boolean {
  const left = commentsOf(a).sort();
  const right = commentsOf(b).sort();
  return left.length === right.length && left.every((comment, i) => comment === right[i]);
}
