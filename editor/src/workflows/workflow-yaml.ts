// YAML chores of the workflow list: a starter document, renaming (through the Document API, so comments and
// layout survive), reading the name of an imported file.
import { parseDocument } from "yaml";

/** The server's rule for `name` (WORKFLOW_NAME_PATTERN in @flowdeck/schemas): snake_case. */
export const WORKFLOW_NAME_RE = /^[a-z][a-z0-9_]*$/;
const MAX_NAME_LENGTH = 64;

/** "Order refunds (EU)" → "order_refunds_eu". */
export function toWorkflowName(title: string): string {
  const name = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[_0-9]+|_+$/g, "")
    .slice(0, MAX_NAME_LENGTH);
  return name;
}

/** What a workflow name may be, in the words the rename dialog and the server's refusals use. */
export const NAME_RULE = "Lowercase letters, digits and underscores, starting with a letter.";

/**
 * The new-workflow dialog's Name hint before a name can be shown: the title is turned into a name, so the rule
 * is about the title (what the walk found missing: "Letters, digits and spaces." said nothing of the start).
 */
export const TITLE_RULE = "Start with a letter; then letters, digits and spaces. Saved as a name like order_status.";

export function workflowNameProblem(name: string): string | undefined {
  if (!name) return "Give the workflow a name.";
  if (!WORKFLOW_NAME_RE.test(name)) return `Use ${NAME_RULE.charAt(0).toLowerCase()}${NAME_RULE.slice(1)}`;
  return undefined;
}

/** Why a typed title makes no valid name ("123 !!!" has no letter to start one), or undefined. */
export function titleProblem(title: string): string | undefined {
  if (!title.trim()) return "Give the workflow a name.";
  const name = toWorkflowName(title);
  if (!name) return `“${title.trim()}” has no letter to start a name with: start it with a letter (a–z).`;
  return workflowNameProblem(name);
}

/** A valid two-node flow to start from: the canvas has something to show, and it publishes as is. */
export function starterYaml(name: string, description = ""): string {
  const lines = [
    `name: ${name}`,
    'version: "1.0.0"',
    ...(description ? [`description: ${JSON.stringify(description)}`] : []),
    "trigger: { type: chat }",
    "nodes:",
    "  - name: start",
    "    type: start",
    "  - name: reply",
    "    type: end",
    '    config: { reply: "Hi! How can I help you today?" }',
    "edges:",
    "  - { from: start, to: reply }",
    "",
  ];
  return lines.join("\n");
}

/** The same YAML with a new `name`; everything else (comments included) untouched. */
export function renameYaml(yaml: string, name: string): string {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) throw new Error(`FD610 The workflow YAML does not parse: ${doc.errors[0]?.message ?? ""}`);
  doc.set("name", name);
  return doc.toString();
}

/** The `name` of a YAML text, or undefined. */
export function nameOfYaml(yaml: string): string | undefined {
  const doc = parseDocument(yaml);
  const name: unknown = doc.errors.length > 0 ? undefined : doc.get("name");
  return typeof name === "string" ? name : undefined;
}
