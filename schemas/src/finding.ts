import { problem, type PathSegment, type Problem } from "./problem";
import type { ProblemCode, Severity } from "./problem-codes";
import type { SourceMap, SourcePosition } from "./source-map";

/** A problem before it has a position: checks work on plain data and stay independent of YAML. */
export interface Finding {
  readonly code: ProblemCode;
  readonly message: string;
  readonly path: readonly PathSegment[];
  /** Point at the key instead of the value (unknown fields, layout names). */
  readonly at?: "key" | "value";
  /** A row:col inside the string at `path` (templates, expressions). */
  readonly inner?: { readonly row: number; readonly col: number };
  readonly severity?: Severity;
  /**
   * A rule added after versions that break it could be published (a blank required text, FD111): an error in a
   * draft, a warning in a published version, which must go on running as it ran when it was published.
   */
  readonly draftsOnly?: boolean;
}

export function locateFinding(finding: Finding, sourceMap: SourceMap): Problem {
  const position: SourcePosition = finding.inner
    ? sourceMap.locateInScalar(finding.path, finding.inner.row, finding.inner.col)
    : sourceMap.locate(finding.path, finding.at ?? "value");
  return problem(finding.code, finding.message, { path: finding.path, ...position }, finding.severity);
}
