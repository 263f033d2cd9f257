import { isMap, isPair, isScalar, isSeq, Scalar, type Document, type LineCounter, type Node } from "yaml";
import type { PathSegment } from "./problem";

export interface SourcePosition {
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly column: number;
}

const DOCUMENT_START: SourcePosition = { line: 1, column: 1 };

/**
 * Maps field paths of a parsed YAML document back to line:column. Problems are rare compared with fields, so
 * positions are looked up on demand instead of being recorded for every value while loading.
 */
export class SourceMap {
  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed | undefined,
    private readonly lineCounter: LineCounter,
  ) {}

  position(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line, column: col };
  }

  /** The YAML node at `path`, or the deepest existing node on the way to it. */
  node(path: readonly PathSegment[]): { node: Node | undefined; keyNode: Node | undefined; matched: number } {
    let node: unknown = this.doc?.contents ?? undefined;
    let keyNode: Node | undefined;
    let matched = 0;
    for (const segment of path) {
      let next: unknown;
      let nextKey: Node | undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (pair && isPair(pair)) {
          next = pair.value ?? pair.key;
          nextKey = pair.key as Node;
        }
      } else if (isSeq(node) && typeof segment === "number") {
        next = node.items[segment];
      }
      if (next === undefined || next === null) break;
      node = next;
      keyNode = nextKey;
      matched += 1;
    }
    return { node: node as Node | undefined, keyNode, matched };
  }

  /** Where the value at `path` starts, or its key with `at: "key"` (where an unknown field is named). */
  locate(path: readonly PathSegment[], at: "value" | "key" = "value"): SourcePosition {
    const found = this.node(path);
    const target = at === "key" && found.matched === path.length ? (found.keyNode ?? found.node) : found.node;
    const start = target?.range?.[0];
    return start === undefined ? DOCUMENT_START : this.position(start);
  }

  /**
   * Where `row:col` of the text inside a string scalar sits in the file, so that an error in a template or
   * an expression points at the exact character. Falls back to the scalar's start when the scalar's source
   * does not map one to one (escapes, folding).
   */
  locateInScalar(path: readonly PathSegment[], row: number, col: number): SourcePosition {
    const { node, matched } = this.node(path);
    if (!node || matched !== path.length || !isScalar(node) || !node.range) return this.locate(path);
    const start = this.position(node.range[0]);
    const source = this.text.slice(node.range[0], node.range[1]);
    switch (node.type) {
      case Scalar.PLAIN:
        return row === 1 && !source.includes("\n")
          ? { line: start.line, column: start.column + col - 1 }
          : start;
      case Scalar.QUOTE_SINGLE:
      case Scalar.QUOTE_DOUBLE:
        return row === 1 && !source.includes("\n") && !/\\|''/.test(source)
          ? { line: start.line, column: start.column + col }
          : start;
      case Scalar.BLOCK_LITERAL: {
        const lines = source.split("\n");
        const firstContent = lines.slice(1).find((l) => l.trim() !== "") ?? "";
        const indent = firstContent.length - firstContent.trimStart().length;
        return { line: start.line + row, column: indent + col };
      }
      default:
        return start;
    }
  }
}
