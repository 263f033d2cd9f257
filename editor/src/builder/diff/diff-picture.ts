// One picture of two versions: the newer one's nodes and edges, plus the nodes (and their edges) the newer one
// removed, so a reviewer sees every difference on one canvas instead of comparing two side by side.
import type { WorkflowDiff } from "@flowdeck/schemas";
import { parse, stringify } from "yaml";
import type { NodeMark } from "../session-store";

export interface DiffPicture {
  /** YAML of the merged document, drawn read-only (never saved). */
  readonly yaml: string;
  readonly marks: Readonly<Record<string, NodeMark>>;
}

type Plain = Record<string, unknown>;
const isRecord = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const listOf = (value: unknown): Plain[] => (Array.isArray(value) ? value.filter(isRecord) : []);

/**
 * `before` and `after` are the two versions' YAML texts; `diff` is the server's semantic diff between them.
 * Removed nodes keep the position they had (their layout entry), so they appear where they used to be.
 */
export function diffPicture(before: string, after: string, diff: WorkflowDiff): DiffPicture {
  const old = (parse(before) ?? {}) as Plain;
  const next = (parse(after) ?? {}) as Plain;
  const removed = new Set(diff.nodes.removed);
  const nodes = [...listOf(next.nodes), ...listOf(old.nodes).filter((n) => removed.has(String(n.name)))];
  const edges = [
    ...listOf(next.edges),
    ...listOf(old.edges).filter((e) => removed.has(String(e.from)) || removed.has(String(e.to))),
  ];
  const layout: Plain = {
    ...(isRecord(old.layout) ? old.layout : {}),
    ...(isRecord(next.layout) ? next.layout : {}),
  };
  const marks: Record<string, NodeMark> = {};
  for (const name of diff.nodes.added) marks[name] = "added";
  for (const name of diff.nodes.removed) marks[name] = "removed";
  for (const { name } of diff.nodes.changed) marks[name] = "changed";
  for (const { to } of diff.nodes.renamed) marks[to] = "changed";
  return { yaml: stringify({ ...next, nodes, edges, layout }), marks };
}

/** A field's value as one short line for the change list. */
export function shortValue(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
