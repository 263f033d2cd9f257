// Readable names for the audit log's ids: the people and workflows of this workspace, and the name an entry
// recorded itself (`detail.name`, e.g. a workflow's or credential's at creation). Ids stay available in full
// (hover, copy): the table used to cut them to 8 characters, which matched nothing anyone could paste.
import type { AuditRecord } from "../api/workspace-types";

export interface AuditNames {
  /** User id → email. */
  readonly people: ReadonlyMap<string, string>;
  /** Workflow id → name. */
  readonly workflows: ReadonlyMap<string, string>;
}

export const NO_NAMES: AuditNames = { people: new Map(), workflows: new Map() };

/** The name of an entry's target, or undefined when only its id is known. */
export function targetName(record: AuditRecord, names: AuditNames): string | undefined {
  if (record.targetType === "user") return names.people.get(record.targetId);
  if (record.targetType === "workflow") {
    const known = names.workflows.get(record.targetId);
    if (known) return known;
  }
  const recorded = record.detail.name;
  return typeof recorded === "string" && recorded ? recorded : undefined;
}

export function actorName(record: AuditRecord, names: AuditNames): string | undefined {
  return record.actorId ? names.people.get(record.actorId) : undefined;
}

/** The Actor filter's suggestions: the workspace's members by email, alphabetically (the server takes emails). */
export function actorChoices(names: AuditNames): string[] {
  return [...new Set(names.people.values())].sort((a, b) => a.localeCompare(b));
}
